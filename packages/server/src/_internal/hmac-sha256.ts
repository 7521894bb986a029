const encoder = new TextEncoder();

/**
 * HMAC-SHA256 of `parts` concatenated, keyed with `key` (a string is taken as its UTF-8 bytes).
 * Web Crypto, so it runs wherever a Web `Request` does (Node, edge runtimes, workers).
 *
 * @example
 * const tag = await hmacSha256("secret", encoder.encode(`${timestamp}.`), body);
 */
export async function hmacSha256(
  key: string | Uint8Array,
  ...parts: readonly Uint8Array[]
): Promise<Uint8Array> {
  const keyBytes = typeof key === "string" ? encoder.encode(key) : key;
  const cryptoKey = await crypto.subtle.importKey(
    "raw",
    keyBytes as Uint8Array<ArrayBuffer>,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const signature = await crypto.subtle.sign(
    "HMAC",
    cryptoKey,
    concatBytes(parts) as Uint8Array<ArrayBuffer>,
  );
  return new Uint8Array(signature);
}

/**
 * The bytes of `parts` one after another, in a fresh buffer.
 *
 * @example
 * concatBytes([encoder.encode("a."), body]);
 */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const size = parts.reduce((total, part) => total + part.byteLength, 0);
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return bytes;
}
