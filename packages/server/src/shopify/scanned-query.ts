import { isUtf8 } from "node:buffer";
import { decodeComponent } from "../_internal/decode-query.js";
import { APP_PROXY_SIGNATURE_PARAMETER } from "./app-proxy-canonical-string.js";

/**
 * A serialized query read just enough to verify it: names decoded and grouped, values left raw
 * until asked for. Pieces and their decoding follow URLSearchParams exactly.
 */
export interface ScannedQuery {
  readonly query: string;
  /** Four numbers per piece: raw name start and end, raw value start and end. */
  readonly spans: readonly number[];
  /** Piece numbers by decoded name, in the order received. */
  readonly byName: ReadonlyMap<string, readonly number[]>;
}

/** Reads the pieces and names of a serialized query (a leading "?" is skipped). */
export function scanQuery(query: string): ScannedQuery {
  const spans: number[] = [];
  const byName = new Map<string, number[]>();
  let start = query.charCodeAt(0) === 0x3f /* ? */ ? 1 : 0;
  while (start <= query.length) {
    let end = query.indexOf("&", start);
    if (end === -1) end = query.length;
    if (end > start) {
      let equals = query.indexOf("=", start);
      if (equals === -1 || equals > end) equals = end;
      const raw = query.slice(start, equals);
      const name = decodeComponent(raw) ?? [...new URLSearchParams(`&${raw}`)][0]![0];
      const piece = spans.length / 4;
      spans.push(start, equals, Math.min(equals + 1, end), end);
      const pieces = byName.get(name);
      if (pieces) pieces.push(piece);
      else byName.set(name, [piece]);
    }
    start = end + 1;
  }
  return { query, spans, byName };
}

/** The decoded values of `name`, in the order received; an empty list when it is absent. */
export function valuesOf({ query, spans, byName }: ScannedQuery, name: string): string[] {
  return (byName.get(name) ?? []).map((piece) => {
    const raw = query.slice(spans[piece * 4 + 2], spans[piece * 4 + 3]);
    return decodeComponent(raw) ?? new URLSearchParams(`a=${raw}`).get("a")!;
  });
}

const HEX_VALUE = new Int8Array(128).fill(-1);
for (let digit = 0; digit < 16; digit++) {
  HEX_VALUE["0123456789abcdef".charCodeAt(digit)] = digit;
  HEX_VALUE["0123456789ABCDEF".charCodeAt(digit)] = digit;
}
const hexValue = (code: number) => (code < 128 ? HEX_VALUE[code]! : -1);

/**
 * Writes the form-decoded bytes of `query[start, end)` into `out` from `at` ("+" as a space,
 * "%XX" as one byte, any other "%" as itself) and returns where it stopped; -1 on a character
 * outside ASCII, which a serialized URL never holds.
 */
function writeDecoded(query: string, start: number, end: number, out: Uint8Array, at: number): number {
  for (let index = start; index < end; index++) {
    const code = query.charCodeAt(index);
    if (code === 0x2b /* + */) {
      out[at++] = 0x20;
    } else if (code === 0x25 /* % */ && index + 2 < end) {
      const high = hexValue(query.charCodeAt(index + 1));
      const low = hexValue(query.charCodeAt(index + 2));
      if (high >= 0 && low >= 0) {
        out[at++] = (high << 4) | low;
        index += 2;
      } else {
        out[at++] = code;
      }
    } else if (code < 0x80) {
      out[at++] = code;
    } else {
      return -1;
    }
  }
  return at;
}

/**
 * The UTF-8 bytes of the canonical string ({@link appProxyCanonicalString}), built from the raw
 * query without making a string of any value. The order comes from the names alone: they are
 * unique once grouped, so when none holds "=", comparing `name=` decides every comparison of
 * `name=value` strings. `undefined` when a shortcut does not hold (a name with "=", a character
 * outside ASCII, decoded bytes that are not UTF-8, which URLSearchParams would replace with
 * U+FFFD): the caller then builds the string the plain way.
 */
export function canonicalBytes({ query, spans, byName }: ScannedQuery): Uint8Array | undefined {
  const sortKeys: string[] = [];
  for (const name of byName.keys()) {
    if (name.includes("=")) return undefined;
    if (name !== APP_PROXY_SIGNATURE_PARAMETER) sortKeys.push(`${name}=`);
  }
  sortKeys.sort();
  // Decoding never lengthens text, and "=" and "," stand where a raw "=" and "&" stood. Unsafe
  // (pooled, not zeroed) is fine: only the bytes written are read, and only by the HMAC.
  const out = Buffer.allocUnsafe(query.length + 1);
  let at = 0;
  for (const sortKey of sortKeys) {
    const pieces = byName.get(sortKey.slice(0, -1))!;
    const first = pieces[0]!;
    at = writeDecoded(query, spans[first * 4]!, spans[first * 4 + 1]!, out, at);
    if (at < 0) return undefined;
    out[at++] = 0x3d;
    for (let index = 0; index < pieces.length; index++) {
      const piece = pieces[index]!;
      if (index > 0) out[at++] = 0x2c;
      at = writeDecoded(query, spans[piece * 4 + 2]!, spans[piece * 4 + 3]!, out, at);
      if (at < 0) return undefined;
    }
  }
  const bytes: Uint8Array = out.subarray(0, at);
  return isUtf8(bytes) ? bytes : undefined;
}
