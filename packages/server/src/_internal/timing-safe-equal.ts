import { timingSafeEqual as cryptoTimingSafeEqual } from "node:crypto";

/**
 * Whether two byte strings are equal, in time that depends only on their lengths: a signature
 * check must not reveal how many leading bytes of a forged tag were right. Lengths are public
 * (every tag of one scheme has the same), so a length mismatch answers at once.
 *
 * @example
 * timingSafeEqual(expectedTag, presentedTag);
 */
export function timingSafeEqual(left: Uint8Array, right: Uint8Array): boolean {
  if (left.byteLength !== right.byteLength) return false;
  // node:crypto's, which requires equal lengths: constant-time by OpenSSL's CRYPTO_memcmp.
  return cryptoTimingSafeEqual(left, right);
}
