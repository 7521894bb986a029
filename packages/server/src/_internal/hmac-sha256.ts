import { createHmac, createSecretKey, hash, type KeyObject } from "node:crypto";

/**
 * HMAC-SHA256 (RFC 2104) of `parts` concatenated, keyed with `key` (a string is taken as its
 * UTF-8 bytes), written as hex or base64 text, with no buffer for the digest: signatures are
 * compared as text (`timingSafeEqualText`).
 *
 * Why the construction is written out here rather than left to `createHmac`: verifiers run it
 * once per request, on bodies of a few KB, and there `createHmac`'s fixed cost dominates. Making
 * an Hmac object (a stream, a native context, the key imported) costs about 2 µs of CPU in Node
 * 20, the hashing of 1 KB a third of a microsecond. HMAC is two SHA-256 hashes, `H(K ⊕ opad ‖
 * H(K ⊕ ipad ‖ message))`, and node:crypto's one-shot `hash()` skips those objects: with the pads
 * computed once per key, the whole HMAC of 1 KB costs about 1.5 µs, two thirds of `createHmac`
 * of the same bytes. The hashing is still OpenSSL's; only the padding is ours, and the tests
 * check it against `createHmac` for keys and messages of every length around the block size.
 * Messages over {@link ONE_SHOT_LIMIT} bytes go to `createHmac`, which hashes them in place: for
 * them the fixed cost is noise and a copy would not be.
 *
 * node:crypto, not Web Crypto: `crypto.subtle.importKey` and `sign` cost 15 to 30 times as much
 * (a key object per call, two promises, a hop to the thread pool), for every webhook received.
 * The package runs on Node (`engines`), as the app proxy verifier's node:crypto import already
 * requires.
 *
 * @example
 * const tag = hmacSha256Text("secret", "base64", encoder.encode(`${timestamp}.`), body);
 */
export function hmacSha256Text(
  key: string | Uint8Array,
  encoding: "hex" | "base64",
  ...parts: readonly (string | Uint8Array)[]
): string {
  let length = 0;
  for (const part of parts)
    length += typeof part === "string" ? Buffer.byteLength(part, "utf8") : part.byteLength;
  if (length > ONE_SHOT_LIMIT) return hmacOfStream(key, encoding, parts);
  const pads = typeof key === "string" ? padsOfText(key) : padsOfBytes(key);
  // The inner hash: the key's inner pad, then the message, in one buffer.
  const inner = scratchOf(BLOCK + length);
  inner.set(pads.inner, 0);
  let at = BLOCK;
  for (const part of parts) {
    if (typeof part === "string") {
      at += inner.write(part, at, "utf8");
    } else {
      inner.set(part, at);
      at += part.byteLength;
    }
  }
  // Hex, then written back as bytes: asking `hash()` for a Buffer costs more than both.
  const innerDigest = hash("sha256", inner.subarray(0, at), "hex");
  outer.set(pads.outer, 0);
  outer.write(innerDigest, BLOCK, DIGEST, "hex");
  return hash("sha256", outer, encoding);
}

/** SHA-256's block and digest sizes, in bytes. */
const BLOCK = 64;
const DIGEST = 32;
/** The largest message hashed by {@link hmacSha256Text}'s one-shot path. */
export const ONE_SHOT_LIMIT = 65_536;

interface Pads {
  /** The key (hashed first when longer than a block), zero-padded to a block, XOR 0x36. */
  inner: Uint8Array;
  /** The same, XOR 0x5c. */
  outer: Uint8Array;
}

function padsOf(key: Uint8Array): Pads {
  const block = new Uint8Array(BLOCK);
  block.set(key.byteLength > BLOCK ? hash("sha256", key, "buffer") : key);
  const inner = new Uint8Array(BLOCK);
  const outerPad = new Uint8Array(BLOCK);
  for (let index = 0; index < BLOCK; index++) {
    inner[index] = block[index]! ^ 0x36;
    outerPad[index] = block[index]! ^ 0x5c;
  }
  block.fill(0);
  return { inner, outer: outerPad };
}

/**
 * The pads of the string keys seen so far. The keys are the app's configured secrets, a handful;
 * the bound only stops a caller that passes ever new keys from growing the map.
 */
const padsOfKeys = new Map<string, Pads>();
const CACHED_KEY_LIMIT = 64;

function padsOfText(key: string): Pads {
  let pads = padsOfKeys.get(key);
  if (pads === undefined) {
    pads = padsOf(Buffer.from(key, "utf8"));
    if (padsOfKeys.size < CACHED_KEY_LIMIT) padsOfKeys.set(key, pads);
  }
  return pads;
}

/** The pads of byte keys, for as long as the caller keeps the key's array. */
const padsOfArrays = new WeakMap<Uint8Array, Pads>();

function padsOfBytes(key: Uint8Array): Pads {
  let pads = padsOfArrays.get(key);
  if (pads === undefined) {
    pads = padsOf(key);
    padsOfArrays.set(key, pads);
  }
  return pads;
}

/**
 * Buffers reused by every call, which is safe because nothing here is asynchronous. They hold a
 * key's pads between calls, as the pads' own cache does for as long as the process runs.
 */
const outer = Buffer.allocUnsafeSlow(BLOCK + DIGEST);
let scratch = Buffer.allocUnsafeSlow(BLOCK + 4096);
function scratchOf(size: number): Buffer {
  if (scratch.byteLength < size) {
    scratch = Buffer.allocUnsafeSlow(Math.min(BLOCK + ONE_SHOT_LIMIT, 2 ** Math.ceil(Math.log2(size))));
  }
  return scratch;
}

/** Key objects of string keys, for `createHmac`: imported once instead of on every call. */
const keyObjects = new Map<string, KeyObject>();

function hmacOfStream(
  key: string | Uint8Array,
  encoding: "hex" | "base64",
  parts: readonly (string | Uint8Array)[],
): string {
  let keyObject: KeyObject | Uint8Array | undefined = typeof key === "string" ? keyObjects.get(key) : key;
  if (keyObject === undefined) {
    keyObject = createSecretKey(Buffer.from(key as string, "utf8"));
    if (keyObjects.size < CACHED_KEY_LIMIT) keyObjects.set(key as string, keyObject);
  }
  const hmac = createHmac("sha256", keyObject);
  // One update per part: the body is hashed where it lies, never copied next to its prefix.
  for (const part of parts) hmac.update(part);
  return hmac.digest(encoding);
}
