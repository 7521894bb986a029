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
  return (body, headers, options) => {
    try {
      if (!(body instanceof Uint8Array)) return failure("invalid-input", "The body must be a Uint8Array");
      if (!(headers instanceof Headers))
        return failure("invalid-input", "The headers must be a Headers object");
      const { secrets: configured, now } = (options ?? {}) as Partial<VerifyWebhookOptions>;
      const secrets = resolveSecrets(configured);
      if (secrets.length === 0) return failure("invalid-secret", "No signing secret is configured");
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

const headerSlots = new WeakMap<readonly string[], Map<string, number>>();
/**
 * The values of `names` in `headers`, in `names`' order: trimmed, and `undefined` when absent or
 * empty. Many names are read in one pass over the headers, as a list of names and values:
 * `Headers.get` validates and lower-cases its argument on every call, and nine calls cost four
 * times one pass over a delivery's headers. The pass gives each name once, its values joined as
 * `get` joins them. `names` should be a constant: its lookup is built once per array.
 *
 * @example
 * const [signature, topic] = readHeaders(headers, SHOPIFY_HEADER_NAMES);
 */
export function readHeaders(headers: Headers, names: readonly string[]): (string | undefined)[] {
  const values: (string | undefined)[] = [];
  if (names.length < 5) {
    for (const name of names) values.push(headers.get(lowerCase(name))?.trim() || undefined);
    return values;
  }
  for (let slot = 0; slot < names.length; slot++) values.push(undefined);
  let slots = headerSlots.get(names);
  if (slots === undefined) {
    slots = new Map(names.map((name, slot) => [name.toLowerCase(), slot]));
    headerSlots.set(names, slots);
  }
  for (const [name, value] of headers) {
    const slot = slots.get(name);
    if (slot !== undefined) values[slot] = value.trim() || undefined;
  }
  return values;
}

/**
 * The `missing-headers` failure for the first `required` of `names` whose `values` are absent,
 * or `undefined` when all are present.
 *
 * @example
 * const missing = missingHeaders(names, readHeaders(headers, names), 5);
 */
export function missingHeaders(
  names: readonly string[],
  values: readonly (string | undefined)[],
  required: number,
): WebhookFailure | undefined {
  const missing = names.slice(0, required).filter((_, slot) => values[slot] === undefined);
  return missing.length === 0
    ? undefined
    : { ok: false, reason: "missing-headers", missing, detail: `Missing headers: ${missing.join(", ")}` };
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
  const read = readHeaders(headers, names);
  const failure = missingHeaders(names, read, names.length);
  if (failure) return failure;
  const values = {} as Record<Name, string>;
  for (const [slot, name] of names.entries()) values[name] = read[slot]!;
  return { ok: true, values };
}
