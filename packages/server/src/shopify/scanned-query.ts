import { isUtf8 } from "node:buffer";
import { APP_PROXY_SIGNATURE_PARAMETER } from "./app-proxy-canonical-string.js";

/** A serialized app proxy query, read in one pass over its bytes as far as verification needs. */
export interface ScannedAppProxyQuery {
  /** How often each of the names asked for appears. */
  readonly counts: readonly number[];
  /** The first value of each name asked for, decoded as URLSearchParams decodes it. */
  readonly firsts: readonly (string | undefined)[];
  /**
   * The UTF-8 bytes of the canonical string ({@link appProxyCanonicalString}): a view of a buffer
   * the next call overwrites, so hash them first.
   */
  readonly signed: Uint8Array;
}

/**
 * Reads a serialized query (a leading "?" is skipped) for {@link verifyAppProxyRequest}: the
 * counts and first values of `names`, and the canonical string's bytes, built from the raw query
 * without making a string of any value. Pieces and their decoding follow URLSearchParams exactly.
 *
 * `undefined` when a shortcut does not hold, and the caller then reads the query the plain way: a
 * character outside ASCII in the query (a serialized URL has none), a name with "=" or outside
 * ASCII once decoded, or decoded bytes that are not UTF-8 (which URLSearchParams would replace
 * with U+FFFD).
 *
 * Why by hand: URLSearchParams decodes in JavaScript byte by byte in Node 20, and building the
 * canonical string from its pairs (a string per name and value, `key=value` strings sorted by
 * V8's string compare, joined) cost three times the HMAC of a 1 KB query. Here the query is
 * written once into a reused buffer, names are sorted as bytes, and values are decoded straight
 * into the bytes that are hashed.
 */
export function scanAppProxyQuery(query: string, names: readonly string[]): ScannedAppProxyQuery | undefined {
  const length = query.length;
  const { slotsByLength, signatureSlot } = namesOf(names);
  // One buffer: the canonical bytes, then the query's own bytes and a sentinel "&", then names
  // that needed decoding. Decoding never lengthens text, and "=" and "," stand where a raw "="
  // and "&" stood, so the first and last parts need `length` bytes.
  const bytes = scratchOf(3 * length + 1);
  const source = length;
  const sourceEnd = source + length;
  // Only ASCII is read byte for byte: its UTF-8 length is its length, and its Latin-1 bytes are
  // its UTF-8 bytes (a Latin-1 write of anything else would keep only each character's low byte).
  // Both are native and far cheaper than a UTF-8 write.
  if (Buffer.byteLength(query, "utf8") !== length) return undefined;
  bytes.write(query, source, length, "latin1");
  bytes[sourceEnd] = 0x26 /* & */;

  const counts: number[] = [];
  const firstStarts: number[] = [];
  const firstEnds: number[] = [];
  const isFirstPlain: boolean[] = [];
  for (let slot = 0; slot < names.length; slot++) {
    counts.push(0);
    firstStarts.push(-1);
    firstEnds.push(-1);
    isFirstPlain.push(false);
  }
  // Per signed piece, in tables reused by every call: its name's byte range (in the query, or
  // decoded after it) and its value's byte range once decoded in place, then the name's first
  // four bytes as one number, which settles most comparisons. A piece takes at least one byte
  // and its "&", so there are at most half as many as bytes, plus one.
  const { ranges, prefixes, order } = piecesOf((length >> 1) + 1);
  let count = 0;
  let nameAt = sourceEnd + 1;

  // One pass over the bytes finds the pieces and decodes each value where it lies (decoding never
  // writes past what it has read). Each part of a piece has its own tight loop, and every loop
  // stops at the sentinel "&" at the latest.
  let index = source + (query.charCodeAt(0) === 0x3f /* ? */ ? 1 : 0);
  while (index <= sourceEnd) {
    const pieceStart = index;
    let code = bytes[index]!;
    let isNameEscaped = false;
    while (code !== 0x3d /* = */ && code !== 0x26 /* & */) {
      if (code === 0x25 /* % */ || code === 0x2b /* + */) isNameEscaped = true;
      code = bytes[++index]!;
    }
    const equals = index;
    let valueStart = index;
    let valueEnd = index;
    let isValuePlain = true;
    if (code === 0x3d) {
      valueStart = ++index;
      code = bytes[index]!;
      // Up to its first escape, a value is already what it decodes to.
      while (code !== 0x26 && code !== 0x25 && code !== 0x2b) code = bytes[++index]!;
      let to = index;
      isValuePlain = code === 0x26;
      while (code !== 0x26) {
        if (code === 0x2b) {
          bytes[to++] = 0x20;
        } else if (code === 0x25) {
          // "&" is no hex digit, so a "%" near a piece's end never decodes across it.
          const high = hexValue(bytes[index + 1]!);
          const low = high < 0 ? -1 : hexValue(bytes[index + 2]!);
          if (low >= 0) {
            bytes[to++] = (high << 4) | low;
            index += 2;
          } else {
            bytes[to++] = code;
          }
        } else {
          bytes[to++] = code;
        }
        code = bytes[++index]!;
      }
      valueEnd = to;
    }
    if (index > pieceStart) {
      let nameStart = pieceStart;
      let nameEnd = equals;
      // A plain name is its own bytes in the query: ASCII, and without "=", which ended it.
      if (isNameEscaped) {
        const decodedEnd = writeDecoded(bytes, nameStart, nameEnd, nameAt);
        nameStart = nameAt;
        nameEnd = nameAt = decodedEnd;
        for (let at = nameStart; at < nameEnd; at++) {
          if (bytes[at]! >= 0x80 || bytes[at] === 0x3d) return undefined;
        }
      }
      const slot = slotOf(bytes, nameStart, nameEnd, slotsByLength);
      if (slot >= 0 && counts[slot]!++ === 0) {
        firstStarts[slot] = valueStart;
        firstEnds[slot] = valueEnd;
        isFirstPlain[slot] = isValuePlain;
      }
      if (slot !== signatureSlot) {
        let prefix = 0;
        for (let at = nameStart; at < nameStart + 4; at++) {
          prefix = prefix * 256 + (at < nameEnd ? bytes[at]! : at === nameEnd ? 0x3d : 0);
        }
        ranges[count * 4] = nameStart;
        ranges[count * 4 + 1] = nameEnd;
        ranges[count * 4 + 2] = valueStart;
        ranges[count * 4 + 3] = valueEnd;
        prefixes[count++] = prefix;
      }
    }
    index++;
  }

  // An insertion sort, written out: the names are a few dozen, often nearly sorted. Strictly
  // after: equal names keep the order received. The order comes from the names alone: grouped,
  // they are unique, and none holds "=", so comparing `name=` decides every comparison of the
  // `name=value` strings the canonical string sorts (with "=" attached, a name that is a prefix
  // of another sorts as it does there: `a-=` before `a=`).
  for (let piece = 0; piece < count; piece++) {
    let slot = piece;
    while (slot > 0 && isAfter(bytes, ranges, prefixes, order[slot - 1]!, piece)) {
      order[slot] = order[slot - 1]!;
      slot--;
    }
    order[slot] = piece;
  }
  let at = 0;
  let previous = -1;
  for (let index = 0; index < count; index++) {
    const piece = order[index]!;
    // Once sorted, a name equal to the previous one is one that does not sort after it.
    const valueStart = ranges[piece * 4 + 2]!;
    const valueEnd = ranges[piece * 4 + 3]!;
    if (previous >= 0 && !isAfter(bytes, ranges, prefixes, piece, previous)) {
      bytes[at++] = 0x2c /* , */;
    } else {
      previous = piece;
      const nameStart = ranges[piece * 4]!;
      const nameEnd = ranges[piece * 4 + 1]!;
      // A name in the query that its own "=" ends is followed by its value: one copy for both.
      if (nameEnd + 1 === valueStart) {
        bytes.copyWithin(at, nameStart, valueEnd);
        at += valueEnd - nameStart;
        continue;
      }
      bytes.copyWithin(at, nameStart, nameEnd);
      at += nameEnd - nameStart;
      bytes[at++] = 0x3d /* = */;
    }
    bytes.copyWithin(at, valueStart, valueEnd);
    at += valueEnd - valueStart;
  }
  const signed = bytes.subarray(0, at);
  if (!isUtf8(signed)) return undefined;

  // The values asked for: a slice of the query when there was nothing to decode, else their
  // decoded bytes read as UTF-8 with U+FFFD for what is
  // not, as URLSearchParams reads them.
  const firsts: (string | undefined)[] = [];
  for (let slot = 0; slot < names.length; slot++) {
    const start = firstStarts[slot]!;
    const end = firstEnds[slot]!;
    if (start < 0) firsts.push(undefined);
    else if (isFirstPlain[slot]) firsts.push(query.slice(start - source, end - source));
    else firsts.push(bytes.toString("utf8", start, end));
  }
  return { counts, firsts, signed };
}

/** The names a scan looks for: their slots by byte length, as bytes, and the signature's slot. */
interface ScanNames {
  slotsByLength: ([number, Uint8Array][] | undefined)[];
  signatureSlot: number;
}
const namesCache = new WeakMap<readonly string[], ScanNames>();
function namesOf(names: readonly string[]): ScanNames {
  let entry = namesCache.get(names);
  if (entry === undefined) {
    const slotsByLength: ([number, Uint8Array][] | undefined)[] = [];
    for (const [slot, name] of names.entries()) {
      const bytes = Buffer.from(name, "utf8");
      const sameLength = slotsByLength[bytes.byteLength] ?? [];
      sameLength.push([slot, bytes]);
      slotsByLength[bytes.byteLength] = sameLength;
    }
    entry = { slotsByLength, signatureSlot: names.indexOf(APP_PROXY_SIGNATURE_PARAMETER) };
    namesCache.set(names, entry);
  }
  return entry;
}

/** Which of the names the bytes `[start, end)` spell; -1 for none. */
function slotOf(
  bytes: Uint8Array,
  start: number,
  end: number,
  slotsByLength: ScanNames["slotsByLength"],
): number {
  const candidates = slotsByLength[end - start];
  if (candidates === undefined) return -1;
  for (const [slot, name] of candidates) {
    let index = 0;
    while (index < name.byteLength && bytes[start + index] === name[index]) index++;
    if (index === name.byteLength) return slot;
  }
  return -1;
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
 * ranges of ASCII names in `bytes`. `prefixes` holds each key's first four bytes as one number;
 * the "=" that ends a key is compared as a byte.
 */
function isAfter(
  bytes: Uint8Array,
  ranges: Int32Array,
  prefixes: Uint32Array,
  left: number,
  right: number,
): boolean {
  if (prefixes[left] !== prefixes[right]) return prefixes[left]! > prefixes[right]!;
  // Equal prefixes: both names are at least four bytes long, or they are the same name.
  const leftStart = ranges[left * 4]!;
  const rightStart = ranges[right * 4]!;
  const leftLength = ranges[left * 4 + 1]! - leftStart;
  const rightLength = ranges[right * 4 + 1]! - rightStart;
  const common = Math.min(leftLength, rightLength);
  for (let index = 4; index < common; index++) {
    const leftByte = bytes[leftStart + index]!;
    const rightByte = bytes[rightStart + index]!;
    if (leftByte !== rightByte) return leftByte > rightByte;
  }
  if (leftLength === rightLength) return false;
  // One name is a prefix of the other: its "=" meets the other's next byte.
  return leftLength < rightLength
    ? 0x3d > bytes[rightStart + leftLength]!
    : bytes[leftStart + rightLength]! > 0x3d;
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

/** The pieces' tables, reused by every call as the byte buffer is. */
let pieceTables = {
  ranges: new Int32Array(1024),
  prefixes: new Uint32Array(256),
  order: new Int32Array(256),
};
function piecesOf(capacity: number): typeof pieceTables {
  if (pieceTables.order.length < capacity) {
    pieceTables = {
      ranges: new Int32Array(capacity * 4),
      prefixes: new Uint32Array(capacity),
      order: new Int32Array(capacity),
    };
  }
  return pieceTables;
}
