const HEX_PATTERN = /^(?:[0-9a-fA-F]{2})+$/;
const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The bytes a hex string spells, or `undefined` when it is not an even run of hex digits.
 *
 * @example
 * hexToBytes("ff00"); // Uint8Array [255, 0]
 */
export function hexToBytes(hex: string): Uint8Array | undefined {
  if (!HEX_PATTERN.test(hex)) return undefined;
  // Node's decoder, native, once the pattern has vouched for the text: on its own it stops at
  // the first character that is not hex instead of refusing the text.
  return Buffer.from(hex, "hex");
}

/**
 * The bytes of canonical, padded base64, or `undefined` for anything else. Stricter than `atob`,
 * which skips whitespace and accepts missing padding.
 *
 * @example
 * base64ToBytes("AP8="); // Uint8Array [0, 255]
 */
export function base64ToBytes(base64: string): Uint8Array | undefined {
  if (base64.length === 0 || !BASE64_PATTERN.test(base64)) return undefined;
  // As for hex: Node's decoder is lenient (it skips whitespace, accepts no padding), the pattern is not.
  return Buffer.from(base64, "base64");
}
