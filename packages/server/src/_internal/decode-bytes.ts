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
  const bytes = new Uint8Array(hex.length / 2);
  for (let index = 0; index < bytes.length; index += 1) {
    bytes[index] = Number.parseInt(hex.slice(index * 2, index * 2 + 2), 16);
  }
  return bytes;
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
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}
