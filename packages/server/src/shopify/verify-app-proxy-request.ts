import { decodeQuery } from "../_internal/decode-query.js";
import { hmacSha256Text } from "../_internal/hmac-sha256.js";
import { timingSafeEqualText } from "../_internal/timing-safe-equal.js";
import { canonicalStringOfGroups, groupParameters } from "./app-proxy-canonical-string.js";
import { isMyshopifyDomain } from "./myshopify-domain.js";
import { scanAppProxyQuery } from "./scanned-query.js";

/** How far, in seconds, an app proxy request's `timestamp` may be from the server's clock, either way (Shopify's figure). */
export const APP_PROXY_TOLERANCE_SECONDS = 90;

/** A signature as Shopify writes it: HMAC-SHA256 in lower-case hex. */
const SIGNATURE_PATTERN = /^[0-9a-f]{64}$/;
/** Whole seconds since the epoch; 12 digits reach the year 33658, and bound the number's size. */
const TIMESTAMP_PATTERN = /^[0-9]{1,12}$/;

/**
 * Parameters Shopify sends at most once. A repeat is refused rather than joined: the values are
 * read one by one (and `hmac` is dropped by some verifiers), so two copies could mean two things.
 */
export const APP_PROXY_SINGLE_VALUED_PARAMETERS = [
  "signature",
  "hmac",
  "timestamp",
  "shop",
  "logged_in_customer_id",
  "path_prefix",
] as const;

/** Why {@link verifyAppProxyRequest} refused a request. Log it; never send it to the caller. */
export type AppProxyFailureReason =
  | "invalid_options"
  | "malformed_url"
  | "missing_signature"
  | "malformed_signature"
  | `repeated_${(typeof APP_PROXY_SINGLE_VALUED_PARAMETERS)[number]}`
  | "missing_timestamp"
  | "malformed_timestamp"
  | "stale_timestamp"
  | "missing_shop"
  | "invalid_shop"
  | "signature_mismatch";

/** What a verified app proxy request says about its sender. */
export interface AppProxyRequestInfo {
  /** The shop's `*.myshopify.com` domain. */
  shop: string;
  /** `logged_in_customer_id`; `null` when no customer is logged in (Shopify then sends it empty). */
  customerId: string | null;
  /** `path_prefix`, e.g. `/apps/awesome_reviews`; `null` when absent or empty. */
  pathPrefix: string | null;
  /** `timestamp`, in seconds since the epoch. */
  timestamp: number;
}

/** The outcome of {@link verifyAppProxyRequest}. */
export type AppProxyVerification =
  | ({ ok: true } & AppProxyRequestInfo)
  | { ok: false; reason: AppProxyFailureReason };

/** Options of {@link verifyAppProxyRequest}. */
export interface VerifyAppProxyRequestOptions {
  /**
   * The app's API secret keys, newest first: an array, or one string of comma-separated keys (as
   * an environment variable holds them). A request signed with any of them is accepted, so a key
   * can be rotated without refusing requests signed just before.
   */
  secrets: string | readonly string[];
  /** Seconds the `timestamp` may be from `now`, either way. Default: {@link APP_PROXY_TOLERANCE_SECONDS}. */
  tolerance?: number;
  /** The current time in milliseconds since the epoch. Default: `Date.now()`. */
  now?: number;
}

/**
 * The parameters of a request, read as far as verification needs: for each single-valued name
 * (in {@link APP_PROXY_SINGLE_VALUED_PARAMETERS}' order) its count and first decoded value, and
 * what was signed (the canonical string, or its UTF-8 bytes).
 */
interface RequestParameters {
  counts: readonly number[];
  firsts: readonly (string | undefined)[];
  signed: string | Uint8Array;
}

function fromGroups(grouped: Map<string, string[]>): RequestParameters {
  return {
    counts: APP_PROXY_SINGLE_VALUED_PARAMETERS.map((name) => grouped.get(name)?.length ?? 0),
    firsts: APP_PROXY_SINGLE_VALUED_PARAMETERS.map((name) => grouped.get(name)?.[0]),
    signed: canonicalStringOfGroups(grouped),
  };
}

function fromSerializedQuery(query: string): RequestParameters {
  return (
    scanAppProxyQuery(query, APP_PROXY_SINGLE_VALUED_PARAMETERS) ??
    fromGroups(groupParameters(decodeQuery(query)))
  );
}

/** The parameters of what the caller passed; `undefined` when it is not a URL. */
function parametersOf(input: unknown): RequestParameters | undefined {
  try {
    if (input instanceof URLSearchParams) return fromGroups(groupParameters(input));
    if (input instanceof URL) return fromSerializedQuery(input.search);
    // A relative string ("/apps/x?..." or "?...") is read against a placeholder origin; parsing
    // also drops a fragment and percent-encodes what a browser would.
    if (typeof input === "string") return fromSerializedQuery(new URL(input, "http://localhost").search);
    // Duck-typed: a Request from another realm or fetch implementation is still a Request. Its
    // `url` is already serialized, without a fragment, so the query is what follows the first "?".
    const url = typeof input === "object" && input !== null ? (input as { url?: unknown }).url : undefined;
    if (typeof url === "string") {
      const queryStart = url.indexOf("?");
      return fromSerializedQuery(queryStart === -1 ? "" : url.slice(queryStart));
    }
  } catch {
    // An unparseable URL is a refusal, not an exception.
  }
  return undefined;
}

/** Slots of the names verification reads, in {@link APP_PROXY_SINGLE_VALUED_PARAMETERS}. */
const slotOf = (name: (typeof APP_PROXY_SINGLE_VALUED_PARAMETERS)[number]) =>
  APP_PROXY_SINGLE_VALUED_PARAMETERS.indexOf(name);
const SIGNATURE = slotOf("signature");
const TIMESTAMP = slotOf("timestamp");
const SHOP = slotOf("shop");
const CUSTOMER = slotOf("logged_in_customer_id");
const PATH_PREFIX = slotOf("path_prefix");

/** The secrets as a list of non-empty keys; a string is split on commas. */
export function normalizeSecrets(secrets: unknown): string[] {
  // The usual case, one key, without the arrays of the general one: this runs per request.
  if (typeof secrets === "string" && !secrets.includes(",")) {
    const secret = secrets.trim();
    return secret === "" ? [] : [secret];
  }
  const list = typeof secrets === "string" ? secrets.split(",") : Array.isArray(secrets) ? secrets : [];
  return list
    .filter((secret): secret is string => typeof secret === "string")
    .map((secret) => secret.trim())
    .filter(Boolean);
}

/**
 * Verifies a request Shopify forwarded through an app proxy: its `signature` (HMAC-SHA256 of
 * {@link appProxyCanonicalString} with one of `secrets`, compared in constant time), a `timestamp`
 * within `tolerance` of `now`, and a `shop` that is a `*.myshopify.com` domain. Never throws: any
 * input, options included, gives a result.
 *
 * @example
 * const result = verifyAppProxyRequest(request, { secrets: process.env.SHOPIFY_API_SECRET! });
 * if (!result.ok) logger.warn({ reason: result.reason }, "app proxy request refused");
 * else console.log(result.shop, result.customerId);
 */
export function verifyAppProxyRequest(
  input: string | URL | URLSearchParams | Request,
  options: VerifyAppProxyRequestOptions,
): AppProxyVerification {
  const { secrets, tolerance = APP_PROXY_TOLERANCE_SECONDS, now = Date.now() } = options ?? {};
  const keys = normalizeSecrets(secrets);
  if (keys.length === 0 || !(tolerance >= 0) || !Number.isFinite(now)) {
    return { ok: false, reason: "invalid_options" };
  }
  const parameters = parametersOf(input);
  if (!parameters) return { ok: false, reason: "malformed_url" };
  const { counts, firsts, signed } = parameters;
  for (let slot = 0; slot < APP_PROXY_SINGLE_VALUED_PARAMETERS.length; slot++) {
    if (counts[slot]! > 1)
      return { ok: false, reason: `repeated_${APP_PROXY_SINGLE_VALUED_PARAMETERS[slot]!}` };
  }
  const signature = firsts[SIGNATURE];
  if (signature === undefined || signature === "") return { ok: false, reason: "missing_signature" };

  const timestampText = firsts[TIMESTAMP];
  if (timestampText === undefined || timestampText === "") return { ok: false, reason: "missing_timestamp" };
  if (!TIMESTAMP_PATTERN.test(timestampText)) return { ok: false, reason: "malformed_timestamp" };
  const timestamp = Number(timestampText);
  if (Math.abs(now - timestamp * 1000) > tolerance * 1000) return { ok: false, reason: "stale_timestamp" };

  const shop = firsts[SHOP];
  if (shop === undefined || shop === "") return { ok: false, reason: "missing_shop" };
  if (!isMyshopifyDomain(shop)) return { ok: false, reason: "invalid_shop" };

  let isMatch = false;
  // Stops at the first key that matches: which key signed is no secret, and the newest comes first.
  for (const key of keys) {
    // Compared as hex text: only a signature in the digest's form (lower-case hex) can match, so
    // its form is checked only to say why one did not.
    if (timingSafeEqualText(hmacSha256Text(key, "hex", signed), signature)) {
      isMatch = true;
      break;
    }
  }
  if (!isMatch) {
    return {
      ok: false,
      reason: SIGNATURE_PATTERN.test(signature) ? "signature_mismatch" : "malformed_signature",
    };
  }

  return {
    ok: true,
    shop,
    customerId: firsts[CUSTOMER] || null,
    pathPrefix: firsts[PATH_PREFIX] || null,
    timestamp,
  };
}
