import { describe, expect, it, vi } from "vitest";
import { createMemoryFeed, createPostgresFeed, type PgClientLike } from "./live-feed.js";

describe("createMemoryFeed", () => {
  it("tells every subscriber the model and action, never the id, until they unsubscribe", () => {
    const feed = createMemoryFeed();
    const heard: unknown[] = [];
    const stop = feed.subscribe((change) => heard.push(change));
    feed.subscribe(() => {
      throw new Error("a broken subscriber");
    });
    feed.publish({ model: "chat", action: "create", id: "secret-id" });
    stop();
    feed.publish({ model: "chat", action: "delete", id: "x" });
    expect(heard).toEqual([{ model: "chat", action: "create" }]);
  });
});

/** A pg client double that routes NOTIFY between instances the way one PostgreSQL server does. */
function fakeServer() {
  const listeners = new Set<(message: { channel: string; payload?: string }) => void>();
  let connections = 0;
  let isDown = false;
  const createClient = (): PgClientLike => {
    let onNotification: ((message: { channel: string; payload?: string }) => void) | undefined;
    let onError: ((error: Error) => void) | undefined;
    const client = {
      async connect() {
        if (isDown) throw new Error("connection refused");
        connections++;
      },
      async query(text: string, values?: unknown[]) {
        if (text.startsWith("LISTEN")) listeners.add(onNotification!);
        else
          for (const listener of listeners)
            listener({ channel: String(values?.[0]), payload: String(values?.[1]) });
      },
      on(event: string, listener: never) {
        if (event === "notification") onNotification = listener;
        else onError = listener;
        return client;
      },
      async end() {
        listeners.delete(onNotification!);
      },
      fail: () => onError?.(new Error("terminated")),
    };
    return client as PgClientLike;
  };
  return { createClient, connections: () => connections, setDown: (down: boolean) => (isDown = down) };
}

describe("createPostgresFeed", () => {
  it("delivers one instance's changes to another through NOTIFY", async () => {
    const server = fakeServer();
    const a = createPostgresFeed({ createClient: server.createClient });
    const b = createPostgresFeed({ createClient: server.createClient });
    const heard = new Promise((resolve) => b.subscribe(resolve));
    a.subscribe(() => {});
    await vi.waitFor(() => expect(server.connections()).toBe(2));
    a.publish({ model: "message", action: "update", id: "m1" });
    expect(await heard).toEqual({ model: "message", action: "update" });
    await Promise.all([a.close(), b.close()]);
  });

  it("reconnects after the connection fails", async () => {
    const server = fakeServer();
    server.setDown(true);
    const errors: Error[] = [];
    const feed = createPostgresFeed({
      createClient: server.createClient,
      retryDelayMs: 5,
      onError: (error) => errors.push(error),
    });
    const heard = new Promise((resolve) => feed.subscribe(resolve));
    await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0));
    server.setDown(false);
    await vi.waitFor(() => expect(server.connections()).toBe(1));
    feed.publish({ model: "chat", action: "create", id: "c1" });
    expect(await heard).toEqual({ model: "chat", action: "create" });
    await feed.close();
  });

  it("refuses a channel name that is not a plain identifier", () => {
    expect(() =>
      createPostgresFeed({ createClient: fakeServer().createClient, channel: "x; DROP TABLE y" }),
    ).toThrow(TypeError);
  });
});
