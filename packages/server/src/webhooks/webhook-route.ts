import type { Logger } from "pino";
import { readRequestBody } from "../_internal/read-limited-body.js";
import { withTimeout } from "../_internal/with-timeout.js";
import { HttpError } from "../errors/http-error.js";
import { createLogger } from "../logger/create-logger.js";
import { type RequestLog, startRequestLog } from "../logger/request-log.js";
import { logError, renderError } from "../route/render-error.js";
import { inboxInserter } from "./batch-inbox-inserts.js";
import { runWebhookEvent, type WebhookEventHandler } from "./run-webhook-event.js";
import { toInboxEvent } from "./to-inbox-event.js";
import type { VerifyWebhookOptions } from "./types.js";
import { webhookFailureToHttpError } from "./webhook-failure-to-http-error.js";
import type { WebhookInboxInsert, WebhookInboxStore } from "./webhook-inbox-store.js";
import { WEBHOOK_BODY_LIMITS, WEBHOOK_VERIFIERS, type WebhookProvider } from "./webhook-providers.js";
import { resolveRetryPolicy, type WebhookRetryPolicy } from "./webhook-retry-policy.js";

/**
 * How long the route waits for the store before answering 503: well inside Shopify's 5-second
 * delivery timeout (GitHub allows 10 s, Stripe and Standard Webhooks senders more).
 */
export const WEBHOOK_STORE_TIMEOUT_MS = 3_000;
/** The `Retry-After` of a 503, in seconds. */
export const WEBHOOK_RETRY_AFTER_SECONDS = 5;

/** Options of {@link webhookRoute}, checked when the route module loads. */
export interface WebhookRouteOptions<Provider extends WebhookProvider> {
  provider: Provider;
  /**
   * The signing secrets, newest first, as for `verifyWebhook`. Unset (an empty environment
   * variable) does not fail the build: requests then answer 500 `NOT_CONFIGURED`, and the log says why.
   */
  secrets: VerifyWebhookOptions["secrets"] | undefined;
  /** Where deliveries are committed before the answer. */
  store: WebhookInboxStore;
  /** The application's work, run after the answer; a throw schedules a retry. */
  onEvent: WebhookEventHandler;
  /** Attempts, backoff and lock. Give the drain the same policy. */
  retry?: WebhookRetryPolicy;
  /**
   * Keeps the handler's run alive after the response: Next.js's `after` from `next/server`, or
   * `(task) => waitUntil(task())` on other hosts. Default: run detached (fine on a long-lived
   * server; a serverless function may freeze first, and then the drain runs it later).
   */
  after?: (task: () => Promise<void>) => void;
  /**
   * The status of a first acknowledgement: 200, 202 or 204. Duplicates always answer 200. Either
   * has no body; `x-webhook-duplicate` says which it is. Default: 200.
   */
  acknowledgeStatus?: 200 | 202 | 204;
  /** The clock. Default: `() => new Date()`. */
  now?: () => Date;
  /** Largest accepted body in bytes. Default: the provider's `WEBHOOK_BODY_LIMITS` entry. */
  bodyLimit?: number;
  /** Longest wait for the store before answering 503 with `Retry-After`. Default: {@link WEBHOOK_STORE_TIMEOUT_MS}. */
  storeTimeoutMs?: number;
  /** Default: a pino logger on stdout with the toolkit's redaction. */
  logger?: Logger;
}

/**
 * A webhook endpoint backed by a durable inbox: verifies the signature over the raw bytes,
 * commits the delivery (unique per provider and delivery id) and only then answers 2xx; runs
 * `onEvent` after the answer, with retries and backoff recorded in the store.
 *
 * - Duplicates, concurrent ones included, answer 200 and run nothing.
 * - A store that fails or takes longer than `storeTimeoutMs` answers 503 with `Retry-After`, so
 *   the sender retries; nothing is acknowledged that is not committed.
 * - 405 for other methods, 413 past the body limit (not read further), 400 for missing headers or
 *   a signed body that is not JSON, a plain 401 for a bad signature or timestamp.
 * - One `request completed` log line per request, as `route()` writes (left to an outer handler
 *   that logs it, such as `withRequestLog`).
 *
 * A plain `(Request) => Promise<Response>` rather than a `route()`: `route()` parses the body
 * before its hooks run, so a malformed body would answer 400 before the signature is checked, and
 * the route context's caller identity has no meaning for a webhook.
 *
 * @example
 * // app/webhooks/github/route.ts
 * import { after } from "next/server";
 * export const POST = webhookRoute({
 *   provider: "github",
 *   secrets: process.env.GITHUB_WEBHOOK_SECRET,
 *   store: inboxStore,
 *   after,
 *   onEvent: async ({ topic, payload }) => console.log(topic, payload),
 * });
 */
export function webhookRoute<Provider extends WebhookProvider>(
  options: WebhookRouteOptions<Provider>,
): (request: Request) => Promise<Response> {
  const {
    provider,
    secrets,
    store,
    onEvent,
    acknowledgeStatus = 200,
    now = () => new Date(),
    bodyLimit = WEBHOOK_BODY_LIMITS[provider],
    storeTimeoutMs = WEBHOOK_STORE_TIMEOUT_MS,
    after = runDetached,
  } = options;
  if (!Object.hasOwn(WEBHOOK_VERIFIERS, provider)) {
    throw new TypeError(`webhookRoute: unknown provider ${JSON.stringify(provider)}`);
  }
  if (typeof store?.insert !== "function")
    throw new TypeError("webhookRoute: store must be a WebhookInboxStore");
  if (typeof onEvent !== "function") throw new TypeError("webhookRoute: onEvent must be a function");
  if (![200, 202, 204].includes(acknowledgeStatus)) {
    throw new TypeError("webhookRoute: acknowledgeStatus must be 200, 202 or 204");
  }
  if (!Number.isSafeInteger(bodyLimit) || bodyLimit < 0) {
    throw new TypeError("webhookRoute: bodyLimit must be a non-negative integer");
  }
  if (!Number.isFinite(storeTimeoutMs) || storeTimeoutMs <= 0) {
    throw new TypeError("webhookRoute: storeTimeoutMs must be positive");
  }
  const retry = resolveRetryPolicy(options.retry, "webhookRoute");
  const baseLogger = createLogger(options.logger);
  const isProduction = process.env.NODE_ENV === "production";
  const verify = WEBHOOK_VERIFIERS[provider];
  const insert = inboxInserter(store);

  const processNow = async (id: string, logger: Logger): Promise<void> => {
    try {
      const claimedAt = now();
      const lockedUntil = new Date(claimedAt.getTime() + retry.lockMs);
      const event = await store.claim(id, { now: claimedAt, lockedUntil });
      // Already taken by a drain (or replay): that run records the outcome.
      if (event === undefined) return;
      await runWebhookEvent({ store, event, lockedUntil, handler: onEvent, retry, now, logger });
    } catch (error) {
      // The row stays due: a drain runs it once its lock (if any) expires.
      logger.error({ err: error, webhookEventId: id }, "Could not run or record the webhook handler");
    }
  };

  const handle = async (request: Request, log: RequestLog): Promise<Response> => {
    if (request.method !== "POST") {
      throw new HttpError("METHOD_NOT_ALLOWED", "Webhooks are delivered with POST", {
        headers: { allow: "POST" },
      });
    }
    const read = await readRequestBody(request, bodyLimit);
    if (!read.ok)
      throw new HttpError("PAYLOAD_TOO_LARGE", `Request body exceeds the limit of ${bodyLimit} bytes`);
    const receivedAt = now();
    const verified = await verify(read.bytes, request.headers, { secrets: secrets ?? [], now: receivedAt });
    if (!verified.ok) throw webhookFailureToHttpError(verified);
    const event = toInboxEvent(provider, verified, read.bytes, receivedAt);
    if (event === undefined) throw new HttpError("INVALID_JSON", "The signed webhook body is not JSON");

    let stored: WebhookInboxInsert;
    try {
      stored = await withTimeout(
        insert(event, { deadline: Date.now() + storeTimeoutMs }),
        storeTimeoutMs,
        "The webhook store did not answer",
      );
    } catch (error) {
      throw new HttpError("SERVICE_UNAVAILABLE", "The webhook could not be stored; retry later", {
        cause: error,
        headers: { "retry-after": String(WEBHOOK_RETRY_AFTER_SECONDS) },
      });
    }
    // Debug, not info: the inbox row is the durable record of every delivery, and a redacted log
    // line per request was a fifth of the route's own CPU time. Refusals, 503s and handler
    // failures still log at their levels.
    // The request's logger is made only when something is logged (`log.logger`).
    const isDebug = baseLogger.isLevelEnabled("debug");
    const deliveryLog = { provider, deliveryId: event.deliveryId, topic: event.topic };
    if (stored.isDuplicate) {
      if (isDebug) log.logger.debug(deliveryLog, "Duplicate webhook delivery acknowledged; nothing run");
      return acknowledgement(200, true);
    }
    if (isDebug) log.logger.debug({ ...deliveryLog, webhookEventId: stored.id }, "Webhook delivery stored");
    const { id } = stored;
    try {
      after(() => processNow(id, log.logger));
    } catch (error) {
      // `after` refused the task (called outside a request): the row is committed and due, so a
      // drain picks it up.
      log.logger.error({ err: error, webhookEventId: id }, "Could not schedule the webhook handler");
    }
    return acknowledgement(acknowledgeStatus, false);
  };

  return async (request: Request): Promise<Response> => {
    const log = startRequestLog(request, baseLogger);
    let response: Response;
    try {
      response = await handle(request, log);
    } catch (error) {
      logError(log.logger, error);
      response = renderError(error, { requestId: log.requestId, isProduction });
    }
    response.headers.set("x-request-id", log.requestId);
    log.complete(response.status);
    return response;
  };
}

/** The header that tells a first acknowledgement (`false`) from a duplicate's (`true`). */
export const WEBHOOK_DUPLICATE_HEADER = "x-webhook-duplicate";

/**
 * An acknowledgement: no body, as Shopify's templates answer (`new Response()`); senders read only
 * the status. Whether the delivery was a duplicate is in {@link WEBHOOK_DUPLICATE_HEADER}, which
 * senders' delivery logs show. No body also keeps the answer cheap: in `next start`, sending even
 * a small JSON body cost 0.16 ms of CPU per request, more than verifying and storing.
 */
function acknowledgement(status: number, isDuplicate: boolean): Response {
  return new Response(null, { status, headers: { [WEBHOOK_DUPLICATE_HEADER]: String(isDuplicate) } });
}

function runDetached(task: () => Promise<void>): void {
  // No await: the response must not wait for the handler. `task` logs its own errors.
  void task();
}
