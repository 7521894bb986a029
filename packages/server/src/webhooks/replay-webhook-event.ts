import { createLogger } from "../logger/create-logger.js";
import type { DrainWebhookInboxOptions } from "./drain-webhook-inbox.js";
import { runWebhookEvent, type WebhookRunOutcome } from "./run-webhook-event.js";
import { resolveRetryPolicy } from "./webhook-retry-policy.js";

/** Options of {@link replayWebhookEvent}. */
export interface ReplayWebhookEventOptions extends Omit<DrainWebhookInboxOptions, "limit" | "retentionMs"> {
  /** The inbox row's id (`WebhookInboxEvent.id`). */
  id: string;
}

/**
 * Runs a stored event again now, whatever its status (a dead letter after a fix, or a processed
 * event to redo), with a fresh count of attempts. Resolves the outcome, `"not-found"` for an
 * unknown id, or `"busy"` when another instance holds it right now.
 *
 * @example
 * const outcome = await replayWebhookEvent({ store, handlers: { github: onGitHubEvent }, id });
 */
export async function replayWebhookEvent(
  options: ReplayWebhookEventOptions,
): Promise<WebhookRunOutcome | "not-found" | "busy"> {
  const { store, handlers, id, now = () => new Date() } = options;
  const retry = resolveRetryPolicy(options.retry, "replayWebhookEvent");
  const logger = createLogger(options.logger);
  const requeued = await store.requeue(id, { now: now() });
  if (requeued !== "requeued") return requeued;
  const claimedAt = now();
  const lockedUntil = new Date(claimedAt.getTime() + retry.lockMs);
  const event = await store.claim(id, { now: claimedAt, lockedUntil });
  if (event === undefined) return "busy";
  const handler = Object.hasOwn(handlers, event.provider) ? handlers[event.provider] : undefined;
  return await runWebhookEvent({ store, event, lockedUntil, handler, retry, now, logger });
}
