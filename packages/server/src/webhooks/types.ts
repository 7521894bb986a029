/** Options every webhook verifier takes. */
export interface VerifyWebhookOptions {
  /**
   * The signing secrets, newest first: an array, or one string of comma-separated secrets (as an
   * environment variable holds them). During a rotation the old secret stays listed until the
   * provider signs with the new one. Pass an array when a secret itself contains a comma.
   */
  secrets: string | readonly string[];
  /** The current time, for providers that sign a timestamp. Default: the system clock. */
  now?: Date | number;
}

/**
 * Why a delivery was refused:
 * - `missing-headers`: a required header is absent (`missing` names them); a client error, 400.
 * - `malformed-header`: a signature or timestamp header is present but unreadable; 401.
 * - `invalid-signature`: no signature matches any secret; 401.
 * - `stale-timestamp`: signed, but older or newer than the provider's tolerance; 401.
 * - `invalid-payload`: the body lacks what the provider always sends (Stripe's event id, once
 *   signed), or is empty (Shopify's, refused before its signature is checked, as Shopify's
 *   packages do); 400.
 * - `invalid-secret`: no usable secret was configured; a server error, 500.
 * - `invalid-input`: the body is not a `Uint8Array` or the headers not `Headers`; 400.
 */
export type WebhookFailureReason =
  | "missing-headers"
  | "malformed-header"
  | "invalid-signature"
  | "stale-timestamp"
  | "invalid-payload"
  | "invalid-secret"
  | "invalid-input";

/** A refused delivery. `detail` explains it for the log, never for the caller. */
export interface WebhookFailure {
  ok: false;
  reason: WebhookFailureReason;
  /** The required headers that are absent, for `missing-headers`. */
  missing?: readonly string[];
  /** A short explanation for the log. */
  detail?: string;
}

/** What every verified delivery carries. */
export interface VerifiedWebhookBase {
  ok: true;
  /** The provider's id for this delivery (or event): the key to drop duplicates by. */
  deliveryId: string;
  /** Which of the configured secrets matched, 0 being the newest. Above 0 during a rotation. */
  secretIndex: number;
}

/** The outcome of a verifier: the verified delivery, or why it was refused. */
export type WebhookVerification<Delivery extends VerifiedWebhookBase> = Delivery | WebhookFailure;

/**
 * The one shape of every verifier: the raw body bytes and the request headers in, a result out.
 * It never throws. It is synchronous (node:crypto); awaiting its result, as code written for an
 * asynchronous verifier does, works the same.
 */
export type WebhookVerifier<Delivery extends VerifiedWebhookBase> = (
  body: Uint8Array,
  headers: Headers,
  options: VerifyWebhookOptions,
) => WebhookVerification<Delivery>;
