import { pino } from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  drainWebhookInbox,
  type NewWebhookEvent,
  WEBHOOK_DUPLICATE_HEADER,
  type WebhookInboxEvent,
  type WebhookInboxStore,
  webhookRetryDelay,
  webhookRoute,
} from "./index.js";
import { memoryInboxStore } from "./test/memory-inbox-store.js";
import { encoder, githubHeaders, shopifyHeaders } from "./test/sign.js";

const secret = "route-test-secret";
const logger = pino({ level: "silent" });
const body = encoder.encode(JSON.stringify({ action: "created" }));

function githubRequest(bytes: Uint8Array = body, init: RequestInit = {}) {
  return new Request("https://app.example/webhooks/github", {
    method: "POST",
    headers: githubHeaders(secret, bytes),
    body: bytes as Uint8Array<ArrayBuffer>,
    ...init,
  });
}

/** A GitHub delivery with its own delivery id. */
function uniqueGithubRequest(action: string) {
  const bytes = encoder.encode(JSON.stringify({ action }));
  const headers = githubHeaders(secret, bytes);
  headers.set("X-GitHub-Delivery", crypto.randomUUID());
  return githubRequest(bytes, { headers });
}

function collectingRoute(options: Partial<Parameters<typeof webhookRoute>[0]> = {}) {
  // Run only when the test says so: proves the handler waits for the answer.
  const tasks: (() => Promise<void>)[] = [];
  const store = memoryInboxStore();
  const events: WebhookInboxEvent[] = [];
  const POST = webhookRoute({
    provider: "github",
    secrets: secret,
    store,
    onEvent: (event) => void events.push(event),
    after: (task) => void tasks.push(task),
    logger,
    ...options,
  });
  return { POST, store, events, settled: () => Promise.all(tasks.map((task) => task())) };
}

/** A store in memory that records each event inserted, as the route gave it, before storing `keep(event)`. */
function recordingStore(keep: (event: NewWebhookEvent) => NewWebhookEvent = (event) => event) {
  const inserted: NewWebhookEvent[] = [];
  const memory = memoryInboxStore();
  const store: WebhookInboxStore = {
    ...memory,
    insert: (event) => {
      inserted.push(event);
      return memory.insert(keep(event));
    },
  };
  return { store, inserted };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("webhookRoute", () => {
  it("stores, acknowledges, then runs the handler with the delivery and no identity", async () => {
    const { POST, store, events, settled } = collectingRoute();
    const response = await POST(githubRequest());
    expect(response.status).toBe(200);
    expect(store.rows.size).toBe(1);
    expect(events).toHaveLength(0);
    await settled();
    expect(events).toMatchObject([
      {
        provider: "github",
        topic: "star",
        deliveryId: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
        attempt: 1,
        payload: { action: "created" },
      },
    ]);
    expect(Object.keys(events[0] ?? {})).not.toContain("api");
  });

  it("acknowledges with no body, the status asked for, and whether the delivery was a duplicate", async () => {
    const { POST } = collectingRoute({ acknowledgeStatus: 202 });
    const first = await POST(githubRequest());
    expect([first.status, first.headers.get(WEBHOOK_DUPLICATE_HEADER), await first.text()]).toEqual([
      202,
      "false",
      "",
    ]);
    // A duplicate answers 200 whatever the first acknowledgement's status.
    const again = await POST(githubRequest());
    expect([again.status, again.headers.get(WEBHOOK_DUPLICATE_HEADER), await again.text()]).toEqual([
      200,
      "true",
      "",
    ]);
  });

  it("gives the store the body's JSON text as received, next to the parsed payload", async () => {
    const { store, inserted } = recordingStore();
    const { POST } = collectingRoute({ store });
    // An id past 2^53: only the text keeps its digits.
    const text = '{ "id": 12345678901234567891, "action": "created" }';
    expect((await POST(githubRequest(encoder.encode(text)))).status).toBe(200);
    expect(inserted).toMatchObject([{ payloadText: text, payload: { action: "created" } }]);
  });

  it("checks the body is JSON without parsing it: the payload is parsed only when something reads it", async () => {
    // A store that keeps the text, as a jsonb one does, and never reads the payload.
    const { store, inserted } = recordingStore(
      ({ provider, deliveryId, topic, shop, payloadText, receivedAt }) => ({
        provider,
        deliveryId,
        topic,
        shop,
        payload: undefined,
        payloadText,
        receivedAt,
      }),
    );
    const { POST } = collectingRoute({ store });
    const text = JSON.stringify({ action: "created", items: [{ id: 1 }, { id: 2 }] });
    const parse = vi.spyOn(JSON, "parse");
    expect((await POST(githubRequest(encoder.encode(text)))).status).toBe(200);
    expect(parse.mock.calls.filter(([argument]) => argument === text)).toEqual([]);
    // Read later, it is the body's value, parsed once.
    expect(inserted[0]?.payload).toEqual({ action: "created", items: [{ id: 1 }, { id: 2 }] });
    expect(inserted[0]?.payload).toBe(inserted[0]?.payload);
    expect(parse.mock.calls.filter(([argument]) => argument === text)).toHaveLength(1);
    parse.mockRestore();
  });

  it("reads a GitHub delivery sent as a form (payload=...), storing its JSON", async () => {
    const { POST, store, events, settled } = collectingRoute();
    const json = JSON.stringify({ action: "created", starred_at: "2026-11-30T10:00:00Z" });
    const form = encoder.encode(new URLSearchParams({ payload: json }).toString());
    const response = await POST(
      new Request("https://app.example/webhooks/github", {
        method: "POST",
        headers: {
          ...Object.fromEntries(githubHeaders(secret, form)),
          "content-type": "application/x-www-form-urlencoded",
        },
        body: form,
      }),
    );
    expect(response.status).toBe(200);
    await settled();
    expect(events[0]?.payload).toEqual(JSON.parse(json));
    expect([...store.rows.values()][0]?.payload).toEqual(JSON.parse(json));
    // A form that is not GitHub's one `payload` field of JSON is refused like any body that is not JSON.
    for (const other of [
      "payload=not-json",
      `payload=${encodeURIComponent(json)}&extra=1`,
      `payload=${encodeURIComponent(`\uFEFF${json}`)}`,
    ]) {
      const bytes = encoder.encode(other);
      expect((await POST(githubRequest(bytes))).status).toBe(400);
    }
  });

  it("answers 413 from a declared Content-Length alone, reading nothing", async () => {
    const { POST, store } = collectingRoute({ bodyLimit: 64 });
    let pulls = 0;
    const request = new Request("https://app.example/webhooks/github", {
      method: "POST",
      headers: { ...Object.fromEntries(githubHeaders(secret, body)), "content-length": "65" },
      body: new ReadableStream(
        {
          pull(controller) {
            pulls++;
            controller.enqueue(new Uint8Array(65));
            controller.close();
          },
        },
        { highWaterMark: 0 },
      ),
      duplex: "half",
    } as RequestInit);
    expect((await POST(request)).status).toBe(413);
    expect(pulls).toBe(0);
    expect(store.rows.size).toBe(0);
  });

  it("answers 405, 413 and 400 (not JSON) without storing", async () => {
    const { POST, store } = collectingRoute({ bodyLimit: 64 });
    expect((await POST(new Request("https://app.example/webhooks/github"))).headers.get("allow")).toBe(
      "POST",
    );
    expect((await POST(githubRequest(new Uint8Array(65).fill(32)))).status).toBe(413);
    expect((await POST(githubRequest(encoder.encode("{not json")))).status).toBe(400);
    expect(store.rows.size).toBe(0);
  });

  it("answers 503 with Retry-After when the store does not answer in time", async () => {
    vi.useFakeTimers();
    const store = memoryInboxStore();
    let called: () => void = () => {};
    const isCalled = new Promise<void>((resolve) => {
      called = resolve;
    });
    const hanging = {
      ...store,
      insert: () => {
        called();
        return new Promise<never>(() => {});
      },
    };
    const { POST } = collectingRoute({ store: hanging, storeTimeoutMs: 3_000 });
    const pending = POST(githubRequest());
    await isCalled;
    await vi.advanceTimersByTimeAsync(3_000);
    const response = await pending;
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
  });

  it("keys Shopify deliveries by event id when sent, else by webhook id", async () => {
    const store = memoryInboxStore();
    const shopify = webhookRoute({
      provider: "shopify",
      secrets: secret,
      store,
      onEvent: () => {},
      after: () => {},
      logger,
    });
    const send = (extra: Record<string, string>) =>
      shopify(
        new Request("https://app.example/webhooks/shopify", {
          method: "POST",
          headers: shopifyHeaders(secret, body, extra),
          body,
        }),
      );
    expect((await send({ "X-Shopify-Event-Id": "event-1" })).status).toBe(200);
    expect(
      (await send({ "X-Shopify-Event-Id": "event-1", "X-Shopify-Webhook-Id": "another-webhook" })).status,
    ).toBe(200);
    expect((await send({})).status).toBe(200);
    expect([...store.rows.values()].map((row) => row.deliveryId)).toEqual([
      "event-1",
      "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
    ]);
    expect([...store.rows.values()][0]).toMatchObject({
      topic: "orders/create",
      shop: "example.myshopify.com",
    });
  });

  it("retries through the drain with backoff and ends dead after maxAttempts", async () => {
    let clock = 0;
    const now = () => new Date(clock);
    const onEvent = () => {
      throw new Error("down");
    };
    const retry = { maxAttempts: 2 };
    const { POST, store, settled } = collectingRoute({ onEvent, now, retry });
    await POST(githubRequest());
    await settled();
    const [row] = store.rows.values();
    expect(row).toMatchObject({ status: "failed", attempts: 1, lastError: "Error: down" });
    expect(row?.nextAttemptAt.getTime()).toBe(webhookRetryDelay(1));
    clock = webhookRetryDelay(1);
    expect(
      await drainWebhookInbox({ store, handlers: { github: onEvent }, now, retry, logger }),
    ).toMatchObject({ claimed: 1, dead: 1 });
    expect(row).toMatchObject({ status: "dead", attempts: 2 });
  });

  it("records a run's outcome only while its claim holds the event: a run that outlived its lock overwrites nothing", async () => {
    let clock = 0;
    const now = () => new Date(clock);
    const { POST, store } = collectingRoute({ now });
    await POST(githubRequest());
    let failFirst!: (error: Error) => void;
    const firstRun = new Promise<void>((_, reject) => {
      failFirst = reject;
    });
    let runs = 0;
    const handler = async () => {
      runs += 1;
      if (runs === 1) await firstRun;
    };
    const retry = { lockMs: 1_000 };
    const slow = drainWebhookInbox({ store, handlers: { github: handler }, now, retry, logger });
    await vi.waitFor(() => expect(runs).toBe(1));
    clock = 1_001; // the first run's lock has expired: another drain takes the event over
    expect(
      await drainWebhookInbox({ store, handlers: { github: handler }, now, retry, logger }),
    ).toMatchObject({ claimed: 1, processed: 1 });
    const [row] = store.rows.values();
    expect(row).toMatchObject({ status: "processed", attempts: 2, lastError: null });
    failFirst(new Error("late failure"));
    expect(await slow).toMatchObject({ claimed: 1, failed: 1 });
    expect(row).toMatchObject({ status: "processed", attempts: 2, lastError: null });
  });

  it("makes an event dead, unrun, once its claims have spent every attempt without an outcome", async () => {
    const { POST, store } = collectingRoute();
    await POST(githubRequest());
    const [row] = store.rows.values();
    if (!row) throw new Error("expected a row");
    // Eight runs started and their instances stopped mid-run: the last lock has expired.
    Object.assign(row, { status: "processing", attempts: 8, lockedUntil: new Date(Date.now() - 1) });
    const handler = vi.fn();
    expect(await drainWebhookInbox({ store, handlers: { github: handler }, logger })).toMatchObject({
      claimed: 1,
      dead: 1,
    });
    expect(handler).not.toHaveBeenCalled();
    expect(row).toMatchObject({ status: "dead", attempts: 9 });
    expect(row.lastError).toMatch(/Attempts exhausted/);
  });

  it("goes on draining when one outcome cannot be recorded, and claims one event at a time", async () => {
    const { POST, store } = collectingRoute();
    await POST(uniqueGithubRequest("created"));
    await POST(uniqueGithubRequest("deleted"));
    const claimDue = vi.spyOn(store, "claimDue");
    const complete = store.complete;
    let completions = 0;
    store.complete = async (id, outcome) => {
      completions += 1;
      if (completions === 1) throw new Error("connection reset");
      return complete(id, outcome);
    };
    const lines: string[] = [];
    const result = await drainWebhookInbox({
      store,
      handlers: { github: () => {} },
      logger: pino({ level: "error" }, { write: (line: string) => lines.push(line) }),
    });
    expect(result).toMatchObject({ claimed: 2, processed: 1 });
    expect(claimDue.mock.calls.map(([lease]) => lease.limit)).toEqual([1, 1, 1]);
    expect([...store.rows.values()].map((row) => row.status).sort()).toEqual(["processed", "processing"]);
    expect(lines.join("")).toContain("connection reset");
  });

  it("deletes finished events past the retention period and keeps those still to run", async () => {
    const { POST, store } = collectingRoute({ now: () => new Date(0) });
    for (const action of ["a", "b", "c", "d"]) await POST(uniqueGithubRequest(action));
    const statuses = ["processed", "dead", "pending", "failed"] as const;
    [...store.rows.values()].forEach((row, index) => {
      Object.assign(row, { status: statuses[index], nextAttemptAt: new Date(8.64e15) });
    });
    const result = await drainWebhookInbox({
      store,
      handlers: {},
      retentionMs: 1,
      now: () => new Date(10),
      logger,
    });
    expect(result).toMatchObject({ claimed: 0, deleted: 2 });
    expect([...store.rows.values()].map((row) => row.status).sort()).toEqual(["failed", "pending"]);
  });

  it("records the handler's error with tokens redacted, as the logs have it", async () => {
    const token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl";
    const { POST, store, settled } = collectingRoute({
      onEvent: () => {
        throw new Error(`Shopify refused the session token '${token}'`);
      },
    });
    await POST(githubRequest());
    await settled();
    const [row] = store.rows.values();
    expect(row?.lastError).toBe("Error: Shopify refused the session token '[Redacted]'");
  });

  it("waits the default delay after an attempt whose delayMs is not a number of milliseconds", async () => {
    const { POST, store, settled } = collectingRoute({
      now: () => new Date(0),
      onEvent: () => {
        throw new Error("down");
      },
      retry: { delayMs: () => Number.NaN },
    });
    await POST(githubRequest());
    await settled();
    const [row] = store.rows.values();
    expect(row).toMatchObject({ status: "failed", attempts: 1 });
    expect(row?.nextAttemptAt.getTime()).toBe(webhookRetryDelay(1));
  });

  it("checks its options when the module loads", () => {
    const store = memoryInboxStore();
    // @ts-expect-error an unknown provider
    expect(() => webhookRoute({ provider: "gitlab", secrets: secret, store, onEvent: () => {} })).toThrow(
      TypeError,
    );
    // @ts-expect-error a missing handler
    expect(() => webhookRoute({ provider: "github", secrets: secret, store })).toThrow(/onEvent/);
  });
});
