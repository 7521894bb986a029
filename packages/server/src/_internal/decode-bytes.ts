import { isUtf8 } from "node:buffer";

const HEX_PATTERN = /^(?:[0-9a-fA-F]{2})+$/;
const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The bytes of canonical, padded base64, or `undefined` for anything else. Stricter than `atob`,
 * which skips whitespace and accepts missing padding.
 *
 * @example
 * base64ToBytes("AP8="); // Uint8Array [0, 255]
 */
export function base64ToBytes(base64: string): Uint8Array | undefined {
  if (base64.length === 0 || !BASE64_PATTERN.test(base64)) return undefined;
  // Node's decoder, native, once the pattern has vouched for the text: on its own it skips
  // whitespace and accepts missing padding.
  return Buffer.from(base64, "base64");
}

/**
 * A hex tag in the form node:crypto writes it (lower case), or `undefined` when it is not an even
 * run of hex digits; for comparing with `digest("hex")` as text.
 *
 * @example
 * canonicalHex("00FF"); // "00ff"
 */
export function canonicalHex(hex: string): string | undefined {
  return HEX_PATTERN.test(hex) ? hex.toLowerCase() : undefined;
}

/**
 * A padded base64 tag as it is, or `undefined` for anything else; for comparing with
 * `digest("base64")` as text. A tag whose last character carries bits the bytes do not use
 * decodes to the same bytes but is not the text node:crypto writes, so it does not match:
 * senders write canonical base64.
 *
 * @example
 * canonicalBase64("AP8="); // "AP8="
 */
export function canonicalBase64(base64: string): string | undefined {
  return base64.length > 0 && BASE64_PATTERN.test(base64) ? base64 : undefined;
}

/**
 * The text of UTF-8 bytes, or `undefined` when they are not UTF-8; a leading byte order mark is
 * dropped. What `new TextDecoder("utf-8", { fatal: true }).decode(bytes)` gives, without its cost:
 * in Node 20 a fatal decoder runs through ICU (and making one per call costs more again), where
 * `isUtf8` and Buffer's decoding are native and vectorized. Webhook bodies take this path on
 * every delivery.
 *
 * @example
 * utf8Text(new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0x69])); // "hi"
 */
export function utf8Text(bytes: Uint8Array): string | undefined {
  if (!isUtf8(bytes)) return undefined;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
