import { base64ToBytes, canonicalBase64 } from "../_internal/decode-bytes.js";
import { checkTimestamp, UNIX_SECONDS_PATTERN } from "./check-timestamp.js";
import { defineVerifier, failure, missingHeaders, readHeaders } from "./define-verifier.js";
import { matchSignature } from "./match-signature.js";
import type { VerifiedWebhookBase } from "./types.js";

/** The headers of the Standard Webhooks specification (standardwebhooks.com). */
export const STANDARD_WEBHOOK_HEADERS = {
  /** The message id, the same on every retry: the key to drop duplicates by. */
  id: "webhook-id",
  /** Unix seconds at which the message was signed. */
  timestamp: "webhook-timestamp",
  /** Space-separated `v1,<base64>` entries: several during a sender's key rotation. */
  signature: "webhook-signature",
} as const;

/**
 * The same headers under Svix's names, which Svix (and senders built on it: Clerk, Resend) send
 * unless white-labelled; read first when present, as Svix's library reads them.
 */
export const SVIX_WEBHOOK_HEADERS = {
  id: "svix-id",
  timestamp: "svix-timestamp",
  signature: "svix-signature",
} as const;

/** The symmetric (HMAC-SHA256) signature version; others (`v1a`, asymmetric) are skipped. */
export const STANDARD_WEBHOOK_SIGNATURE_VERSION = "v1";

/** The prefix of Standard Webhooks secrets; what follows is the base64 key. */
export const STANDARD_WEBHOOK_SECRET_PREFIX = "whsec_";

/** The specification's recommended tolerance: five minutes either way. */
export const STANDARD_WEBHOOK_TOLERANCE_SECONDS = 300;

/** The specification leaves size to senders; 1 MiB covers event payloads. */
export const STANDARD_WEBHOOK_BODY_LIMIT = 1_048_576;

/** A verified Standard Webhooks message. */
export interface StandardWebhook extends VerifiedWebhookBase {
  provider: "standard";
  /** `webhook-id`; also in `deliveryId`. */
  messageId: string;
  /** The signed `webhook-timestamp`. */
  timestamp: Date;
}

/** Both sets of names, read in one pass: the standard's, then Svix's. */
const HEADER_NAMES = [
  STANDARD_WEBHOOK_HEADERS.id,
  STANDARD_WEBHOOK_HEADERS.timestamp,
  STANDARD_WEBHOOK_HEADERS.signature,
  SVIX_WEBHOOK_HEADERS.id,
  SVIX_WEBHOOK_HEADERS.timestamp,
  SVIX_WEBHOOK_HEADERS.signature,
] as const;

/**
 * Verifies a Standard Webhooks message: some `v1,<base64>` in `webhook-signature` must be the
 * HMAC-SHA256 of `${webhook-id}.${webhook-timestamp}.${raw body}`, keyed with the base64-decoded
 * part of a `whsec_` secret (padded or not), and the timestamp within five minutes of now. Svix's
 * header names (`svix-id`, `svix-timestamp`, `svix-signature`) are read when sent, else the
 * standard's.
 *
 * @example
 * const result = await verifyStandardWebhook(body, request.headers, { secrets: process.env.WEBHOOK_SECRET! });
 * if (result.ok) console.log(result.messageId, result.timestamp);
 */
export const verifyStandardWebhook = defineVerifier<StandardWebhook>(({ body, headers, secrets, now }) => {
  const keys = secrets.map(decodeSecret);
  if (keys.some((key) => key === undefined)) {
    return failure("invalid-secret", "A secret is not whsec_ followed by base64");
  }
  const values = readHeaders(headers, HEADER_NAMES);
  // Svix's names when it sent them, else the standard's, each set whole, as Svix's library reads
  // them; a delivery with neither is told the standard's names.
  const offset = values[3] !== undefined ? 3 : 0;
  const missing = missingHeaders(HEADER_NAMES.slice(offset, offset + 3), values.slice(offset, offset + 3), 3);
  if (missing) return missing;
  const [messageId, signedAt, signatureHeader] = values.slice(offset, offset + 3) as [string, string, string];
  const { signature, timestamp } = offset === 0 ? STANDARD_WEBHOOK_HEADERS : SVIX_WEBHOOK_HEADERS;
  const signatures = parseSignatures(signatureHeader);
  if (signatures.length === 0) return failure("malformed-header", `${signature} has no v1 signature`);
  if (!UNIX_SECONDS_PATTERN.test(signedAt))
    return failure("malformed-header", `${timestamp} is not Unix seconds`);
  const content = [`${messageId}.${signedAt}.`, body];
  const secretIndex = matchSignature({ keys: keys as Uint8Array[], content, signatures, encoding: "base64" });
  if (secretIndex < 0) return failure("invalid-signature", "No v1 signature matches a configured secret");
  const time = checkTimestamp(signedAt, { now, toleranceSeconds: STANDARD_WEBHOOK_TOLERANCE_SECONDS });
  if (!time.ok) return failure(time.reason, time.detail);
  return {
    ok: true,
    provider: "standard",
    deliveryId: messageId,
    messageId,
    timestamp: time.timestamp,
    secretIndex,
  };
});

/**
 * The keys of the secrets seen so far: decoded once, and the same array each time, so that the
 * HMAC's key pads are computed once too. The secrets are the app's configured few; the bound
 * only stops ever new ones from growing the map.
 */
const decodedSecrets = new Map<string, Uint8Array | undefined>();

function decodeSecret(secret: string): Uint8Array | undefined {
  if (decodedSecrets.has(secret)) return decodedSecrets.get(secret);
  const encoded = secret.startsWith(STANDARD_WEBHOOK_SECRET_PREFIX)
    ? secret.slice(STANDARD_WEBHOOK_SECRET_PREFIX.length)
    : secret;
  // Padding is optional in secrets, as the reference libraries' decoders take them.
  const key = base64ToBytes(
    encoded.length % 4 === 0 ? encoded : encoded.padEnd(encoded.length + 4 - (encoded.length % 4), "="),
  );
  if (decodedSecrets.size < 64) decodedSecrets.set(secret, key);
  return key;
}

function parseSignatures(header: string): string[] {
  const signatures: string[] = [];
  for (const entry of header.split(" ")) {
    // `version,signature`, and what follows a further comma ignored, as the reference libraries
    // read it: a header sent twice arrives joined with ", ", its first entry then ending in ",".
    const [version, signature = ""] = entry.split(",", 2);
    if (version !== STANDARD_WEBHOOK_SIGNATURE_VERSION) continue;
    // 44 characters of padded base64: 32 bytes, a SHA-256 digest.
    const digest = canonicalBase64(signature);
    if (digest?.length === 44) signatures.push(digest);
  }
  return signatures;
}
