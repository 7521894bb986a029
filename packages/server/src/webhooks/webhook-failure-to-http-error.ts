import { HttpError, type HttpErrorCode } from "../errors/http-error.js";
import type { WebhookFailure, WebhookFailureReason } from "./types.js";

/**
 * The HTTP error for each refusal. Signature and timestamp failures become codes the error
 * boundary masks as a plain 401, so a forger learns nothing about which check failed; the reason
 * and its detail go to the log.
 */
export const WEBHOOK_FAILURE_CODES: { readonly [Reason in WebhookFailureReason]: HttpErrorCode } = {
  "missing-headers": "BAD_REQUEST",
  "invalid-input": "BAD_REQUEST",
  "invalid-payload": "BAD_REQUEST",
  "malformed-header": "INVALID_SIGNATURE",
  "invalid-signature": "INVALID_SIGNATURE",
  "stale-timestamp": "STALE_TIMESTAMP",
  "invalid-secret": "NOT_CONFIGURED",
};

const CALLER_MESSAGES: Partial<Record<WebhookFailureReason, (failure: WebhookFailure) => string>> = {
  "missing-headers": ({ missing = [] }) => `Missing webhook headers: ${missing.join(", ")}`,
  "invalid-payload": () => "The webhook payload is not a valid event",
};

/**
 * The `HttpError` a route throws for a refused delivery: 400 for missing headers or a signed but
 * unusable payload, a masked 401 for a bad signature or a stale timestamp, 500 when no usable
 * secret is configured.
 *
 * @example
 * const result = await verifyGitHubWebhook(request.rawBody ?? new Uint8Array(), request.raw.headers, { secrets });
 * if (!result.ok) throw webhookFailureToHttpError(result);
 */
export function webhookFailureToHttpError(failure: WebhookFailure): HttpError {
  const code = WEBHOOK_FAILURE_CODES[failure.reason] ?? "BAD_REQUEST";
  const message =
    CALLER_MESSAGES[failure.reason]?.(failure) ??
    `Webhook rejected (${failure.reason})${failure.detail ? `: ${failure.detail}` : ""}`;
  return new HttpError(code, message);
}
