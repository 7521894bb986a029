const encoder = new TextEncoder();

/** How many string keys {@link webCryptoHmacSha256} keeps imported. */
const MAX_IMPORTED_KEYS = 32;
// Importing a key costs about as much as signing a 5 KB body, and a route verifies every request
// with the same few secrets, so string keys are imported once. Bounded: a caller that cycles
// through many keys (a secret per shop) evicts the oldest instead of growing the map. The keys are
// non-extractable and the secrets they come from are held by the caller's options anyway.
const importedKeys = new Map<string, Promise<CryptoKey>>();

type NodeCrypto = typeof import("node:crypto");

// On Node, node:crypto's HMAC runs synchronously in a few microseconds, where Web Crypto's `sign`
// queues a job on the thread pool and costs several times the CPU: for a webhook route that is the
// largest cost of verifying a delivery. `process.getBuiltinModule` (Node 20.16+) loads it without a
// static `node:` import, so this module still bundles for edge runtimes and workers, which have no
// such function and take the Web Crypto path.
const nodeCrypto = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
).process?.getBuiltinModule?.("node:crypto") as NodeCrypto | undefined;

/**
 * HMAC-SHA256 of `parts` concatenated, keyed with `key` (a string is taken as its UTF-8 bytes):
 * node:crypto on Node, Web Crypto elsewhere (edge runtimes, workers).
 *
 * @example
 * const tag = await hmacSha256("secret", encoder.encode(`${timestamp}.`), body);
 */
export async function hmacSha256(
  key: string | Uint8Array,
  ...parts: readonly Uint8Array[]
): Promise<Uint8Array> {
  if (nodeCrypto === undefined) return await webCryptoHmacSha256(key, ...parts);
  const hmac = nodeCrypto.createHmac("sha256", key);
  for (const part of parts) hmac.update(part);
  const digest = hmac.digest();
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}

/**
 * {@link hmacSha256} through Web Crypto only: the path of runtimes without node:crypto.
 *
 * @example
 * const tag = await webCryptoHmacSha256("secret", body);
 */
export async function webCryptoHmacSha256(
  key: string | Uint8Array,
  ...parts: readonly Uint8Array[]
): Promise<Uint8Array> {
  const cryptoKey = await (typeof key === "string" ? importStringKey(key) : importKey(key));
  // One part is signed in place: `sign` reads only the view's own bytes, so no copy is needed.
  const content = parts.length === 1 ? parts[0]! : concatBytes(parts);
  const signature = await crypto.subtle.sign("HMAC", cryptoKey, content as Uint8Array<ArrayBuffer>);
  return new Uint8Array(signature);
}

function importStringKey(key: string): Promise<CryptoKey> {
  let imported = importedKeys.get(key);
  if (imported === undefined) {
    if (importedKeys.size >= MAX_IMPORTED_KEYS) importedKeys.delete(importedKeys.keys().next().value!);
    imported = importKey(encoder.encode(key));
    importedKeys.set(key, imported);
    // A failed import is not kept: the next call tries again (and fails the same way, visibly).
    imported.catch(() => importedKeys.delete(key));
  }
  return imported;
}

function importKey(keyBytes: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    keyBytes as Uint8Array<ArrayBuffer>,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
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
