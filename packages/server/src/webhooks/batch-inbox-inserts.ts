import type { NewWebhookEvent, WebhookInboxInsert, WebhookInboxStore } from "./webhook-inbox-store.js";

/**
 * Statements a store runs at once before further deliveries wait to go in the next batch. Two keep
 * the database busy (one commits while the next is sent) without taking the app's whole pool.
 */
export const INBOX_INSERTS_IN_FLIGHT = 2;
/** The most deliveries one statement inserts. */
export const INBOX_INSERT_BATCH_LIMIT = 100;
/**
 * The most deliveries waiting for a statement. A database that stalls would otherwise gather every
 * incoming body in memory; past this, a delivery is refused at once (the route answers 503 and the
 * sender retries later).
 */
export const INBOX_INSERT_QUEUE_LIMIT = 1_000;

type Insert = (event: NewWebhookEvent) => Promise<WebhookInboxInsert>;

interface Pending {
  event: NewWebhookEvent;
  resolve: (result: WebhookInboxInsert) => void;
  reject: (error: unknown) => void;
}

const inserters = new WeakMap<WebhookInboxStore, Insert>();

/**
 * How the routes insert into `store`: through its `insertMany` in batches when it has one, else one
 * `insert` per delivery. One batcher per store, shared by every route on it.
 *
 * Group commit, as databases do for their log: while {@link INBOX_INSERTS_IN_FLIGHT} statements
 * are running, the deliveries that arrive wait and then go together in one statement, so a burst
 * costs one round trip and one commit (one WAL flush) per batch instead of per delivery. Nothing
 * waits on a timer: a delivery that finds a free slot goes at once, alone, so a quiet app answers
 * as fast as with `insert`. Each delivery still answers only after the statement that holds it has
 * committed.
 */
export function inboxInserter(store: WebhookInboxStore): Insert {
  let insert = inserters.get(store);
  if (insert === undefined) {
    insert = typeof store.insertMany === "function" ? batchInserts(store) : (event) => store.insert(event);
    inserters.set(store, insert);
  }
  return insert;
}

function batchInserts(store: WebhookInboxStore): Insert {
  const queue: Pending[] = [];
  let inFlight = 0;

  const pump = () => {
    while (inFlight < INBOX_INSERTS_IN_FLIGHT && queue.length > 0) {
      const batch = queue.splice(0, INBOX_INSERT_BATCH_LIMIT);
      inFlight++;
      void insertBatch(store, batch).finally(() => {
        inFlight--;
        pump();
      });
    }
  };

  return (event) =>
    new Promise<WebhookInboxInsert>((resolve, reject) => {
      if (queue.length >= INBOX_INSERT_QUEUE_LIMIT) {
        reject(new Error(`${INBOX_INSERT_QUEUE_LIMIT} deliveries are already waiting for the inbox store`));
        return;
      }
      queue.push({ event, resolve, reject });
      pump();
    });
}

/** Inserts one batch and settles each of its deliveries. Never rejects. */
async function insertBatch(store: WebhookInboxStore, batch: Pending[]): Promise<void> {
  // Copies of one delivery in the same batch: the first is inserted (or found stored), and the
  // others are its duplicates whatever happens to it, as they would be one statement later.
  const firsts = new Map<string, Pending>();
  const copies: { copy: Pending; first: Pending }[] = [];
  for (const pending of batch) {
    const key = `${pending.event.provider}\u0000${pending.event.deliveryId}`;
    const first = firsts.get(key);
    if (first === undefined) firsts.set(key, pending);
    else copies.push({ copy: pending, first });
  }
  const unique = [...firsts.values()];
  const outcomes = new Map<Pending, Promise<WebhookInboxInsert>>();
  if (unique.length === 1) {
    const [only] = unique as [Pending];
    outcomes.set(only, store.insert(only.event));
  } else {
    let results: WebhookInboxInsert[] | undefined;
    try {
      results = await store.insertMany?.(unique.map(({ event }) => event));
      if (results?.length !== unique.length) results = undefined;
    } catch {
      results = undefined;
    }
    unique.forEach((pending, index) => {
      // A statement that failed may have failed for one delivery alone (a value the database
      // refuses), or after its commit (the answer lost): each delivery is tried on its own, so the
      // others still get in, and one already committed answers as a duplicate.
      const result = results?.[index];
      outcomes.set(pending, result === undefined ? store.insert(pending.event) : Promise.resolve(result));
    });
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
    const outcome = outcomes.get(first);
    if (outcome === undefined) continue;
    outcome.then(
      () => copy.resolve({ isDuplicate: true }),
      (error: unknown) => copy.reject(error),
    );
  }
}
