/**
 * Whether two strings of one-byte characters (hex or base64 tags) are equal, in time that depends
 * only on their lengths: a signature check must not reveal how many leading characters of a
 * forged tag were right. Lengths are public (every tag of one scheme has the same), so a length
 * mismatch answers at once. Text, not bytes: comparing `digest("hex")` with the presented tag
 * skips the digest's buffer and the decoding of the tag, which together cost a third as much as
 * the HMAC of 1 KB. Only text in the digest's own form (lower-case hex, padded base64) can equal
 * it, so a tag in another form is simply unequal; callers that report why check the form apart.
 *
 * @example
 * timingSafeEqualText(createHmac("sha256", key).update(body).digest("hex"), presentedHex);
 */
export function timingSafeEqualText(left: string, right: string): boolean {
  if (left.length !== right.length) return false;
  let difference = 0;
  for (let index = 0; index < left.length; index += 1) {
    difference |= left.charCodeAt(index) ^ right.charCodeAt(index);
  }
  return difference === 0;
}
