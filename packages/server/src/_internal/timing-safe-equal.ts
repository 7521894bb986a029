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
  let difference = 0;
  for (let index = 0; index < left.byteLength; index += 1) {
    difference |= left[index]! ^ right[index]!;
  }
  return difference === 0;
}
