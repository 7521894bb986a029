import { resolveSecrets } from "./resolve-secrets.js";
import type {
  VerifiedWebhookBase,
  VerifyWebhookOptions,
  WebhookFailure,
  WebhookVerification,
  WebhookVerifier,
} from "./types.js";

/** What a provider's check receives once {@link defineVerifier} has vetted the input. */
export interface VerifierInput {
  body: Uint8Array;
  headers: Headers;
  /** At least one, trimmed, newest first. */
  secrets: readonly string[];
  now: Date | number | undefined;
}

/**
 * Wraps a provider's check with what every verifier owes its callers: input of the wrong type,
 * no usable secret and any unexpected exception become failures, so the verifier never throws.
 *
 * @example
 * export const verifyAcmeWebhook = defineVerifier(({ body, headers, secrets }) => ({ ok: false, reason: "invalid-signature" }));
 */
export function defineVerifier<Delivery extends VerifiedWebhookBase>(
  check: (input: VerifierInput) => WebhookVerification<Delivery>,
): WebhookVerifier<Delivery> {
  return async (body, headers, options) => {
    try {
      if (!(body instanceof Uint8Array)) return failure("invalid-input", "The body must be a Uint8Array");
      if (!(headers instanceof Headers))
        return failure("invalid-input", "The headers must be a Headers object");
      const { secrets: configured, now } = (options ?? {}) as Partial<VerifyWebhookOptions>;
      const secrets = resolveSecrets(configured);
      if (secrets.length === 0) return failure("invalid-secret", "No signing secret is configured");
      // The check is synchronous (node:crypto): one promise per call, this function's own.
      return check({ body, headers, secrets, now });
    } catch (error) {
      return failure("invalid-input", `Verification failed unexpectedly: ${String(error)}`);
    }
  };
}

/**
 * A refused delivery.
 *
 * @example
 * return failure("invalid-signature", "No v1 signature matches");
 */
export function failure(reason: WebhookFailure["reason"], detail?: string): WebhookFailure {
  return detail === undefined ? { ok: false, reason } : { ok: false, reason, detail };
}

const lowerCaseNames = new Map<string, string>();
/**
 * `name` in lower case, remembered: `Headers.get` lower-cases every name it is given, which costs
 * a new string per call, and one that is already lower case skips that. The names are the
 * verifiers' constants, so the map stays a few entries long.
 *
 * @example
 * headers.get(lowerCase("X-Shopify-Topic"));
 */
export function lowerCase(name: string): string {
  let lower = lowerCaseNames.get(name);
  if (lower === undefined) {
    lower = name.toLowerCase();
    if (lowerCaseNames.size < 64) lowerCaseNames.set(name, lower);
  }
  return lower;
}

/**
 * The values of `names` in `headers`, or a `missing-headers` failure listing every absent (or
 * empty) one.
 *
 * @example
 * const required = readRequiredHeaders(headers, ["x-github-event", "x-github-delivery"]);
 */
export function readRequiredHeaders<Name extends string>(
  headers: Headers,
  names: readonly Name[],
): { ok: true; values: Record<Name, string> } | WebhookFailure {
  const values = {} as Record<Name, string>;
  const missing: string[] = [];
  for (const name of names) {
    const value = headers.get(lowerCase(name))?.trim();
    if (value) values[name] = value;
    else missing.push(name);
  }
  if (missing.length > 0) {
    return {
      ok: false,
      reason: "missing-headers",
      missing,
      detail: `Missing headers: ${missing.join(", ")}`,
    };
  }
  return { ok: true, values };
}
