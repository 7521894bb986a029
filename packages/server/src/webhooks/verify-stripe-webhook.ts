import { canonicalHex } from "../_internal/decode-bytes.js";
import { checkTimestamp, UNIX_SECONDS_PATTERN } from "./check-timestamp.js";
import { defineVerifier, failure, readRequiredHeaders } from "./define-verifier.js";
import { matchSignature } from "./match-signature.js";
import type { VerifiedWebhookBase } from "./types.js";

/** The header Stripe signs deliveries in: `t=<unix seconds>,v1=<hex>[,v1=<hex>...][,v0=<hex>]`. */
export const STRIPE_SIGNATURE_HEADER = "Stripe-Signature";

/** The only scheme Stripe signs live deliveries with; `v0` is for test-mode fixtures and is ignored. */
export const STRIPE_SIGNATURE_SCHEME = "v1";

/** Stripe's libraries accept a signed timestamp up to five minutes away from now. */
export const STRIPE_TOLERANCE_SECONDS = 300;

/** The topic of a signed event without a `type`. */
export const STRIPE_UNKNOWN_EVENT_TYPE = "unknown";

/** Stripe event payloads are JSON documents well under this. */
export const STRIPE_WEBHOOK_BODY_LIMIT = 1_048_576;

/** A verified Stripe delivery. */
export interface StripeWebhook extends VerifiedWebhookBase {
  provider: "stripe";
  /** The event's `id` (`evt_...`), read from the body once the signature is verified. */
  deliveryId: string;
  /**
   * The event's `type`, such as `payment_intent.succeeded`; `"unknown"` for a signed event without
   * one (Stripe's library accepts those too, as in its own testing example).
   */
  event: string;
  /** The signed `t`. */
  timestamp: Date;
  /** The event, parsed. */
  payload: Record<string, unknown>;
}

/**
 * Verifies a Stripe webhook: some `v1` in `Stripe-Signature` must be the hex HMAC-SHA256 of
 * `${t}.${raw body}` keyed with the endpoint's signing secret (`whsec_...`, used as it is), and
 * `t` must be within {@link STRIPE_TOLERANCE_SECONDS} of now. Only then is the body parsed.
 *
 * @example
 * const result = await verifyStripeWebhook(body, request.headers, { secrets: process.env.STRIPE_WEBHOOK_SECRET! });
 * if (result.ok) console.log(result.event, result.deliveryId);
 */
export const verifyStripeWebhook = defineVerifier<StripeWebhook>(({ body, headers, secrets, now }) => {
  const required = readRequiredHeaders(headers, [STRIPE_SIGNATURE_HEADER]);
  if (!required.ok) return required;
  const parsed = parseStripeSignature(required.values[STRIPE_SIGNATURE_HEADER]);
  if (!parsed.ok) return failure("malformed-header", parsed.detail);
  const { timestamp, signatures } = parsed;
  const content = [`${timestamp}.`, body];
  const secretIndex = matchSignature({ keys: secrets, content, signatures, encoding: "hex" });
  if (secretIndex < 0) return failure("invalid-signature", "No v1 signature matches a configured secret");
  const time = checkTimestamp(timestamp, { now, toleranceSeconds: STRIPE_TOLERANCE_SECONDS });
  if (!time.ok) return failure(time.reason, time.detail);
  const event = parseEvent(body);
  if (event === undefined) return failure("invalid-payload", "The signed body is not an event with an id");
  return {
    ok: true,
    provider: "stripe",
    deliveryId: event.id as string,
    event: typeof event.type === "string" && event.type !== "" ? event.type : STRIPE_UNKNOWN_EVENT_TYPE,
    timestamp: time.timestamp,
    payload: event,
    secretIndex,
  };
});

type ParsedSignature = { ok: true; timestamp: string; signatures: string[] } | { ok: false; detail: string };

function parseStripeSignature(header: string): ParsedSignature {
  const timestamps: string[] = [];
  const signatures: string[] = [];
  for (const item of header.split(",")) {
    const separator = item.indexOf("=");
    if (separator < 0) continue;
    const key = item.slice(0, separator).trim();
    const value = item.slice(separator + 1).trim();
    if (key === "t") timestamps.push(value);
    if (key === STRIPE_SIGNATURE_SCHEME) {
      // 64 hex digits: 32 bytes, a SHA-256 digest.
      const digest = canonicalHex(value);
      if (digest?.length === 64) signatures.push(digest);
    }
  }
  // One timestamp, which may be repeated: a header sent twice arrives joined with ", ". Two
  // different ones leave no way to tell which the signatures sign.
  if (new Set(timestamps).size !== 1 || !UNIX_SECONDS_PATTERN.test(timestamps[0]!)) {
    return { ok: false, detail: `${STRIPE_SIGNATURE_HEADER} needs one t=<unix seconds>` };
  }
  if (signatures.length === 0) return { ok: false, detail: `${STRIPE_SIGNATURE_HEADER} has no v1 signature` };
  return { ok: true, timestamp: timestamps[0]!, signatures };
}

function parseEvent(body: Uint8Array): Record<string, unknown> | undefined {
  try {
    const event: unknown = JSON.parse(new TextDecoder().decode(body));
    if (typeof event !== "object" || event === null || Array.isArray(event)) return undefined;
    // The id is the inbox's key for the delivery; the type is only its topic.
    const { id } = event as Record<string, unknown>;
    if (typeof id !== "string" || id === "") return undefined;
    return event as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
