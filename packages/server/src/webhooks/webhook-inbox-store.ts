/** A delivery's place in the inbox. */
export type WebhookEventStatus = "pending" | "processing" | "processed" | "failed" | "dead";

/** A verified delivery as the inbox stores it. */
export interface NewWebhookEvent {
  provider: string;
  /** The provider's id for the delivery: the key duplicates are dropped by, per provider. */
  deliveryId: string;
  /** What happened, such as `star`, `customer.created` or `orders/create`. */
  topic: string;
  /** The shop, for Shopify deliveries. */
  shop: string | undefined;
  /**
   * The parsed JSON body. From a route, it is parsed from `payloadText` when first read: a store
   * that inserts the text never builds it.
   */
  payload: unknown;
  /**
   * The body's JSON text as received, when the route read it (`payload` is parsed from it), checked
   * to be JSON. A store that keeps JSON text (a `jsonb` column) can insert it as is: no second
   * serialization, no parse, and integers past 2^53 keep their exact digits.
   */
  payloadText?: string;
  receivedAt: Date;
  /**
   * Set for a delivery its route handles inline (`authenticate.webhook`): the store records it as
   * `processed` at this time, so no drain ever runs it. A store that ignores it stores it `pending`,
   * and the route then marks it processed with `claim` and `complete`.
   */
  processedAt?: Date;
}

/**
 * What an insert did: stored the delivery under `id`, or found it already stored. A store that
 * honours `processedAt` says so with `status: "processed"`, which spares the inline route its
 * claim-and-complete.
 */
export type WebhookInboxInsert =
  | { id: string; isDuplicate: false; status?: Extract<WebhookEventStatus, "pending" | "processed"> }
  | { isDuplicate: true };

/** A stored delivery, as handlers and the inbox page see it. */
export interface StoredWebhookEvent {
  id: string;
  provider: string;
  deliveryId: string;
  topic: string;
  shop: string | null;
  payload: unknown;
  status: WebhookEventStatus;
  /** Handler runs started so far, this one included while it runs. */
  attempts: number;
  lastError: string | null;
  receivedAt: Date;
  nextAttemptAt: Date;
  processedAt: Date | null;
}

/**
 * Where the inbox keeps deliveries: one table with a unique (provider, deliveryId) key. Every
 * method is one atomic statement, so any number of app instances can share the table. Every
 * time comes from the caller, so tests drive the clock. `@sprocket/server` ships no store:
 * the demo's `lib/webhook-inbox.ts` implements it on Prisma in ~100 lines.
 */
export interface WebhookInboxStore {
  /**
   * Inserts the delivery as `pending`, due at `receivedAt`, and resolves once it is committed;
   * resolves `{ isDuplicate: true }` without writing when the key is already stored (an
   * `INSERT ... ON CONFLICT DO NOTHING`, so concurrent copies never raise a unique violation).
   */
  insert(event: NewWebhookEvent): Promise<WebhookInboxInsert>;
  /**
   * Optional: inserts several deliveries, with distinct keys, in one atomic statement, as `insert`
   * does each, and resolves their results in the same order. When a store has it, the routes batch
   * concurrent deliveries through it (group commit: one round trip and one commit per batch); a
   * batch that fails is tried again one `insert` per delivery.
   */
  insertMany?(events: readonly NewWebhookEvent[]): Promise<WebhookInboxInsert[]>;
  /**
   * Optional: how many `insertMany` statements the routes run at once; deliveries that arrive while
   * they run wait for the next batch. Default: 1 (`INBOX_INSERTS_IN_FLIGHT`), the fastest on a busy
   * inbox; more shortens the wait of a delivery that arrives during a statement, for a database
   * far away, at the cost of more, smaller statements.
   */
  readonly insertsInFlight?: number;
  /**
   * Claims the event `id` if it is due (see {@link claimDue}): marks it `processing`, counts the
   * attempt and locks it until `lockedUntil`. Resolves `undefined` when it is not due or taken.
   */
  claim(id: string, lease: WebhookLease): Promise<StoredWebhookEvent | undefined>;
  /**
   * Claims up to `limit` due events, skipping rows another instance holds (`FOR UPDATE SKIP
   * LOCKED`). Due: `pending` or `failed` with `nextAttemptAt <= now`, or `processing` whose lock
   * expired (its instance died mid-run).
   */
  claimDue(lease: WebhookLease & { limit: number }): Promise<StoredWebhookEvent[]>;
  /**
   * Marks a claimed event `processed`, only while the claim that ran it still holds it: `status`
   * `processing` with the claim's `lockedUntil`. A run that outlived its lock has lost the event to
   * another claim (a drain, a replay), whose outcome must not be overwritten; the store then
   * changes nothing and may resolve `false`.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: stores written before this resolve `void`
  complete(id: string, outcome: WebhookClaimOutcome): Promise<boolean | void>;
  /**
   * Records a failed run, under the same condition as {@link complete}: `failed` and due again at
   * `nextAttemptAt`, or `dead` when that is `undefined`.
   */
  fail(
    id: string,
    outcome: WebhookClaimOutcome & { error: string; nextAttemptAt: Date | undefined },
    // biome-ignore lint/suspicious/noConfusingVoidType: stores written before this resolve `void`
  ): Promise<boolean | void>;
  /**
   * Makes an event due now with a fresh count of attempts, whatever its status, unless an
   * instance holds it (`processing` with its lock not yet expired): then `"busy"`.
   */
  requeue(id: string, options: { now: Date }): Promise<"requeued" | "busy" | "not-found">;
  /**
   * Deletes finished events (`processed` or `dead`) received before `before`, payloads included;
   * resolves how many. Events still to run are kept: their work is not done.
   */
  deleteReceivedBefore(before: Date): Promise<number>;
}

/** A claim's time and how long it holds the event. */
export interface WebhookLease {
  now: Date;
  lockedUntil: Date;
}

/**
 * When a run ended, and the `lockedUntil` of the claim it ran under: the claim's token (a later
 * claim, made once this lock expired, always locks until a later time).
 */
export interface WebhookClaimOutcome {
  now: Date;
  lockedUntil: Date;
}
