import { describe, expect, it } from "vitest";
import { createMemoryFeed } from "./live-feed.js";
import { liveResponse } from "./live-response.js";

async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, text: string): Promise<string> {
  const decoder = new TextDecoder();
  let received = "";
  while (!received.includes(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended before ${JSON.stringify(text)}; got ${JSON.stringify(received)}`);
    received += decoder.decode(value, { stream: true });
  }
  return received;
}

describe("liveResponse", () => {
  it("streams server-sent events for the watched models only, with heartbeats", async () => {
    const feed = createMemoryFeed();
    const abort = new AbortController();
    const response = liveResponse(feed, { models: new Set(["chat"]), signal: abort.signal, heartbeatMs: 5 });
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache, no-transform");
    const reader = response.body!.getReader();
    expect(await readUntil(reader, "\n\n")).toContain("retry: 2000\n");
    feed.publish({ model: "message", action: "create", id: "m1" });
    feed.publish({ model: "chat", action: "update", id: "c1" });
    const events = await readUntil(reader, "event: change");
    expect(await readUntil(reader, "\n\n")).not.toContain("message");
    expect(events + (await readUntil(reader, ": ping"))).toContain(
      'data: {"model":"chat","action":"update"}',
    );
    abort.abort();
    await expect(reader.read()).resolves.toMatchObject({ done: true });
  });

  it("unsubscribes when the client cancels the stream", async () => {
    const feed = createMemoryFeed();
    let active = 0;
    const counting = {
      ...feed,
      subscribe: (listener: Parameters<typeof feed.subscribe>[0]) => {
        active++;
        const stop = feed.subscribe(listener);
        return () => {
          active--;
          stop();
        };
      },
    };
    const response = liveResponse(counting, {
      models: new Set(["chat"]),
      signal: new AbortController().signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    expect(active).toBe(1);
    await reader.cancel();
    expect(active).toBe(0);
  });
});
