// AssemblyScript, compiled to WebAssembly by `scripts/build-wasm.mjs` into
// `src/shopify/app-proxy-query.wasm.ts`: the byte work of reading an app proxy request's query
// (see `src/shopify/scanned-query.ts`, which writes the query into this module's memory, calls
// `scan` and reads the results back).
//
// Why WebAssembly: a signed storefront query is decoded byte by byte (`+`, `%XX`), its pieces
// sorted by name and copied into the string Shopify signs. Written in JavaScript over a
// `Uint8Array` that cost three times the HMAC of the same 1 KB; here it costs about as much as the
// hash. Every result is checked against URLSearchParams by the property tests of the JavaScript
// side, which also falls back to URLSearchParams when this module cannot run.
//
// Memory: the names looked for and each one's results sit in static data; from `__heap_base` on,
// a table of pieces, their sorted order, then the bytes: the canonical string is written at the
// start, the query (narrowed from the UTF-16 the caller writes last) after a gap, then a sentinel
// "&", then the names and values that needed decoding. Decoding never lengthens text, so each part needs about the query's
// length. The query is read, and copied, sixteen bytes at a time (WebAssembly SIMD).

/** Slots for names looked for: a length byte, then up to 31 bytes of name. */
const NAME_SLOTS = 16;
const NAME_SIZE = 32;
const NAMES: usize = memory.data(NAME_SLOTS * NAME_SIZE);
/** Per slot, four i32: how many times the name came, its first value's start and end, and 1 when that value needed no decoding. */
const RESULTS: usize = memory.data(NAME_SLOTS * 16, 8);
/** Per piece: its name's start and end, its value's start and end (i32), its name's first four bytes (u32). */
const PIECE_SIZE: usize = 20;
/**
 * Bytes between the canonical string and the query: the canonical string can be one byte longer
 * than the query ("a" signs "a="), and `copy` writes up to 15 bytes past what it copies.
 */
const GAP: usize = 32;
/** Sixteen of each byte the scan looks for, compared against sixteen bytes of the query at a time. */
const EQUALS = i8x16.splat(0x3d);
const AMPERSAND = i8x16.splat(0x26);
const PERCENT = i8x16.splat(0x25);
const PLUS = i8x16.splat(0x2b);

let nameCount = 0;
let signatureSlot = -1;
let pieces: usize = 0;
let order: usize = 0;
let bytes: usize = 0;
let source: usize = 0;
let wide: usize = 0;

/** The number of names the caller wrote at `names()`, and which of them is the signature, left out of what is signed. */
export function setNames(count: i32, signature: i32): void {
  nameCount = count < NAME_SLOTS ? count : NAME_SLOTS;
  signatureSlot = signature;
}

/** Where the caller writes the names looked for. */
export function names(): usize {
  return NAMES;
}

/** Where `scan` writes the canonical string, once `prepare` has laid memory out. */
export function canonical(): usize {
  return bytes;
}

/** Where `scan` leaves the query as bytes, once `prepare` has laid memory out: first values that needed no decoding lie there. */
export function query(): usize {
  return source;
}

/** Where `scan` leaves its results per name. */
export function results(): usize {
  return RESULTS;
}

/**
 * Lays memory out for a query of `length` UTF-16 code units, growing it when needed, and returns
 * where the caller writes the query as UTF-16 (little-endian, as JavaScript holds it). 0 when
 * memory cannot grow.
 */
export function prepare(length: i32): usize {
  const capacity = <usize>(length >> 1) + 2;
  pieces = (__heap_base + 7) & ~7;
  order = pieces + capacity * PIECE_SIZE;
  bytes = order + capacity * 4;
  source = bytes + <usize>length + GAP;
  // The canonical string, the gap, the query and its sentinel, then decoded names and values, and
  // room for sixteen-byte reads and writes past each; then the query as UTF-16.
  wide = (bytes + <usize>length * 3 + GAP + 64 + 15) & ~15;
  const end = wide + <usize>length * 2 + 32;
  const needed = <i32>((end + 0xffff) >> 16);
  const have = memory.size();
  if (needed > have && memory.grow(needed - have) < 0) return 0;
  return wide;
}

/**
 * Narrows the query's UTF-16 code units to bytes where `scan` reads them, sixteen at a time;
 * `false` at the first unit outside ASCII, whose UTF-8 is not one byte.
 */
function narrow(length: usize): bool {
  const outside = i16x8.splat(<i16>0xff80);
  let index: usize = 0;
  for (; index + 16 <= length; index += 16) {
    const low = v128.load(wide + index * 2);
    const high = v128.load(wide + index * 2 + 16);
    if (v128.any_true(v128.and(v128.or(low, high), outside))) return false;
    v128.store(source + index, i8x16.narrow_i16x8_u(low, high));
  }
  for (; index < length; index++) {
    const unit = load<u16>(wide + index * 2);
    if (unit >= 0x80) return false;
    store<u8>(source + index, <u8>unit);
  }
  return true;
}

/** Copies `size` bytes from `from` to `to`, sixteen at a time: it may write up to 15 bytes past `to + size`. */
function copy(to: usize, from: usize, size: usize): void {
  for (let at: usize = 0; at < size; at += 16) v128.store(to + at, v128.load(from + at));
}

/** A byte's value as a hex digit; 16 when it is none. */
function hexValue(code: u32): u32 {
  if (code - 0x30 < 10) return code - 0x30;
  const letter = (code | 0x20) - 0x61;
  return letter < 6 ? letter + 10 : 16;
}

/** Writes `[start, end)` form-decoded from `to` ("+" a space, "%XX" a byte, another "%" itself); returns where it stopped. */
function writeDecoded(start: usize, end: usize, to: usize): usize {
  for (let at = start; at < end; at++) {
    const code = <u32>load<u8>(at);
    if (code === 0x2b) {
      store<u8>(to++, 0x20);
      continue;
    }
    if (code === 0x25 && at + 2 < end) {
      const high = hexValue(load<u8>(at + 1));
      const low = hexValue(load<u8>(at + 2));
      if (high < 16 && low < 16) {
        store<u8>(to++, <u8>((high << 4) | low));
        at += 2;
        continue;
      }
    }
    store<u8>(to++, <u8>code);
  }
  return to;
}

/** Which slot's name the bytes `[start, end)` spell; -1 for none. */
function slotOf(start: usize, end: usize): i32 {
  const length = <u32>(end - start);
  for (let slot = 0; slot < nameCount; slot++) {
    const name = NAMES + <usize>slot * NAME_SIZE;
    if (<u32>load<u8>(name) !== length) continue;
    let index: u32 = 0;
    while (index < length && load<u8>(start + index) === load<u8>(name + 1 + index)) index++;
    if (index === length) return slot;
  }
  return -1;
}

/** Which of the eight bytes from `left + offset` and `right + offset` differs first; 8 when none does. */
function firstDifference(left: usize, right: usize, offset: usize): usize {
  const difference = load<u64>(left + offset) ^ load<u64>(right + offset);
  // Little-endian: the lowest set byte is the first that differs.
  return <usize>(ctz(difference) >> 3);
}

/** Whether pieces `left` and `right` have the same name: lengths, first four bytes, then the rest from the end, where names that share a stem differ. */
function isSameName(left: usize, right: usize): bool {
  const leftPiece = pieces + left * PIECE_SIZE;
  const rightPiece = pieces + right * PIECE_SIZE;
  const leftStart = <usize>load<i32>(leftPiece);
  const rightStart = <usize>load<i32>(rightPiece);
  const length = <usize>load<i32>(leftPiece + 4) - leftStart;
  if (length !== <usize>load<i32>(rightPiece + 4) - rightStart) return false;
  if (load<u32>(leftPiece + 16) !== load<u32>(rightPiece + 16)) return false;
  let end = length;
  while (end >= 12) {
    if (load<u64>(leftStart + end - 8) !== load<u64>(rightStart + end - 8)) return false;
    end -= 8;
  }
  for (let index: usize = 4; index < end; index++) {
    if (load<u8>(leftStart + index) !== load<u8>(rightStart + index)) return false;
  }
  return true;
}

/**
 * Whether the key (name and "=") of piece `left` sorts after that of piece `right`, comparing
 * bytes: the first four as one number, then eight at a time. A name that is a prefix of the
 * other meets the other's next byte with its "=".
 */
function isAfter(left: usize, right: usize): bool {
  const leftPiece = pieces + left * PIECE_SIZE;
  const rightPiece = pieces + right * PIECE_SIZE;
  const leftPrefix = load<u32>(leftPiece + 16);
  const rightPrefix = load<u32>(rightPiece + 16);
  if (leftPrefix !== rightPrefix) return leftPrefix > rightPrefix;
  const leftStart = <usize>load<i32>(leftPiece);
  const rightStart = <usize>load<i32>(rightPiece);
  const leftLength = <usize>load<i32>(leftPiece + 4) - leftStart;
  const rightLength = <usize>load<i32>(rightPiece + 4) - rightStart;
  const common = min<usize>(leftLength, rightLength);
  let index: usize = 4;
  while (index + 8 <= common) {
    const at = firstDifference(leftStart, rightStart, index);
    if (at < 8) return load<u8>(leftStart + index + at) > load<u8>(rightStart + index + at);
    index += 8;
  }
  // The rest, as the eight bytes that end where the shorter name ends: those before `index` are
  // equal, so the first difference among them is the first of all.
  if (index < common && common >= 12) {
    const start = common - 8;
    const at = firstDifference(leftStart, rightStart, start);
    if (at < 8) return load<u8>(leftStart + start + at) > load<u8>(rightStart + start + at);
    index = common;
  }
  for (; index < common; index++) {
    const leftByte = load<u8>(leftStart + index);
    const rightByte = load<u8>(rightStart + index);
    if (leftByte !== rightByte) return leftByte > rightByte;
  }
  if (leftLength === rightLength) return false;
  return leftLength < rightLength
    ? 0x3d > load<u8>(rightStart + leftLength)
    : load<u8>(leftStart + rightLength) > 0x3d;
}

/**
 * Reads the query of `length` code units the caller wrote where `prepare(length)` said: counts
 * the names looked for and records where each one's first value lies once decoded, then writes the
 * canonical string (every piece but the signature as `name=value`, a repeated name's values
 * joined by ",", sorted by name) and returns its length. -1 when the query holds a character
 * outside ASCII, or a decoded name holds "=" or a byte outside ASCII: the caller then reads the
 * query the plain way.
 */
export function scan(length: i32): i32 {
  if (!narrow(<usize>length)) return -1;
  const sourceEnd = source + <usize>length;
  store<u8>(sourceEnd, 0x26 /* & */);
  for (let slot = 0; slot < nameCount; slot++) {
    const result = RESULTS + <usize>slot * 16;
    store<i32>(result, 0);
    store<i32>(result + 4, -1);
    store<i32>(result + 8, -1);
    store<i32>(result + 12, 0);
  }
  let count: usize = 0;
  // Decoded names and values go after the sentinel and the sixteen bytes a read of it can reach.
  let decoded = sourceEnd + 17;

  // One pass finds the pieces, sixteen bytes at a time, and decodes the values that need it after
  // the query; a value without escapes stays where it lies. Every loop stops at the sentinel "&"
  // at the latest.
  let index = source + (length > 0 && load<u8>(source) === 0x3f /* ? */ ? 1 : 0);
  while (index <= sourceEnd) {
    const pieceStart = index;
    let code: u32 = 0;
    let isNameEscaped = false;
    // The name: up to "=" or "&", sixteen bytes at a time.
    while (true) {
      const chunk = v128.load(index);
      const ends = i8x16.bitmask(v128.or(i8x16.eq(chunk, EQUALS), i8x16.eq(chunk, AMPERSAND)));
      const escapes = i8x16.bitmask(v128.or(i8x16.eq(chunk, PERCENT), i8x16.eq(chunk, PLUS)));
      if (ends === 0) {
        if (escapes !== 0) isNameEscaped = true;
        index += 16;
        continue;
      }
      const run = <usize>ctz(ends);
      if ((escapes & ((1 << (<i32>run)) - 1)) !== 0) isNameEscaped = true;
      index += run;
      code = load<u8>(index);
      break;
    }
    const equals = index;
    let valueStart = index;
    let valueEnd = index;
    let isValuePlain = true;
    if (code === 0x3d) {
      valueStart = ++index;
      // Each sixteen bytes are copied out whole, then the copy is cut at the first escape or "&".
      const valueOut = decoded;
      let to = valueOut;
      while (true) {
        const chunk = v128.load(index);
        const mask = i8x16.bitmask(
          v128.or(v128.or(i8x16.eq(chunk, AMPERSAND), i8x16.eq(chunk, PERCENT)), i8x16.eq(chunk, PLUS)),
        );
        v128.store(to, chunk);
        if (mask === 0) {
          index += 16;
          to += 16;
          continue;
        }
        const run = <usize>ctz(mask);
        index += run;
        to += run;
        code = load<u8>(index);
        if (code === 0x26) break;
        isValuePlain = false;
        if (code === 0x2b) {
          store<u8>(to++, 0x20);
          index++;
        } else {
          // "&" is no hex digit, so a "%" near a piece's end never decodes across it.
          const high = hexValue(load<u8>(index + 1));
          const low = high < 16 ? hexValue(load<u8>(index + 2)) : 16;
          if (low < 16) {
            store<u8>(to++, <u8>((high << 4) | low));
            index += 3;
          } else {
            store<u8>(to++, 0x25);
            index++;
          }
        }
      }
      if (isValuePlain) {
        valueEnd = index;
      } else {
        valueStart = valueOut;
        valueEnd = decoded = to;
      }
    }
    if (index > pieceStart) {
      let nameStart = pieceStart;
      let nameEnd = equals;
      // A plain name is its own bytes in the query: ASCII, and without "=", which ended it.
      if (isNameEscaped) {
        nameStart = decoded;
        nameEnd = decoded = writeDecoded(pieceStart, equals, decoded);
        for (let at = nameStart; at < nameEnd; at++) {
          const byte = load<u8>(at);
          if (byte >= 0x80 || byte === 0x3d) return -1;
        }
      }
      const slot = slotOf(nameStart, nameEnd);
      if (slot >= 0) {
        const result = RESULTS + <usize>slot * 16;
        const seen = load<i32>(result);
        store<i32>(result, seen + 1);
        if (seen === 0) {
          store<i32>(result + 4, <i32>valueStart);
          store<i32>(result + 8, <i32>valueEnd);
          store<i32>(result + 12, isValuePlain ? 1 : 0);
        }
      }
      // Every piece but the signature's is signed (with no signature among the names, every one).
      if (slot < 0 || slot !== signatureSlot) {
        let prefix: u32 = 0;
        for (let at = nameStart; at < nameStart + 4; at++) {
          prefix = (prefix << 8) | (at < nameEnd ? <u32>load<u8>(at) : at === nameEnd ? 0x3d : 0);
        }
        const piece = pieces + count * PIECE_SIZE;
        store<i32>(piece, <i32>nameStart);
        store<i32>(piece + 4, <i32>nameEnd);
        store<i32>(piece + 8, <i32>valueStart);
        store<i32>(piece + 12, <i32>valueEnd);
        store<u32>(piece + 16, prefix);
        count++;
      }
    }
    index++;
  }

  // An insertion sort: the names are a few dozen, often nearly sorted. Strictly after: equal
  // names keep the order received. Comparing `name=` decides every comparison of the
  // `name=value` strings the canonical string sorts, as no name holds "=".
  for (let piece: usize = 0; piece < count; piece++) {
    let at = piece;
    while (at > 0 && isAfter(<usize>load<i32>(order + (at - 1) * 4), piece)) {
      store<i32>(order + at * 4, load<i32>(order + (at - 1) * 4));
      at--;
    }
    store<i32>(order + at * 4, <i32>piece);
  }

  let at = bytes;
  let previous: isize = -1;
  for (let index: usize = 0; index < count; index++) {
    const piece = <usize>load<i32>(order + index * 4);
    const entry = pieces + piece * PIECE_SIZE;
    const valueStart = <usize>load<i32>(entry + 8);
    const valueEnd = <usize>load<i32>(entry + 12);
    // Once sorted, equal names are neighbours.
    if (previous >= 0 && isSameName(piece, <usize>previous)) {
      store<u8>(at++, 0x2c /* , */);
    } else {
      previous = <isize>piece;
      const nameStart = <usize>load<i32>(entry);
      const nameEnd = <usize>load<i32>(entry + 4);
      // A name in the query that its own "=" ends is followed by its value: one copy for both.
      if (nameEnd + 1 === valueStart) {
        copy(at, nameStart, valueEnd - nameStart);
        at += valueEnd - nameStart;
        continue;
      }
      copy(at, nameStart, nameEnd - nameStart);
      at += nameEnd - nameStart;
      store<u8>(at++, 0x3d /* = */);
    }
    copy(at, valueStart, valueEnd - valueStart);
    at += valueEnd - valueStart;
  }
  return <i32>(at - bytes);
}
