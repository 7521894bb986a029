import { hmacSha256 } from "../_internal/hmac-sha256.js";
import { timingSafeEqual } from "../_internal/timing-safe-equal.js";

/** Inputs of {@link matchSignature}. */
export interface MatchSignatureOptions {
  /** HMAC keys, newest first. */
  keys: readonly (string | Uint8Array)[];
  /** The signed content, in parts (e.g. a prefix and the raw body). */
  content: readonly Uint8Array[];
  /** The signatures the request presents, decoded to bytes. */
  signatures: readonly Uint8Array[];
}

/**
 * The index of the first key whose HMAC-SHA256 of `content` equals any presented signature, or
 * -1. Every key is compared against every signature with no early exit, in constant time.
 *
 * @example
 * const secretIndex = matchSignature({ keys: ["s1", "s0"], content: [body], signatures: [tag] });
 */
export function matchSignature({ keys, content, signatures }: MatchSignatureOptions): number {
  let matched = -1;
  for (let index = keys.length - 1; index >= 0; index -= 1) {
    const expected = hmacSha256(keys[index]!, ...content);
    let isMatch = false;
    for (const signature of signatures) isMatch = timingSafeEqual(expected, signature) || isMatch;
    if (isMatch) matched = index;
  }
  return matched;
}
