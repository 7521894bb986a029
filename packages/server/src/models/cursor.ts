// Cursors are the row's id as unpadded base64url: opaque to callers, stable, and safe in a URL.
// They carry no secret and need none: a forged cursor only chooses where a page starts, and the
// query's own filters still decide which rows anyone can see.

/** The longest id a cursor may carry, in UTF-8 bytes; ids are uuids or cuids, far shorter. */
export const MAX_CURSOR_ID_BYTES = 256;

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const UTF8_DECODER = new TextDecoder("utf-8", { fatal: true });
const UTF8_ENCODER = new TextEncoder();

/**
 * The opaque cursor for a row id.
 *
 * @example
 * encodeCursor("c1"); // "YzE"
 */
export function encodeCursor(id: string): string {
  let binary = "";
  for (const byte of UTF8_ENCODER.encode(id)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * The id inside `cursor`, or undefined unless `cursor` is exactly what {@link encodeCursor} returns
 * for some non-empty id (so a cursor has one spelling, and a tampered one is refused, not guessed).
 *
 * @example
 * decodeCursor("YzE"); // "c1"
 * decodeCursor("YzE="); // undefined
 */
export function decodeCursor(cursor: unknown): string | undefined {
  if (typeof cursor !== "string" || !BASE64URL.test(cursor)) return undefined;
  if (cursor.length > Math.ceil((MAX_CURSOR_ID_BYTES * 4) / 3) || cursor.length % 4 === 1) return undefined;
  const binary = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = Uint8Array.from(binary, (character) => character.charCodeAt(0));
  let id: string;
  try {
    id = UTF8_DECODER.decode(bytes);
  } catch {
    return undefined;
  }
  if (id.length === 0 || encodeCursor(id) !== cursor) return undefined;
  return id;
}
