// Live queries' change stream: a write through the model API reaches a subscriber's event stream;
// on a real PostgreSQL server, changes also cross between app instances through LISTEN/NOTIFY.
import { route } from "@sprocket/server";
import { createPostgresFeed, type LiveChange, serveModels } from "@sprocket/server/models";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelApi } from "@/lib/api";
import { db } from "@/lib/db";
import { liveFeed } from "@/lib/live";
import { models } from "@/lib/models";
import { databaseKind, databaseUrl } from "./database";

const prisma = db();
const run = Math.random().toString(36).slice(2, 8);
let user = { id: "", email: `${run}@example.com`, name: null as string | null };

const testRoute = route.with({
  context: ({ request }) => ({
    api: modelApi().forIdentity(
      request.headers["x-test-user"] ? { role: "signed-in", user } : { role: "unauthenticated" },
    ),
  }),
});
const { GET } = serveModels({ models, route: testRoute, live: liveFeed });

beforeAll(async () => {
  const created = await prisma.user.create({ data: { email: user.email } });
  user = { id: created.id, email: created.email, name: created.name };
});
afterAll(async () => {
  await prisma.user.deleteMany({ where: { id: user.id } });
  await prisma.$disconnect();
});

async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, text: string) {
  const decoder = new TextDecoder();
  let received = "";
  while (!received.includes(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended before ${text}`);
    received += decoder.decode(value, { stream: true });
  }
  return received;
}

describe(`live changes (${databaseKind})`, () => {
  it("streams a change made through the model API to a subscriber of that model", async () => {
    const abort = new AbortController();
    const response = await GET(
      new Request("http://demo.test/api/models/_live?models=chat,message", {
        headers: { "x-test-user": "1" },
        signal: abort.signal,
      }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const reader = response.body!.getReader();
    await readUntil(reader, ": connected");
    await modelApi()
      .forIdentity({ role: "signed-in", user })
      .chat.create({ title: `${run} live` });
    expect(await readUntil(reader, "\n\n")).toContain(
      'event: change\ndata: {"model":"chat","action":"create"}',
    );
    abort.abort();
    await reader.cancel();
  });

  it("refuses to stream models the caller may not read, and unknown models", async () => {
    const anonymous = await GET(new Request("http://demo.test/api/models/_live?models=chat"));
    expect(anonymous.status).toBe(403);
    const unknown = await GET(
      new Request("http://demo.test/api/models/_live?models=nope", { headers: { "x-test-user": "1" } }),
    );
    expect(unknown.status).toBe(404);
  });

  // NOTIFY between connections needs a real server: the embedded database shares one session.
  if (databaseKind === "postgresql") {
    it("carries changes between two app instances through LISTEN/NOTIFY", async () => {
      const createClient = () => new pg.Client({ connectionString: databaseUrl });
      const first = createPostgresFeed({ createClient });
      const second = createPostgresFeed({ createClient });
      const heard: LiveChange[] = [];
      const arrived = new Promise<void>((resolve) =>
        second.subscribe((change) => {
          heard.push(change);
          resolve();
        }),
      );
      // Subscribing connects and LISTENs; wait until the second instance is listening.
      await waitForListener();
      first.publish({ model: "message", action: "create", id: "m1" });
      await arrived;
      expect(heard).toEqual([{ model: "message", action: "create" }]);
      await Promise.all([first.close(), second.close()]);
    });
  }
});

async function waitForListener() {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (;;) {
      const { rows } = await client.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN sprocket_changes%'",
      );
      if (rows[0].n > 0) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    await client.end();
  }
}
