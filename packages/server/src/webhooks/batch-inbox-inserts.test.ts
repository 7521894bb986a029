import { afterEach, describe, expect, it, vi } from "vitest";
import {
  INBOX_INSERT_BATCH_CHARACTERS,
  INBOX_INSERT_BATCH_LIMIT,
  INBOX_INSERT_BATCH_TIMEOUT_MS,
  INBOX_INSERT_QUEUE_LIMIT,
  INBOX_INSERTS_ABANDONED_LIMIT,
  INBOX_INSERTS_IN_FLIGHT,
  inboxInserter,
} from "./batch-inbox-inserts.js";
import { memoryInboxStore } from "./test/memory-inbox-store.js";
import type { NewWebhookEvent, WebhookInboxInsert, WebhookInboxStore } from "./webhook-inbox-store.js";

const event = (deliveryId: string, provider = "github"): NewWebhookEvent => ({
  provider,
  deliveryId,
  topic: "star",
  shop: undefined,
  payload: { deliveryId },
  receivedAt: new Date("2026-01-01T00:00:00Z"),
});

/**
 * A memory store whose statements wait until the test releases them, recording each call: which
 * method, and the deliveries it carried.
 */
function heldStore(options: { failMany?: boolean; refuse?: string; insertsInFlight?: number } = {}) {
  const memory = memoryInboxStore();
  const calls: { method: "insert" | "insertMany"; ids: string[]; release: () => void }[] = [];
  const hold = (method: "insert" | "insertMany", ids: string[]) =>
    new Promise<void>((resolve) => {
      calls.push({ method, ids, release: resolve });
    });
  const store: WebhookInboxStore = {
    ...memory,
    // Two slots unless told otherwise: the tests below follow statements that overlap.
    insertsInFlight: options.insertsInFlight ?? 2,
    async insert(one) {
      await hold("insert", [one.deliveryId]);
      if (one.deliveryId === options.refuse) throw new Error("value refused");
      return memory.insert(one);
    },
    async insertMany(many) {
      await hold(
        "insertMany",
        many.map((one) => one.deliveryId),
      );
      if (options.failMany || many.some((one) => one.deliveryId === options.refuse)) {
        throw new Error("statement failed");
      }
      const results: WebhookInboxInsert[] = [];
      for (const one of many) results.push(await memory.insert(one));
      return results;
    },
  };
  /** Releases every held statement until none is left, letting released work start new ones. */
  const releaseAll = async () => {
    for (let released = 0; ; ) {
      await new Promise((resolve) => setImmediate(resolve));
      if (released === calls.length) return;
      for (const call of calls.slice(released)) call.release();
      released = calls.length;
    }
  };
  return { store, memory, calls, releaseAll };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("inboxInserter: group commit through insertMany", () => {
  it("sends a lone delivery at once with insert, and batches what arrives while statements run", async () => {
    const { store, calls, releaseAll } = heldStore();
    const insert = inboxInserter(store);
    const results = Promise.all(["a", "b", "c", "d", "e"].map((id) => insert(event(id))));
    await new Promise((resolve) => setImmediate(resolve));
    // Two statements in flight (the store's setting), each with one delivery; the other three wait.
    expect(calls.map(({ method, ids }) => [method, ids])).toEqual([
      ["insert", ["a"]],
      ["insert", ["b"]],
    ]);
    await releaseAll();
    expect(calls.map(({ method, ids }) => [method, ids])).toEqual([
      ["insert", ["a"]],
      ["insert", ["b"]],
      ["insertMany", ["c", "d", "e"]],
    ]);
    const settled = await results;
    expect(settled.map((result) => result.isDuplicate)).toEqual([false, false, false, false, false]);
    expect(new Set(settled.map((result) => (result.isDuplicate ? "" : result.id))).size).toBe(5);
  });

  it("runs one statement at a time by default: what arrives meanwhile goes in the next, together", async () => {
    expect(INBOX_INSERTS_IN_FLIGHT).toBe(1);
    const held = heldStore();
    const { insertsInFlight: _twoSlots, ...defaultStore } = held.store;
    const insert = inboxInserter(defaultStore);
    const results = Promise.all(["a", "b", "c", "d"].map((id) => insert(event(id))));
    await new Promise((resolve) => setImmediate(resolve));
    expect(held.calls.map(({ method, ids }) => [method, ids])).toEqual([["insert", ["a"]]]);
    await held.releaseAll();
    expect(held.calls.map(({ method, ids }) => [method, ids])).toEqual([
      ["insert", ["a"]],
      ["insertMany", ["b", "c", "d"]],
    ]);
    expect((await results).map((result) => result.isDuplicate)).toEqual([false, false, false, false]);
  });

  it("refuses a store whose insertsInFlight is not a positive integer", () => {
    for (const insertsInFlight of [0, -1, 1.5, Number.NaN]) {
      expect(() => inboxInserter({ ...heldStore().store, insertsInFlight })).toThrow(/positive integer/);
      // Also a store without insertMany, whose setting would otherwise go unread.
      expect(() => inboxInserter({ ...memoryInboxStore(), insertsInFlight })).toThrow(/positive integer/);
    }
  });

  it("answers the copies of one delivery in a batch as duplicates of the first, stored once", async () => {
    const { store, memory, calls, releaseAll } = heldStore();
    const insert = inboxInserter(store);
    const pending = [
      insert(event("x")),
      insert(event("y")),
      ...Array.from({ length: 5 }, () => insert(event("z"))),
    ];
    // The same id from another provider is another delivery.
    pending.push(insert(event("z", "stripe")));
    await releaseAll();
    const results = await Promise.all(pending);
    expect(calls[2]?.ids).toEqual(["z", "z"]);
    expect(results.map((result) => result.isDuplicate)).toEqual([
      false,
      false,
      false,
      true,
      true,
      true,
      true,
      false,
    ]);
    expect([...memory.rows.values()].map((row) => `${row.provider}/${row.deliveryId}`).sort()).toEqual([
      "github/x",
      "github/y",
      "github/z",
      "stripe/z",
    ]);
  });

  it("tries each delivery of a failed batch on its own: one refused value fails only its delivery", async () => {
    const { store, memory, calls, releaseAll } = heldStore({ refuse: "bad" });
    const insert = inboxInserter(store);
    const ids = ["a", "b", "c", "bad", "d"];
    const outcomes = Promise.allSettled(ids.map((id) => insert(event(id))));
    await releaseAll();
    const settled = await outcomes;
    expect(settled.map((outcome) => outcome.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
    ]);
    expect(calls.map(({ method, ids }) => `${method}:${ids.join(",")}`)).toEqual([
      "insert:a",
      "insert:b",
      "insertMany:bad,c,d",
      "insert:bad",
      "insert:c",
      "insert:d",
    ]);
    expect([...memory.rows.values()].map((row) => row.deliveryId).sort()).toEqual(["a", "b", "c", "d"]);
  });

  it("answers a delivery whose batch committed before it failed as a duplicate when tried alone", async () => {
    const memory = memoryInboxStore();
    let statements = 0;
    const store: WebhookInboxStore = {
      ...memory,
      insertsInFlight: 2,
      insert: (one) => memory.insert(one),
      async insertMany(many) {
        statements++;
        for (const one of many) await memory.insert(one);
        throw new Error("connection lost after the commit");
      },
    };
    const insert = inboxInserter(store);
    const results = await Promise.all(["a", "b", "c", "d"].map((id) => insert(event(id))));
    expect(statements).toBe(1);
    expect(results.map((result) => result.isDuplicate)).toEqual([false, false, true, true]);
    expect(memory.rows.size).toBe(4);
  });

  it("rejects every copy of a delivery whose insert failed, so the sender retries", async () => {
    const { store, releaseAll } = heldStore({ refuse: "bad" });
    const insert = inboxInserter(store);
    const outcomes = Promise.allSettled([
      insert(event("a")),
      insert(event("b")),
      insert(event("bad")),
      insert(event("bad")),
    ]);
    await releaseAll();
    expect((await outcomes).map((outcome) => outcome.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "rejected",
      "rejected",
    ]);
  });

  it("treats results of the wrong length as a failed batch", async () => {
    const memory = memoryInboxStore();
    const store: WebhookInboxStore = { ...memory, insertMany: async () => [] };
    const insert = inboxInserter(store);
    const results = await Promise.all(["a", "b", "c"].map((id) => insert(event(id))));
    expect(results.every((result) => !result.isDuplicate)).toBe(true);
    expect(memory.rows.size).toBe(3);
  });

  it(`puts at most ${INBOX_INSERT_BATCH_LIMIT} deliveries in one statement`, async () => {
    const { store, calls, releaseAll } = heldStore();
    const insert = inboxInserter(store);
    const all = Promise.all(Array.from({ length: 252 }, (_, index) => insert(event(String(index)))));
    await releaseAll();
    await all;
    expect(calls.map(({ ids }) => ids.length)).toEqual([1, 1, 100, 100, 50]);
  });

  it(`refuses a delivery at once while ${INBOX_INSERT_QUEUE_LIMIT} wait behind a stalled store`, async () => {
    const { store, releaseAll } = heldStore();
    const insert = inboxInserter(store);
    // Two in the statements, the rest queued.
    const waiting = Array.from({ length: 2 + INBOX_INSERT_QUEUE_LIMIT }, (_, index) =>
      insert(event(`w${index}`)),
    );
    await expect(insert(event("one too many"))).rejects.toThrow(/already waiting/);
    await releaseAll();
    const results = await Promise.all(waiting);
    expect(results.every((result) => !result.isDuplicate)).toBe(true);
    // Once the queue has room again, deliveries are taken.
    const later = insert(event("later"));
    await releaseAll();
    expect((await later).isDuplicate).toBe(false);
  });

  it("turns a store that throws synchronously into that delivery's rejection, others unharmed", async () => {
    const memory = memoryInboxStore();
    const store: WebhookInboxStore = {
      ...memory,
      insert: (one) => {
        if (one.deliveryId === "bad") throw new Error("thrown, not rejected");
        return memory.insert(one);
      },
      insertMany: () => {
        throw new Error("thrown, not rejected");
      },
    };
    const insert = inboxInserter(store);
    const outcomes = await Promise.allSettled(["bad", "a", "b", "c", "bad"].map((id) => insert(event(id))));
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      "rejected",
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "rejected",
    ]);
    expect(memory.rows.size).toBe(3);
  });

  it("drops a queued delivery whose caller stopped waiting, without writing it", async () => {
    const { store, memory, calls, releaseAll } = heldStore();
    const insert = inboxInserter(store);
    const first = [insert(event("a")), insert(event("b"))];
    const late = insert(event("late"), { deadline: Date.now() - 1 }).then(
      () => "stored",
      (error: Error) => error.message,
    );
    const onTime = insert(event("on-time"), { deadline: Date.now() + 60_000 });
    await releaseAll();
    await Promise.all(first);
    expect(await late).toMatch(/stopped waiting/);
    expect((await onTime).isDuplicate).toBe(false);
    expect(calls.flatMap(({ ids }) => ids)).not.toContain("late");
    expect([...memory.rows.values()].map((row) => row.deliveryId).sort()).toEqual(["a", "b", "on-time"]);
  });

  it("fails a batch that hangs past its timeout and frees its slot for the next", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const memory = memoryInboxStore();
    const store: WebhookInboxStore = {
      ...memory,
      insertsInFlight: 2,
      // "hang" never answers, as over a half-open connection.
      insert: (one) => (one.deliveryId.startsWith("hang") ? new Promise(() => {}) : memory.insert(one)),
      insertMany: async (many) => Promise.all(many.map((one) => memory.insert(one))),
    };
    const insert = inboxInserter(store);
    const hung = [insert(event("hang-1")), insert(event("hang-2"))].map((promise) =>
      promise.then(
        () => "stored",
        (error: Error) => error.message,
      ),
    );
    const waiting = [insert(event("x")), insert(event("y"))];
    await vi.advanceTimersByTimeAsync(INBOX_INSERT_BATCH_TIMEOUT_MS);
    expect(await Promise.all(hung)).toEqual([
      expect.stringMatching(/did not answer/),
      expect.stringMatching(/did not answer/),
    ]);
    expect((await Promise.all(waiting)).map((result) => result.isDuplicate)).toEqual([false, false]);
  });

  it(`gives up on at most ${INBOX_INSERTS_ABANDONED_LIMIT} hung statements, then keeps its slots`, async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const memory = memoryInboxStore();
    let started = 0;
    const store: WebhookInboxStore = {
      ...memory,
      insertsInFlight: 2,
      insert: () => {
        started++;
        return new Promise(() => {});
      },
      insertMany: () => {
        started++;
        return new Promise(() => {});
      },
    };
    const insert = inboxInserter(store);
    const outcome = (promise: Promise<unknown>) =>
      promise.then(
        () => "stored",
        () => "refused",
      );
    // Each round fills both slots; the timeout refuses its deliveries, and frees the slots while
    // fewer than the limit are abandoned.
    const refused: Promise<string>[] = [];
    for (let round = 0; round < 3; round++) {
      refused.push(outcome(insert(event(`r${round}a`))), outcome(insert(event(`r${round}b`))));
      await vi.advanceTimersByTimeAsync(INBOX_INSERT_BATCH_TIMEOUT_MS);
    }
    expect(await Promise.all(refused)).toEqual(Array(6).fill("refused"));
    // Rounds one and two were abandoned (four statements); round three's timed out too but kept
    // their slots, so a later delivery waits and never reaches the store.
    let settled = false;
    void insert(event("later")).finally(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(INBOX_INSERT_BATCH_TIMEOUT_MS * 3);
    expect(started).toBe(INBOX_INSERTS_ABANDONED_LIMIT + 2);
    expect(settled).toBe(false);
  });

  it("waits for a batch as long as its routes do, when that is longer than the floor", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const memory = memoryInboxStore();
    let release: (() => void) | undefined;
    const store: WebhookInboxStore = {
      ...memory,
      insert: async (one) => {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return memory.insert(one);
      },
      insertMany: async (many) => Promise.all(many.map((one) => memory.insert(one))),
    };
    const insert = inboxInserter(store);
    const patient = insert(event("patient"), { deadline: Date.now() + 10_000 });
    await vi.advanceTimersByTimeAsync(INBOX_INSERT_BATCH_TIMEOUT_MS + 1_000);
    release?.();
    expect((await patient).isDuplicate).toBe(false);
  });

  it(`keeps a batch's payload text under ${INBOX_INSERT_BATCH_CHARACTERS} characters, one delivery at least`, async () => {
    const { store, calls, releaseAll } = heldStore();
    const insert = inboxInserter(store);
    const sized = (id: string, characters: number) => ({ ...event(id), payloadText: "x".repeat(characters) });
    const third = INBOX_INSERT_BATCH_CHARACTERS / 3;
    const all = Promise.all([
      insert(event("a")),
      insert(event("b")),
      ...["c", "d", "e", "f"].map((id) => insert(sized(id, third))),
      insert(sized("huge", INBOX_INSERT_BATCH_CHARACTERS * 2)),
    ]);
    await releaseAll();
    await all;
    expect(calls.map(({ ids }) => ids.join(","))).toEqual(["a", "b", "c,d,e", "f", "huge"]);
  });

  it("uses insert alone for a store without insertMany, and one batcher per store", async () => {
    const memory = memoryInboxStore();
    const calls: string[] = [];
    const store: WebhookInboxStore = {
      ...memory,
      insert: (one) => {
        calls.push(one.deliveryId);
        return memory.insert(one);
      },
    };
    expect(inboxInserter(store)).toBe(inboxInserter(store));
    await Promise.all(["a", "b", "c"].map((id) => inboxInserter(store)(event(id))));
    expect(calls).toEqual(["a", "b", "c"]);
  });
});
