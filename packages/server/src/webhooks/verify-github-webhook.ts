import { canonicalHex } from "../_internal/decode-bytes.js";
import { defineVerifier, failure, readRequiredHeaders } from "./define-verifier.js";
import { matchSignature } from "./match-signature.js";
import type { VerifiedWebhookBase } from "./types.js";

/** The headers of a GitHub webhook delivery (GitHub: "Webhook events and payloads", delivery headers). */
export const GITHUB_WEBHOOK_HEADERS = {
  /** `sha256=` and the hex HMAC-SHA256 of the raw body. */
  signature: "X-Hub-Signature-256",
  /** A GUID per delivery; a redelivery keeps it. */
  deliveryId: "X-GitHub-Delivery",
  /** The event name, such as `push` or `star`. */
  event: "X-GitHub-Event",
  /** The id of the webhook configuration. Optional. */
  hookId: "X-GitHub-Hook-ID",
} as const;

/** The prefix GitHub puts before the hex digest in `X-Hub-Signature-256`. */
export const GITHUB_SIGNATURE_PREFIX = "sha256=";

/** GitHub caps payloads at 25 MB and does not deliver larger ones. */
export const GITHUB_WEBHOOK_BODY_LIMIT = 25 * 1_048_576;

/** A verified GitHub delivery. */
export interface GitHubWebhook extends VerifiedWebhookBase {
  provider: "github";
  /** `X-GitHub-Event`, such as `push`. */
  event: string;
  /** `X-GitHub-Hook-ID`, when sent. */
  hookId: string | undefined;
}

/**
 * Verifies a GitHub webhook delivery: the `X-Hub-Signature-256` HMAC-SHA256 (hex) of the raw
 * body with the webhook's secret. GitHub signs no timestamp, so a captured delivery replays:
 * drop duplicates by `deliveryId`.
 *
 * @example
 * const result = await verifyGitHubWebhook(body, request.headers, { secrets: process.env.GITHUB_WEBHOOK_SECRET! });
 * if (result.ok) console.log(result.event, result.deliveryId);
 */
export const verifyGitHubWebhook = defineVerifier<GitHubWebhook>(({ body, headers, secrets }) => {
  const { signature, deliveryId, event, hookId } = GITHUB_WEBHOOK_HEADERS;
  const required = readRequiredHeaders(headers, [signature, deliveryId, event]);
  if (!required.ok) return required;
  const presented = required.values[signature];
  const digest = presented.startsWith(GITHUB_SIGNATURE_PREFIX)
    ? canonicalHex(presented.slice(GITHUB_SIGNATURE_PREFIX.length))
    : undefined;
  if (digest === undefined) return failure("malformed-header", `${signature} is not sha256=<hex>`);
  const secretIndex = matchSignature({
    keys: secrets,
    content: [body],
    signatures: [digest],
    encoding: "hex",
  });
  if (secretIndex < 0) return failure("invalid-signature", `${signature} matches no configured secret`);
  return {
    ok: true,
    provider: "github",
    deliveryId: required.values[deliveryId],
    event: required.values[event],
    // Trimmed as the required headers are; empty is absent.
    hookId: headers.get(hookId)?.trim() || undefined,
    secretIndex,
  };
});
