import type { Logger } from "pino";
import { createLogger } from "../logger/create-logger.js";
import { runWebhookEvent, type WebhookEventHandler, type WebhookRunOutcome } from "./run-webhook-event.js";
import type { WebhookInboxStore } from "./webhook-inbox-store.js";
import { resolveRetryPolicy, type WebhookRetryPolicy } from "./webhook-retry-policy.js";

/** Finished deliveries are deleted this long after they arrived, by default: 30 days. */
export const WEBHOOK_RETENTION_MS = 30 * 86_400_000;
/** Events one drain claims by default. */
export const WEBHOOK_DRAIN_LIMIT = 25;

/** The application's handler per provider, as given to each `webhookRoute`. */
export type WebhookHandlers = { readonly [provider: string]: WebhookEventHandler | undefined };

/** Options of {@link drainWebhookInbox}. */
export interface DrainWebhookInboxOptions {
  store: WebhookInboxStore;
  /** The handler per provider. An event whose provider has none fails (and is retried). */
  handlers: WebhookHandlers;
  /** Most events claimed and run in this call. Default: {@link WEBHOOK_DRAIN_LIMIT}. */
  limit?: number;
  /** The same policy as the routes'. */
  retry?: WebhookRetryPolicy;
  /**
   * Finished deliveries (processed or dead) older than this are deleted, payloads included, in ms;
   * `Infinity` keeps them. Default: 30 days.
   */
  retentionMs?: number;
  /** The clock. Default: `() => new Date()`. */
  now?: () => Date;
  logger?: Logger;
}

/** What one drain did. */
export interface DrainWebhookInboxResult {
  claimed: number;
  processed: number;
  failed: number;
  dead: number;
  /** Finished deliveries deleted by retention. */
  deleted: number;
}

/**
 * Runs the inbox's due events: retries whose backoff has passed, deliveries whose instance froze
 * or died before running them, and replays. Safe on any number of instances at once: each event
 * is claimed by one (`FOR UPDATE SKIP LOCKED` in the store), one at a time, and locked while it
 * runs. Then deletes finished deliveries past the retention period. Call it from a cron route.
 *
 * @example
 * const result = await drainWebhookInbox({ store, handlers: { github: onGitHubEvent } });
 */
export async function drainWebhookInbox(options: DrainWebhookInboxOptions): Promise<DrainWebhookInboxResult> {
  const {
    store,
    handlers,
    limit = WEBHOOK_DRAIN_LIMIT,
    retentionMs = WEBHOOK_RETENTION_MS,
    now = () => new Date(),
  } = options;
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new TypeError("drainWebhookInbox: limit must be a positive integer");
  if (!(retentionMs > 0)) throw new TypeError("drainWebhookInbox: retentionMs must be positive");
  const retry = resolveRetryPolicy(options.retry, "drainWebhookInbox");
  const logger = createLogger(options.logger);

  const outcomes: Record<WebhookRunOutcome, number> = { processed: 0, failed: 0, dead: 0 };
  let claimed = 0;
  // One event claimed at a time, each with its own lease: an event claimed in a batch would wait
  // for those before it and could start after its lock expired (and run twice), and a drain that
  // is stopped (a function's time limit) strands only the event it was running. One at a time
  // also keeps a drain, background work, from taking the whole connection pool.
  while (claimed < limit) {
    const claimedAt = now();
    const lockedUntil = new Date(claimedAt.getTime() + retry.lockMs);
    const [event] = await store.claimDue({ now: claimedAt, lockedUntil, limit: 1 });
    if (event === undefined) break;
    claimed += 1;
    const handler = Object.hasOwn(handlers, event.provider) ? handlers[event.provider] : undefined;
    try {
      outcomes[await runWebhookEvent({ store, event, lockedUntil, handler, retry, now, logger })] += 1;
    } catch (error) {
      // The outcome could not be recorded (the database went away): the event stays claimed until
      // its lock expires, then is due again. The drain goes on with the others.
      logger.error({ err: error, webhookEventId: event.id }, "Could not record a webhook run's outcome");
    }
  }
  const deleted = Number.isFinite(retentionMs)
    ? await store.deleteReceivedBefore(new Date(now().getTime() - retentionMs))
    : 0;
  return { claimed, ...outcomes, deleted };
}
