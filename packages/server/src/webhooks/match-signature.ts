import { hmacSha256Text } from "../_internal/hmac-sha256.js";
import { timingSafeEqualText } from "../_internal/timing-safe-equal.js";

/** Inputs of {@link matchSignature}. */
export interface MatchSignatureOptions {
  /** HMAC keys, newest first. */
  keys: readonly (string | Uint8Array)[];
  /** The signed content, in parts (e.g. a prefix and the raw body). */
  content: readonly (string | Uint8Array)[];
  /**
   * The signatures the request presents, as text in `encoding`'s canonical form (lower-case hex,
   * padded base64: `canonicalHex`, `canonicalBase64`).
   */
  signatures: readonly string[];
  encoding: "hex" | "base64";
}

/**
 * The index of the first key whose HMAC-SHA256 of `content` equals any presented signature, or
 * -1. Every key is compared against every signature with no early exit, in constant time. The
 * digest is compared as text: decoding the presented tag and allocating the digest's buffer cost
 * more than the compare.
 *
 * @example
 * const secretIndex = matchSignature({ keys: ["s1", "s0"], content: [body], signatures: [tag], encoding: "base64" });
 */
export function matchSignature({ keys, content, signatures, encoding }: MatchSignatureOptions): number {
  let matched = -1;
  for (let index = keys.length - 1; index >= 0; index -= 1) {
    const expected = hmacSha256Text(keys[index]!, encoding, ...content);
    let isMatch = false;
    for (const signature of signatures) isMatch = timingSafeEqualText(expected, signature) || isMatch;
    if (isMatch) matched = index;
  }
  return matched;
}
