// The durable webhook inbox on the demo's WebhookEvent table: commit before 2xx, duplicates,
// retries to a dead letter, concurrent drains, retention and outages. Races run on the real
// PostgreSQL leg; the embedded database serves one connection.
import { createHmac, randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  drainWebhookInbox,
  replayWebhookEvent,
  type WebhookInboxEvent,
  type WebhookInboxStore,
  webhookRoute,
} from "@sprocket/server/webhooks";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { db, pgPool } from "@/lib/db";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { createPrismaWebhookInboxStore } from "@/lib/webhook-inbox";
import { databaseKind, databaseUrl } from "./database";

const prisma = db();
// As the demo configures it: the statements every delivery takes run on the pool directly.
const store = createPrismaWebhookInboxStore(prisma, { pool: pgPool });
// The same store with every statement through Prisma, as a store without a pool runs.
const prismaStore = createPrismaWebhookInboxStore(prisma);
const STORE_PATHS = [
  ["on the pg pool", store],
  ["through Prisma", prismaStore],
] as const;
const secret = "inbox-test-secret";
afterAll(async () => {
  await prisma.$disconnect();
});

function githubDelivery(
  deliveryId: string,
  payload: unknown = { action: "created", starred_at: null },
  body = JSON.stringify(payload),
) {
  return () =>
    new Request("http://localhost/webhooks/github", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "X-Hub-Signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
        "X-GitHub-Delivery": deliveryId,
        "X-GitHub-Event": "star",
      },
      body,
    });
}

/** A route whose after-the-answer work is collected, so a test awaits it instead of sleeping. */
function inboxRoute(options: {
  onEvent: (event: WebhookInboxEvent) => unknown;
  store?: WebhookInboxStore;
  now?: () => Date;
}) {
  const tasks: Promise<void>[] = [];
  const POST = webhookRoute({
    provider: "github",
    secrets: secret,
    store: options.store ?? store,
    onEvent: options.onEvent,
    now: options.now,
    after: (task) => {
      tasks.push(task());
    },
    retry: { maxAttempts: 3, delayMs: (attempt) => attempt * 60_000 },
  });
  return { POST, settled: () => Promise.all(tasks) };
}

const rowsOf = (deliveryId: string) =>
  prisma.webhookEvent.findMany({ where: { provider: "github", deliveryId } });

describe(`the webhook inbox (${databaseKind})`, () => {
  it("commits a signed delivery, answers 200, then runs the handler once", async () => {
    const deliveryId = randomUUID();
    const runs: WebhookInboxEvent[] = [];
    const { POST, settled } = inboxRoute({ onEvent: (event) => void runs.push(event) });
    const response = await POST(githubDelivery(deliveryId)());
    expect(response.status).toBe(200);
    expect(response.headers.get("x-webhook-duplicate")).toBe("false");
    expect(await response.text()).toBe("");
    // Committed before the handler ran: the row exists even before the after-work settles.
    expect(await rowsOf(deliveryId)).toHaveLength(1);
    await settled();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      provider: "github",
      deliveryId,
      topic: "star",
      attempt: 1,
      payload: { action: "created" },
    });
    const [row] = await rowsOf(deliveryId);
    expect(row).toMatchObject({ status: "processed", attempts: 1, lastError: null });
  });

  it("stores the signed JSON text as sent: an id past 2^53 keeps its digits", async () => {
    const deliveryId = randomUUID();
    const body = '{"action":"created","id":12345678901234567891}';
    const { POST, settled } = inboxRoute({ onEvent: () => {} });
    const response = await POST(githubDelivery(deliveryId, undefined, body)());
    expect(response.status).toBe(200);
    await settled();
    const [row] = await prisma.$queryRaw<{ id: string }[]>`
      SELECT "payload"->>'id' AS "id" FROM "WebhookEvent" WHERE "provider" = 'github' AND "deliveryId" = ${deliveryId}`;
    expect(row?.id).toBe("12345678901234567891");
  });

  it("answers a duplicate 200 and runs nothing again", async () => {
    const deliveryId = randomUUID();
    let runs = 0;
    const { POST, settled } = inboxRoute({ onEvent: () => void runs++ });
    const send = githubDelivery(deliveryId);
    expect((await POST(send())).status).toBe(200);
    await settled();
    const again = await POST(send());
    expect(again.status).toBe(200);
    expect(again.headers.get("x-webhook-duplicate")).toBe("true");
    await settled();
    expect(runs).toBe(1);
    expect(await rowsOf(deliveryId)).toHaveLength(1);
  });

  it("refuses a bad signature and a signed body that is not JSON, storing nothing", async () => {
    const deliveryId = randomUUID();
    const { POST } = inboxRoute({ onEvent: () => {} });
    const forged = githubDelivery(deliveryId)();
    forged.headers.set("X-Hub-Signature-256", `sha256=${"0".repeat(64)}`);
    expect((await POST(forged)).status).toBe(401);
    const body = "not json";
    const notJson = new Request("http://localhost/webhooks/github", {
      method: "POST",
      headers: {
        "X-Hub-Signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
        "X-GitHub-Delivery": deliveryId,
        "X-GitHub-Event": "star",
      },
      body,
    });
    expect((await POST(notJson)).status).toBe(400);
    expect((await POST(new Request("http://localhost/webhooks/github"))).status).toBe(405);
    expect(await rowsOf(deliveryId)).toHaveLength(0);
  });

  it("retries a failing handler with backoff and ends dead after the last attempt", async () => {
    const deliveryId = randomUUID();
    let clock = new Date("2026-01-01T00:00:00Z").getTime();
    const now = () => new Date(clock);
    let runs = 0;
    const onEvent = () => {
      runs++;
      throw new Error(`boom ${runs}`);
    };
    const { POST, settled } = inboxRoute({ onEvent, now });
    expect((await POST(githubDelivery(deliveryId)())).status).toBe(200);
    await settled();
    const [first] = await rowsOf(deliveryId);
    expect(first).toMatchObject({ status: "failed", attempts: 1, lastError: "Error: boom 1" });
    expect(first?.nextAttemptAt.getTime()).toBe(clock + 60_000);

    const drain = () =>
      drainWebhookInbox({
        store,
        handlers: { github: onEvent },
        now,
        retry: { maxAttempts: 3, delayMs: (attempt) => attempt * 60_000 },
        retentionMs: Number.POSITIVE_INFINITY,
      });
    // Not due yet: the backoff has not passed.
    clock += 59_999;
    await drain();
    expect(runs).toBe(1);
    clock += 1;
    await drain();
    expect(runs).toBe(2);
    const [second] = await rowsOf(deliveryId);
    expect(second).toMatchObject({ status: "failed", attempts: 2, lastError: "Error: boom 2" });
    expect(second?.nextAttemptAt.getTime()).toBe(clock + 120_000);
    clock += 120_000;
    await drain();
    const [last] = await rowsOf(deliveryId);
    expect(last).toMatchObject({ status: "dead", attempts: 3, lastError: "Error: boom 3" });
    clock += 3_600_000;
    await drain();
    expect(runs).toBe(3);

    // Replay after a fix runs it again with a fresh count.
    const outcome = await replayWebhookEvent({
      store,
      id: last?.id ?? "",
      handlers: { github: () => {} },
      now,
    });
    expect(outcome).toBe("processed");
    expect((await rowsOf(deliveryId))[0]).toMatchObject({ status: "processed", attempts: 1 });
    expect(await replayWebhookEvent({ store, id: randomUUID(), handlers: {} })).toBe("not-found");
  });

  it("answers 503 with Retry-After when the store fails, and 2xx for nothing uncommitted", async () => {
    const failing: WebhookInboxStore = {
      ...store,
      insert: () => Promise.reject(new Error("connection refused")),
    };
    const { POST } = inboxRoute({ onEvent: () => {}, store: failing });
    const response = await POST(githubDelivery(randomUUID())());
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
  });

  it("keeps the shared pool when an idle connection fails, and keeps storing", async () => {
    // pg-pool reports a dropped idle connection as an 'error' event: unheard, it ends the process.
    expect(() =>
      pgPool().emit("error", new Error("terminating connection due to administrator command")),
    ).not.toThrow();
    const deliveryId = randomUUID();
    const { POST, settled } = inboxRoute({ onEvent: () => {} });
    expect((await POST(githubDelivery(deliveryId)())).status).toBe(200);
    await settled();
    expect(await rowsOf(deliveryId)).toHaveLength(1);
  });

  it("answers 503 when the database is unreachable, then 200 once the sender retries", async () => {
    // A port that was just open and is now closed: connections are refused at once.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const downPool = new pg.Pool({
      connectionString: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`,
      connectionTimeoutMillis: 1_000,
    });
    const down = new PrismaClient({ adapter: new PrismaPg(downPool) });
    const deliveryId = randomUUID();
    const send = githubDelivery(deliveryId);
    try {
      for (const downStore of [
        createPrismaWebhookInboxStore(down, { pool: downPool }),
        createPrismaWebhookInboxStore(down),
      ]) {
        const { POST } = inboxRoute({ onEvent: () => {}, store: downStore });
        const response = await POST(send());
        expect(response.status).toBe(503);
        expect(response.headers.get("retry-after")).toBe("5");
      }
    } finally {
      await down.$disconnect();
      await downPool.end();
    }
    expect(await rowsOf(deliveryId)).toHaveLength(0);
    const { POST, settled } = inboxRoute({ onEvent: () => {} });
    expect((await POST(send())).status).toBe(200);
    await settled();
    expect(await rowsOf(deliveryId)).toHaveLength(1);
  });

  for (const [path, store] of STORE_PATHS) {
    it(`inserts a batch in one statement: results in order, exact texts and times, stored ones found (${path})`, async () => {
      const [before, fresh, inline, shopless] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      const receivedAt = new Date("2026-03-04T05:06:07.089Z");
      const event = (deliveryId: string) => ({
        provider: "github",
        deliveryId,
        topic: "star",
        shop: "batch.myshopify.com" as string | undefined,
        payload: { deliveryId },
        receivedAt,
      });
      const first = await store.insert(event(before));
      expect(first.isDuplicate).toBe(false);
      const results = await store.insertMany?.([
        event(before),
        {
          ...event(fresh),
          payload: undefined,
          payloadText: '{"id":12345678901234567891,"note":"caf\u00e9 ☕"}',
        },
        { ...event(inline), processedAt: new Date("2026-03-04T05:06:08.001Z") },
        { ...event(shopless), shop: undefined },
      ]);
      expect(results?.map((result) => result.isDuplicate)).toEqual([true, false, false, false]);
      const rows = await prisma.webhookEvent.findMany({
        where: { provider: "github", deliveryId: { in: [before, fresh, inline, shopless] } },
      });
      const byDelivery = new Map(rows.map((row) => [row.deliveryId, row]));
      expect(rows).toHaveLength(4);
      expect(byDelivery.get(before)?.id).toBe(first.isDuplicate ? undefined : first.id);
      for (const [index, deliveryId] of [before, fresh, inline, shopless].entries()) {
        const result = results?.[index];
        if (result && !result.isDuplicate) expect(byDelivery.get(deliveryId)?.id).toBe(result.id);
      }
      expect(byDelivery.get(fresh)).toMatchObject({
        status: "pending",
        shop: "batch.myshopify.com",
        receivedAt,
        nextAttemptAt: receivedAt,
        processedAt: null,
      });
      const [stored] = await prisma.$queryRaw<{ text: string }[]>`
      SELECT "payload"::text AS "text" FROM "WebhookEvent" WHERE "deliveryId" = ${fresh}`;
      expect(stored?.text).toBe('{"id": 12345678901234567891, "note": "café ☕"}');
      expect(byDelivery.get(inline)).toMatchObject({
        status: "processed",
        processedAt: new Date("2026-03-04T05:06:08.001Z"),
      });
      expect(byDelivery.get(shopless)).toMatchObject({
        status: "pending",
        shop: null,
        payload: { deliveryId: shopless },
      });
      // Nothing was due for a drain but the pending ones.
      const due = await store.claimDue({
        now: receivedAt,
        lockedUntil: new Date(receivedAt.getTime() + 60_000),
        limit: 100,
      });
      expect(due.map((row) => row.deliveryId).sort()).toEqual([before, fresh, shopless].sort());
      await prisma.webhookEvent.deleteMany({
        where: { deliveryId: { in: [before, fresh, inline, shopless] } },
      });
    });

    it(`batches concurrent deliveries, and stores payloads jsonb cannot hold as sent (NUL, a lone surrogate) (${path})`, async () => {
      // JSON allows them, PostgreSQL's jsonb refuses them: the batch holding them fails, each of its
      // deliveries is tried alone, and those two are kept as text, parsed back when read.
      const ids = Array.from({ length: 12 }, () => randomUUID());
      const notes = new Map([
        [ids[7] as string, "before\u0000after"],
        [ids[10] as string, "lone \ud800 surrogate"],
      ]);
      // A payload shaped like a kept one reads back as sent too.
      const lookalike = ids[4] as string;
      const payloadOf = (deliveryId: string) =>
        deliveryId === lookalike
          ? { "sprocket:payloadText": "not JSON" }
          : { action: "created", note: notes.get(deliveryId) ?? "ok" };
      const batches: { size: number; failed: boolean }[] = [];
      const spied: WebhookInboxStore = {
        ...store,
        insertMany: async (events) => {
          try {
            const results = (await store.insertMany?.(events)) ?? [];
            batches.push({ size: events.length, failed: false });
            return results;
          } catch (error) {
            batches.push({ size: events.length, failed: true });
            throw error;
          }
        },
      };
      const runs = new Map<string, unknown>();
      const { POST, settled } = inboxRoute({
        store: spied,
        onEvent: (event) => void runs.set(event.deliveryId, event.payload),
      });
      const responses = await Promise.all(
        ids.map((deliveryId) => POST(githubDelivery(deliveryId, payloadOf(deliveryId))())),
      );
      await settled();
      // Two go alone and the rest wait for a statement, so some went in a batch (usually the other
      // ten in one, which jsonb refused); how they split depends on timing, so only that is asserted.
      expect(batches.reduce((count, batch) => count + batch.size, 0)).toBeGreaterThan(1);
      expect(responses.map((response) => response.status)).toEqual(ids.map(() => 200));
      const rows = await prisma.webhookEvent.findMany({
        where: { provider: "github", deliveryId: { in: ids } },
      });
      expect(rows.map((row) => row.deliveryId).sort()).toEqual([...ids].sort());
      expect(rows.every((row) => row.status === "processed")).toBe(true);
      // The handler got each payload exactly as sent.
      for (const deliveryId of ids) expect(runs.get(deliveryId)).toEqual(payloadOf(deliveryId));
      // And a claim reads it back the same way.
      const [kept] = rows.filter((row) => row.deliveryId === ids[7]);
      await prisma.webhookEvent.update({ where: { id: kept?.id ?? "" }, data: { status: "failed" } });
      const claimed = await store.claim(kept?.id ?? "", {
        now: new Date(),
        lockedUntil: new Date(Date.now() + 60_000),
      });
      expect(claimed?.payload).toEqual({ action: "created", note: "before\u0000after" });
    });
  }

  it("deletes deliveries older than the retention period in the drain", async () => {
    const deliveryId = randomUUID();
    const { POST, settled } = inboxRoute({ onEvent: () => {}, now: () => new Date("2020-01-01T00:00:00Z") });
    expect((await POST(githubDelivery(deliveryId)())).status).toBe(200);
    await settled();
    expect(await rowsOf(deliveryId)).toHaveLength(1);
    // The drain's clock is a month later, not today: other files share the table, and a drain at
    // today's time would claim (and fail) their fresh deliveries, or delete their old ones.
    const result = await drainWebhookInbox({
      store,
      handlers: {},
      limit: 1,
      now: () => new Date("2020-02-01T00:00:00Z"),
    });
    expect(result.deleted).toBeGreaterThanOrEqual(1);
    expect(await rowsOf(deliveryId)).toHaveLength(0);
  });

  it("records an outcome only under the claim that holds the event; retention keeps events still to run", async () => {
    // Far in the future, so no drain of another file (at today's time) finds these rows due.
    const at = (offsetMs: number) => new Date(Date.parse("2999-01-01T00:00:00Z") + offsetMs);
    const old = new Date("2019-01-01T00:00:00Z");
    const deliveryIds = [randomUUID(), randomUUID(), randomUUID()];
    const ids: string[] = [];
    for (const deliveryId of deliveryIds) {
      const stored = await store.insert({
        provider: "github",
        deliveryId,
        topic: "star",
        shop: undefined,
        payload: { action: "created" },
        payloadText: '{"action":"created"}',
        receivedAt: old,
      });
      if (stored.isDuplicate) throw new Error("expected a new row");
      ids.push(stored.id);
    }
    await prisma.webhookEvent.updateMany({ where: { id: { in: ids } }, data: { nextAttemptAt: at(0) } });
    const [raced, pending, failing] = ids as [string, string, string];

    const first = { now: at(0), lockedUntil: at(1_000) };
    expect(await store.claim(raced, first)).toMatchObject({ attempts: 1 });
    // The first run outlives its lock; a second claim takes the event over.
    const second = { now: at(2_000), lockedUntil: at(3_000) };
    expect(await store.claim(raced, second)).toMatchObject({ attempts: 2 });
    expect(await store.complete(raced, { now: at(2_500), lockedUntil: first.lockedUntil })).toBe(false);
    expect(
      await store.fail(raced, {
        now: at(2_500),
        lockedUntil: first.lockedUntil,
        error: "late",
        nextAttemptAt: undefined,
      }),
    ).toBe(false);
    expect(await prisma.webhookEvent.findUnique({ where: { id: raced } })).toMatchObject({
      status: "processing",
      lastError: null,
    });
    expect(await store.complete(raced, { now: at(2_600), lockedUntil: second.lockedUntil })).toBe(true);

    const failingLease = { now: at(0), lockedUntil: at(1_000) };
    expect(await store.claim(failing, failingLease)).toBeDefined();
    expect(await store.fail(failing, { ...failingLease, error: "down", nextAttemptAt: at(60_000) })).toBe(
      true,
    );

    // Past the retention period: the processed one goes, the pending and the failed ones stay.
    expect(await store.deleteReceivedBefore(new Date("2019-02-01T00:00:00Z"))).toBe(1);
    const left = await prisma.webhookEvent.findMany({
      where: { id: { in: ids } },
      orderBy: { status: "asc" },
    });
    expect(left.map(({ id, status }) => [id, status]).sort()).toEqual(
      [
        [pending, "pending"],
        [failing, "failed"],
      ].sort(),
    );
    await prisma.webhookEvent.deleteMany({ where: { id: { in: ids } } });
  });

  it("refuses a queryTimeoutMs that is not a positive number of milliseconds", () => {
    for (const queryTimeoutMs of [0, -1, Number.NaN]) {
      expect(() => createPrismaWebhookInboxStore(prisma, { pool: pgPool, queryTimeoutMs })).toThrow(
        /queryTimeoutMs must be a positive number/,
      );
    }
  });

  if (databaseKind === "postgresql") {
    it("fails an insert stuck behind a lock after queryTimeoutMs, closing its connection", async () => {
      const locker = new pg.Client({ connectionString: databaseUrl });
      const storePool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
      const timedStore = createPrismaWebhookInboxStore(prisma, { pool: storePool, queryTimeoutMs: 300 });
      const deliveryId = randomUUID();
      const event = {
        provider: "github",
        deliveryId,
        topic: "star",
        shop: undefined,
        payload: { deliveryId },
        receivedAt: new Date(),
      };
      await locker.connect();
      try {
        await locker.query("BEGIN");
        await locker.query('LOCK TABLE "WebhookEvent" IN ACCESS EXCLUSIVE MODE');
        // Settles while the lock is still held: only the timeout can end it.
        await expect(timedStore.insert(event)).rejects.toThrow(/timeout/i);
        // The connection it ran on was closed rather than handed to the next statement.
        expect(storePool.totalCount).toBe(0);
      } finally {
        await locker.query("ROLLBACK");
        await locker.end();
      }
      // The statement given up on may still commit once the lock goes: the sender's retry then
      // finds it. One row either way.
      await timedStore.insert(event);
      expect(await rowsOf(deliveryId)).toHaveLength(1);
      await storePool.end();
    });

    it("stores 20 concurrent copies of one delivery once and runs it once, without a 500", async () => {
      const deliveryId = randomUUID();
      let runs = 0;
      const { POST, settled } = inboxRoute({ onEvent: () => void runs++ });
      const send = githubDelivery(deliveryId);
      const responses = await Promise.all(Array.from({ length: 20 }, () => POST(send())));
      await settled();
      expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
      const firsts = responses.filter((response) => response.headers.get("x-webhook-duplicate") === "false");
      expect(firsts).toHaveLength(1);
      expect(await rowsOf(deliveryId)).toHaveLength(1);
      expect(runs).toBe(1);
    });

    it("lets two concurrent drains claim each due event once", async () => {
      const provider = `drain-${randomUUID()}`;
      const at = new Date("2020-06-01T00:00:00Z");
      const ids: string[] = [];
      for (let index = 0; index < 30; index++) {
        const stored = await store.insert({
          provider,
          deliveryId: String(index),
          topic: "t",
          shop: undefined,
          payload: { index },
          receivedAt: at,
        });
        if (!stored.isDuplicate) ids.push(stored.id);
      }
      const runs: string[] = [];
      // Each drain claims as much as it can; the other drain's rows are skipped, not waited on. At
      // this test's time, so the drains claim only this test's rows, not other files' fresh ones.
      const drain = () =>
        drainWebhookInbox({
          store,
          handlers: { [provider]: (event) => void runs.push(event.id) },
          limit: 1_000,
          retentionMs: Number.POSITIVE_INFINITY,
          now: () => new Date(at.getTime() + 1_000),
        });
      const [one, two] = await Promise.all([drain(), drain()]);
      expect([...runs].sort()).toEqual([...ids].sort());
      expect(one.claimed + two.claimed).toBe(30);
      await prisma.webhookEvent.deleteMany({ where: { provider } });
    });
  }
});
