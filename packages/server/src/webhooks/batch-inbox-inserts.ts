import type { NewWebhookEvent, WebhookInboxInsert, WebhookInboxStore } from "./webhook-inbox-store.js";

/**
 * Statements a store runs at once, unless it says otherwise (`insertsInFlight`), before further
 * deliveries wait to go in the next batch. One: while it commits, the deliveries that arrive gather
 * into the next statement, so a busy inbox sends fewer, larger statements. On a PostgreSQL server
 * sharing two cores with the app, the benchmark's p99 latency against a no-op route was within
 * 1.3 times in six runs of ten (1.04 to 1.41), against one of seven with two statements (1.25 to
 * 1.51), and PostgreSQL spent less CPU per delivery (`bench/README.md`). A lone delivery still goes
 * at once.
 */
export const INBOX_INSERTS_IN_FLIGHT = 1;
/** The most deliveries one statement inserts. */
export const INBOX_INSERT_BATCH_LIMIT = 100;
/**
 * The most payload text one statement carries, in characters (a batch holds at least one
 * delivery): GitHub sends bodies of up to 25 MiB.
 */
export const INBOX_INSERT_BATCH_CHARACTERS = 4 * 1_048_576;
/**
 * The most deliveries waiting for a statement. A database that stalls would otherwise gather every
 * incoming body in memory; past this, a delivery is refused at once (the route answers 503 and the
 * sender retries later).
 */
export const INBOX_INSERT_QUEUE_LIMIT = 1_000;
/**
 * How long a batch may hold its slot, at least (longer when its deliveries' routes wait longer). A
 * statement that hangs (a half-open connection) then fails its deliveries and frees the slot, so
 * one stuck call does not stop every later delivery.
 */
export const INBOX_INSERT_BATCH_TIMEOUT_MS = 3_000;
/**
 * Statements given up on by the timeout but still running that the batcher tolerates: past this,
 * a timed-out batch keeps its slot, so a database that hangs holds a bounded number of statements,
 * connections and bodies, and later deliveries wait (and get 503 once their routes stop waiting).
 */
export const INBOX_INSERTS_ABANDONED_LIMIT = 4;
/** The most single inserts at once when a failed batch is tried again one delivery at a time. */
export const INBOX_INSERT_RETRY_CONCURRENCY = 4;

/** Options of one insert. */
export interface InboxInsertOptions {
  /**
   * When the caller stops waiting (a `Date.now()` time): a delivery still queued then is dropped
   * unwritten and rejected, as its route has already answered 503.
   */
  deadline?: number;
}

type Insert = (event: NewWebhookEvent, options?: InboxInsertOptions) => Promise<WebhookInboxInsert>;

interface Pending {
  event: NewWebhookEvent;
  deadline: number;
  resolve: (result: WebhookInboxInsert) => void;
  reject: (error: unknown) => void;
}

const inserters = new WeakMap<WebhookInboxStore, Insert>();

/**
 * How the routes insert into `store`: through its `insertMany` in batches when it has one, else one
 * `insert` per delivery. One batcher per store, shared by every route on it.
 *
 * Group commit, as databases do for their log: while {@link INBOX_INSERTS_IN_FLIGHT} statements
 * (or the store's `insertsInFlight`) are running, the deliveries that arrive wait and then go
 * together in one statement, so a burst costs one round trip and one commit (one WAL flush) per
 * batch instead of per delivery. Nothing waits on a timer: a delivery that finds a free slot goes
 * at once, alone, so a quiet app answers as fast as with `insert`. Each delivery still answers only
 * after the statement that holds it has committed.
 */
export function inboxInserter(store: WebhookInboxStore): Insert {
  let insert = inserters.get(store);
  if (insert === undefined) {
    const problem = inboxStoreProblem(store);
    if (problem) throw new TypeError(problem);
    insert =
      typeof store.insertMany === "function" ? batchInserts(store) : (event) => callStore(store, event);
    inserters.set(store, insert);
  }
  return insert;
}

/**
 * What is wrong with `store`'s batching settings, for the checks made when a route or app is
 * configured; undefined when nothing is.
 *
 * @example
 * const problem = inboxStoreProblem(store);
 * if (problem) throw new TypeError(problem);
 */
export function inboxStoreProblem(store: WebhookInboxStore): string | undefined {
  const slots = store.insertsInFlight;
  if (slots === undefined || (Number.isSafeInteger(slots) && slots >= 1)) return undefined;
  return `A webhook store's insertsInFlight must be a positive integer, got ${slots}`;
}

/** `store.insert(event)`, with a synchronous throw turned into a rejection. */
function callStore(store: WebhookInboxStore, event: NewWebhookEvent): Promise<WebhookInboxInsert> {
  try {
    return Promise.resolve(store.insert(event));
  } catch (error) {
    return Promise.reject(error);
  }
}

function batchInserts(store: WebhookInboxStore): Insert {
  const queue: Pending[] = [];
  let inFlight = 0;
  const slots = store.insertsInFlight ?? INBOX_INSERTS_IN_FLIGHT;

  /** The next batch: deliveries still awaited, up to the count and size limits. */
  const takeBatch = (): Pending[] => {
    const batch: Pending[] = [];
    let characters = 0;
    const now = Date.now();
    while (queue.length > 0 && batch.length < INBOX_INSERT_BATCH_LIMIT) {
      const next = queue[0] as Pending;
      if (next.deadline <= now) {
        queue.shift();
        next.reject(new Error("The webhook's route stopped waiting before its turn to be stored"));
        continue;
      }
      const size = next.event.payloadText?.length ?? 0;
      if (batch.length > 0 && characters + size > INBOX_INSERT_BATCH_CHARACTERS) break;
      queue.shift();
      batch.push(next);
      characters += size;
    }
    return batch;
  };

  let abandoned = 0;

  const pump = () => {
    while (inFlight < slots && queue.length > 0) {
      const batch = takeBatch();
      if (batch.length === 0) return;
      inFlight++;
      let holdsSlot = true;
      const releaseSlot = () => {
        if (!holdsSlot) return;
        holdsSlot = false;
        inFlight--;
        pump();
      };
      // Until the last of its routes stops waiting, and never less than the floor.
      const latest = Math.max(...batch.map(({ deadline }) => (Number.isFinite(deadline) ? deadline : 0)));
      const timeoutMs = Math.max(INBOX_INSERT_BATCH_TIMEOUT_MS, latest - Date.now());
      let isAbandoned = false;
      const timer = setTimeout(() => {
        const error = new Error(`The webhook store did not answer within ${timeoutMs} ms`);
        for (const pending of batch) pending.reject(error);
        if (abandoned < INBOX_INSERTS_ABANDONED_LIMIT) {
          abandoned++;
          isAbandoned = true;
          releaseSlot();
        }
      }, timeoutMs);
      void insertBatch(store, batch).finally(() => {
        clearTimeout(timer);
        if (isAbandoned) abandoned--;
        releaseSlot();
      });
    }
  };

  return (event, { deadline = Number.POSITIVE_INFINITY } = {}) =>
    new Promise<WebhookInboxInsert>((resolve, reject) => {
      if (queue.length >= INBOX_INSERT_QUEUE_LIMIT) {
        reject(new Error(`${INBOX_INSERT_QUEUE_LIMIT} deliveries are already waiting for the inbox store`));
        return;
      }
      queue.push({ event, deadline, resolve, reject });
      pump();
    });
}

const keyOf = ({ event }: Pending) => `${event.provider}\u0000${event.deliveryId}`;

/** Inserts one batch and settles each of its deliveries. Never rejects. */
async function insertBatch(store: WebhookInboxStore, batch: Pending[]): Promise<void> {
  // Copies of one delivery in the same batch: the first is inserted (or found stored), and the
  // others are its duplicates whatever happens to it, as they would be one statement later.
  const firsts = new Map<string, Pending>();
  const copies: { copy: Pending; first: Pending }[] = [];
  for (const pending of batch) {
    const key = keyOf(pending);
    const first = firsts.get(key);
    if (first === undefined) firsts.set(key, pending);
    else copies.push({ copy: pending, first });
  }
  // In key order: two instances inserting overlapping batches then lock the keys in the same
  // order, so their statements wait on each other instead of deadlocking.
  const unique = [...firsts].sort(([left], [right]) => (left < right ? -1 : 1)).map(([, pending]) => pending);
  const outcomes = new Map<Pending, Promise<WebhookInboxInsert>>();
  if (unique.length === 1) {
    const [only] = unique as [Pending];
    outcomes.set(only, callStore(store, only.event));
  } else {
    let results: WebhookInboxInsert[] | undefined;
    try {
      results = await store.insertMany?.(unique.map(({ event }) => event));
      if (results?.length !== unique.length) results = undefined;
    } catch {
      results = undefined;
    }
    // A statement that failed may have failed for one delivery alone (a value the database
    // refuses), or after its commit (the answer lost): each delivery is tried on its own, so the
    // others still get in, and one already committed answers as a duplicate. A few at a time, so a
    // failed batch of 100 does not become 100 statements at once.
    const retry = limitConcurrency(INBOX_INSERT_RETRY_CONCURRENCY);
    for (const [index, pending] of unique.entries()) {
      const result = results?.[index];
      outcomes.set(
        pending,
        result === undefined ? retry(() => callStore(store, pending.event)) : Promise.resolve(result),
      );
    }
  }
  await Promise.all(
    [...outcomes].map(async ([pending, outcome]) => {
      try {
        pending.resolve(await outcome);
      } catch (error) {
        pending.reject(error);
      }
    }),
  );
  for (const { copy, first } of copies) {
    const outcome = outcomes.get(first) as Promise<WebhookInboxInsert>;
    await outcome.then(
      () => copy.resolve({ isDuplicate: true }),
      (error: unknown) => copy.reject(error),
    );
  }
}

/** Runs the tasks it is given at most `limit` at a time, in the order given. */
function limitConcurrency(limit: number): <Value>(task: () => Promise<Value>) => Promise<Value> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
