import type { Logger } from "pino";
import { redactTokens } from "../logger/redaction.js";
import type { StoredWebhookEvent, WebhookInboxStore } from "./webhook-inbox-store.js";
import type { ResolvedRetryPolicy } from "./webhook-retry-policy.js";

/** What a handler gets: the stored delivery, never a user (none is signed in to a webhook). */
export interface WebhookInboxEvent
  extends Pick<
    StoredWebhookEvent,
    "id" | "provider" | "deliveryId" | "topic" | "shop" | "payload" | "receivedAt"
  > {
  /** 1 on the first run, 2 on the first retry, ... */
  attempt: number;
  /** A logger bound to this event (`webhookEventId`, `provider`, `deliveryId`). */
  logger: Logger;
}

/**
 * The application's work for a delivery. Throwing (or rejecting) schedules a retry with backoff;
 * after the last attempt the event is `dead`. Runs at least once per delivery, and more than once
 * only when an instance dies mid-run or loses the database before recording the outcome: make it
 * idempotent by `deliveryId` where a repeat matters.
 */
export type WebhookEventHandler = (event: WebhookInboxEvent) => unknown;

/** The outcome of one run. */
export type WebhookRunOutcome = "processed" | "failed" | "dead";

const MAX_ERROR_LENGTH = 2_000;

/**
 * Runs the handler on an event this instance claimed (under the lease that locked it until
 * `lockedUntil`) and records the outcome, while that claim still holds the event.
 */
export async function runWebhookEvent({
  store,
  event,
  lockedUntil,
  handler,
  retry,
  now,
  logger,
}: {
  store: WebhookInboxStore;
  event: StoredWebhookEvent;
  lockedUntil: Date;
  handler: WebhookEventHandler | undefined;
  retry: ResolvedRetryPolicy;
  now: () => Date;
  logger: Logger;
}): Promise<WebhookRunOutcome> {
  const { id, provider, deliveryId, topic, shop, payload, attempts, receivedAt } = event;
  // biome-ignore lint/suspicious/noConfusingVoidType: what the store's complete and fail resolve
  const recorded = (applied: boolean | void) => {
    // `false`: the run outlived its lock and another claim has the event; that one records.
    if (applied === false) {
      logger.warn(
        { webhookEventId: id, provider, topic, attempt: attempts },
        "Webhook run outlived its lock; its outcome was not recorded over the newer claim's",
      );
    }
  };
  // Every claim counts an attempt, so runs that never recorded an outcome (their instance stopped
  // mid-run: a timeout, memory) spend them too. Past the last one the event is dead, not run again.
  if (attempts > retry.maxAttempts) {
    const error = `Attempts exhausted: ${attempts - 1} runs started and the last ones recorded no outcome (their instance stopped mid-run)`;
    recorded(await store.fail(id, { now: now(), lockedUntil, error, nextAttemptAt: undefined }));
    logger.warn({ webhookEventId: id, provider, topic, attempt: attempts }, error);
    return "dead";
  }
  try {
    if (handler === undefined) throw new Error(`No handler for ${provider} webhooks`);
    const eventLogger = logger.child({ webhookEventId: id, provider, deliveryId });
    await handler({
      id,
      provider,
      deliveryId,
      topic,
      shop,
      payload,
      attempt: attempts,
      receivedAt,
      logger: eventLogger,
    });
  } catch (error) {
    const isLastAttempt = attempts >= retry.maxAttempts;
    const failedAt = now();
    const nextAttemptAt = isLastAttempt ? undefined : new Date(failedAt.getTime() + retry.delayMs(attempts));
    recorded(
      await store.fail(id, { now: failedAt, lockedUntil, error: describeError(error), nextAttemptAt }),
    );
    logger.warn(
      { err: error, webhookEventId: id, provider, topic, attempt: attempts, nextAttemptAt },
      isLastAttempt
        ? "Webhook handler failed for the last time; event is dead"
        : "Webhook handler failed; will retry",
    );
    return isLastAttempt ? "dead" : "failed";
  }
  recorded(await store.complete(id, { now: now(), lockedUntil }));
  return "processed";
}

/**
 * The error as the inbox records it (`lastError`, which the operators' page shows): name and
 * message, tokens redacted as in the logs, cut to a length.
 */
function describeError(error: unknown): string {
  const text = redactTokens(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}…` : text;
}
