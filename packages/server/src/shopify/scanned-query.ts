import { isUtf8 } from "node:buffer";
import { decodeComponent } from "../_internal/decode-query.js";
import { APP_PROXY_SIGNATURE_PARAMETER } from "./app-proxy-canonical-string.js";

const SIGNATURE_KEY = `${APP_PROXY_SIGNATURE_PARAMETER}=`;

/**
 * A serialized query read just enough to verify it: names decoded, values left raw until asked
 * for. Pieces and their decoding follow URLSearchParams exactly.
 */
export interface ScannedQuery {
  readonly query: string;
  /** Four numbers per piece: raw name start and end, raw value start and end. */
  readonly spans: readonly number[];
  /**
   * The decoded name of each piece followed by "=", in the order received: the canonical string
   * sorts `name=value` strings, and with "=" attached a name that is a prefix of another sorts
   * as it does there (`a-=` before `a=`).
   */
  readonly keys: readonly string[];
  /** Whether each piece's raw name is its decoded name (no "%" or "+"). */
  readonly isPlain: readonly boolean[];
}

/** Reads the pieces and names of a serialized query (a leading "?" is skipped). */
export function scanQuery(query: string): ScannedQuery {
  const spans: number[] = [];
  const keys: string[] = [];
  const isPlain: boolean[] = [];
  const length = query.length;
  let start = query.charCodeAt(0) === 0x3f /* ? */ ? 1 : 0;
  // indexOf finds separators and escapes natively, far faster than reading the text a character
  // at a time; each search resumes only once the scan has passed what it found.
  let nextEquals = query.indexOf("=", start);
  let nextPercent = query.indexOf("%", start);
  let nextPlus = query.indexOf("+", start);
  while (start <= length) {
    let end = query.indexOf("&", start);
    if (end === -1) end = length;
    if (end > start) {
      if (nextEquals !== -1 && nextEquals < start) nextEquals = query.indexOf("=", start);
      const equals = nextEquals === -1 || nextEquals > end ? end : nextEquals;
      // The query's own "=" ends the key: one slice, no concatenation.
      const raw = equals < end ? query.slice(start, equals + 1) : `${query.slice(start, end)}=`;
      if (nextPercent !== -1 && nextPercent < start) nextPercent = query.indexOf("%", start);
      if (nextPlus !== -1 && nextPlus < start) nextPlus = query.indexOf("+", start);
      const isPlainName =
        (nextPercent === -1 || nextPercent >= equals) && (nextPlus === -1 || nextPlus >= equals);
      keys.push(
        isPlainName ? raw : (decodeComponent(raw) ?? `${[...new URLSearchParams(`&${raw}`)][0]![0]}=`),
      );
      isPlain.push(isPlainName);
      spans.push(start, equals, equals < end ? equals + 1 : end, end);
    }
    start = end + 1;
  }
  return { query, spans, keys, isPlain };
}

/** The decoded value of piece `piece`. */
export function pieceValue({ query, spans }: ScannedQuery, piece: number): string {
  const raw = query.slice(spans[piece * 4 + 2], spans[piece * 4 + 3]);
  return decodeComponent(raw) ?? new URLSearchParams(`a=${raw}`).get("a")!;
}

/** The decoded values of `name`, in the order received; an empty list when it is absent. */
export function valuesOf(scanned: ScannedQuery, name: string): string[] {
  const key = `${name}=`;
  const values: string[] = [];
  for (let piece = 0; piece < scanned.keys.length; piece++) {
    if (scanned.keys[piece] === key) values.push(pieceValue(scanned, piece));
  }
  return values;
}

const HEX_VALUE = new Int8Array(128).fill(-1);
for (let digit = 0; digit < 16; digit++) {
  HEX_VALUE["0123456789abcdef".charCodeAt(digit)] = digit;
  HEX_VALUE["0123456789ABCDEF".charCodeAt(digit)] = digit;
}
const hexValue = (code: number) => (code < 128 ? HEX_VALUE[code]! : -1);

/**
 * Writes the form-decoded bytes of `bytes[start, end)` into `bytes` from `at` ("+" as a space,
 * "%XX" as one byte, any other "%" as itself) and returns where it stopped. The query's text is
 * read as bytes, not with `charCodeAt`: in Node 20 a loop over a `Uint8Array` runs twice as fast.
 */
function writeDecoded(bytes: Uint8Array, start: number, end: number, at: number): number {
  for (let index = start; index < end; index++) {
    const code = bytes[index]!;
    if (code === 0x2b /* + */) {
      bytes[at++] = 0x20;
    } else if (code === 0x25 /* % */ && index + 2 < end) {
      const high = hexValue(bytes[index + 1]!);
      const low = hexValue(bytes[index + 2]!);
      if (high >= 0 && low >= 0) {
        bytes[at++] = (high << 4) | low;
        index += 2;
      } else {
        bytes[at++] = code;
      }
    } else {
      bytes[at++] = code;
    }
  }
  return at;
}

/**
 * Whether the key (name and "=") at `left` sorts after the one at `right`, both given as byte
 * ranges of decoded ASCII names in `bytes`. `prefixes` holds each key's first four bytes as one
 * number, which settles most comparisons; the "=" that ends a key is compared as a byte.
 */
function isAfter(
  bytes: Uint8Array,
  starts: readonly number[],
  ends: readonly number[],
  prefixes: readonly number[],
  left: number,
  right: number,
): boolean {
  if (prefixes[left] !== prefixes[right]) return prefixes[left]! > prefixes[right]!;
  let leftAt = starts[left]! + 4;
  let rightAt = starts[right]! + 4;
  const leftEnd = ends[left]!;
  const rightEnd = ends[right]!;
  for (;;) {
    const leftByte = leftAt < leftEnd ? bytes[leftAt]! : leftAt === leftEnd ? 0x3d : -1;
    const rightByte = rightAt < rightEnd ? bytes[rightAt]! : rightAt === rightEnd ? 0x3d : -1;
    if (leftByte !== rightByte) return leftByte > rightByte;
    if (leftByte === -1) return false;
    leftAt++;
    rightAt++;
  }
}

/**
 * One buffer reused by every call: allocating a fresh one per request costs more than the rest
 * of the work on the bytes. Safe because nothing here is asynchronous, and what it holds (the
 * query and what is signed, both sent in the clear) is no secret.
 */
let scratch = Buffer.allocUnsafeSlow(8192);
function scratchOf(size: number): Buffer {
  if (scratch.byteLength < size) scratch = Buffer.allocUnsafeSlow(size);
  return scratch;
}

/**
 * The UTF-8 bytes of the canonical string ({@link appProxyCanonicalString}), built from the raw
 * query without making a string of any value. The order comes from the names alone: grouped,
 * they are unique, so when none holds "=", comparing `name=` decides every comparison of
 * `name=value` strings. `undefined` when a shortcut does not hold (a name with "=" or outside
 * ASCII once decoded, a character outside ASCII in the query, decoded bytes that are not UTF-8,
 * which URLSearchParams would replace with U+FFFD): the caller then builds the string the plain
 * way. The bytes are a view of a buffer the next call overwrites: hash them first.
 */
export function canonicalBytes({ query, spans, keys, isPlain }: ScannedQuery): Uint8Array | undefined {
  const length = query.length;
  const count = keys.length;
  // One buffer: the canonical bytes, then the query's own bytes, then its names decoded.
  // Decoding never lengthens text, and "=" and "," stand where a raw "=" and "&" stood, so the
  // first and last parts need `length` bytes. The query's part gets 4 spare: a UTF-8 write stops
  // before a character that does not fit, so it writes exactly `length` bytes only when every
  // character is ASCII (one that is not takes 2 to 4 bytes).
  const bytes = scratchOf(3 * length + 4);
  const source = length;
  if (bytes.write(query, source, "utf8") !== length) return undefined;
  // The names are decoded once, as bytes, and sorted as bytes: strings sliced from the query
  // take a slow path in V8's string compare (sorting two dozen of them cost about 3 µs, as much
  // as the HMAC of 1 KB). For ASCII, byte order is code-unit order.
  // Plain arrays, not typed ones: a typed array over 64 bytes gets its own backing store, which
  // costs more to allocate and collect than these few numbers.
  const starts: number[] = [];
  const ends: number[] = [];
  const prefixes: number[] = [];
  let nameAt = 2 * length + 4;
  for (let piece = 0; piece < count; piece++) {
    let start = source + spans[piece * 4]!;
    let end = source + spans[piece * 4 + 1]!;
    // A plain name is its own bytes in the query: ASCII, and without "=", which ended it.
    if (!isPlain[piece]) {
      const decodedEnd = writeDecoded(bytes, start, end, nameAt);
      start = nameAt;
      end = nameAt = decodedEnd;
      for (let index = start; index < end; index++) {
        if (bytes[index]! >= 0x80 || bytes[index] === 0x3d) return undefined;
      }
    }
    let prefix = 0;
    for (let index = start; index < start + 4; index++) {
      prefix = prefix * 256 + (index < end ? bytes[index]! : index === end ? 0x3d : 0);
    }
    starts.push(start);
    ends.push(end);
    prefixes.push(prefix);
  }
  // An insertion sort, written out: the names are a few dozen, often nearly sorted. Strictly
  // after: equal names keep the order received.
  const order: number[] = [];
  for (let piece = 0; piece < count; piece++) {
    order.push(piece);
    let slot = piece;
    while (slot > 0 && isAfter(bytes, starts, ends, prefixes, order[slot - 1]!, piece)) {
      order[slot] = order[slot - 1]!;
      slot--;
    }
    order[slot] = piece;
  }
  let at = 0;
  let previous = -1;
  for (let index = 0; index < count; index++) {
    const piece = order[index]!;
    if (keys[piece] === SIGNATURE_KEY) continue;
    const span = piece * 4;
    // Once sorted, a name equal to the previous one is one that does not sort after it.
    if (previous >= 0 && !isAfter(bytes, starts, ends, prefixes, piece, previous)) {
      bytes[at++] = 0x2c /* , */;
    } else {
      previous = piece;
      for (let name = starts[piece]!; name < ends[piece]!; name++) bytes[at++] = bytes[name]!;
      bytes[at++] = 0x3d /* = */;
    }
    at = writeDecoded(bytes, source + spans[span + 2]!, source + spans[span + 3]!, at);
  }
  const canonical = bytes.subarray(0, at);
  return isUtf8(canonical) ? canonical : undefined;
}
