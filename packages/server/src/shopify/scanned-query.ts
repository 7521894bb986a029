import { isUtf8 } from "node:buffer";
import { APP_PROXY_SIGNATURE_PARAMETER } from "./app-proxy-canonical-string.js";
import { APP_PROXY_QUERY_WASM } from "./app-proxy-query.wasm.js";

/** A serialized app proxy query, read in one pass over its bytes as far as verification needs. */
export interface ScannedAppProxyQuery {
  /** How often each of the names asked for appears. */
  readonly counts: readonly number[];
  /** The first value of each name asked for, decoded as URLSearchParams decodes it. */
  readonly firsts: readonly (string | undefined)[];
  /**
   * The UTF-8 bytes of the canonical string ({@link appProxyCanonicalString}): a view of memory
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
 * ASCII once decoded, decoded bytes that are not UTF-8 (which URLSearchParams would replace with
 * U+FFFD), a query over 64 KiB, more than 16 names asked for or one of 32 bytes or more, or no
 * WebAssembly where this runs. `names` is read once per array: pass a constant list, not one changed in place.
 *
 * Why by hand, and in WebAssembly (`assembly/app-proxy-query.ts`): URLSearchParams decodes in
 * JavaScript byte by byte in Node 20, and building the canonical string from its pairs (a string
 * per name and value, `key=value` strings sorted, joined) cost seven times the HMAC of a 1 KB
 * query. The same work over a `Uint8Array` in JavaScript still cost twice the HMAC; compiled to
 * WebAssembly it costs about as much as the HMAC (`bench/README.md`).
 */
export function scanAppProxyQuery(query: string, names: readonly string[]): ScannedAppProxyQuery | undefined {
  try {
    return scan(query, names);
  } catch {
    // Fails safe: anything unforeseen here (a trap in the module, say) leaves the query to the
    // plain reading rather than refusing the request.
    return undefined;
  }
}

function scan(query: string, names: readonly string[]): ScannedAppProxyQuery | undefined {
  const length = query.length;
  if (length > SCANNED_QUERY_LIMIT) return undefined;
  const scanner = scannerOf(names);
  if (scanner === undefined) return undefined;
  // Written as UTF-16, as the string holds it (a native copy); the module narrows it to bytes and
  // refuses any character outside ASCII, whose UTF-8 is not one byte. Checked for every input, a
  // serialized URL's query included: a subclass of Request or URL can return any text.
  const wide = scanner.exports.prepare(length);
  if (wide === 0) return undefined;
  const memory = memoryOf(scanner);
  memory.write(query, wide, 2 * length, "utf16le");
  const signedLength = scanner.exports.scan(length);
  if (signedLength < 0) return undefined;
  const source = scanner.exports.query();
  const start = scanner.exports.canonical();
  const signed = memory.subarray(start, start + signedLength);
  if (!isUtf8(signed)) return undefined;

  // The values asked for: a slice of the query when there was nothing to decode, else their
  // decoded bytes read as UTF-8 with U+FFFD for what is not, as URLSearchParams reads them.
  const results = scanner.results;
  const counts: number[] = [];
  const firsts: (string | undefined)[] = [];
  for (let slot = 0; slot < names.length; slot++) {
    counts.push(results[slot * 4]!);
    const start = results[slot * 4 + 1]!;
    const end = results[slot * 4 + 2]!;
    if (start < 0) firsts.push(undefined);
    else if (results[slot * 4 + 3] === 1) firsts.push(query.slice(start - source, end - source));
    else firsts.push(memory.toString("utf8", start, end));
  }
  return { counts, firsts, signed };
}

/** The compiled module's exports (`assembly/app-proxy-query.ts`). */
interface ScannerExports {
  memory: WebAssembly.Memory;
  setNames(count: number, signatureSlot: number): void;
  names(): number;
  results(): number;
  prepare(length: number): number;
  canonical(): number;
  query(): number;
  scan(length: number): number;
}

interface Scanner {
  exports: ScannerExports;
  /** The memory as a Buffer, and per name looked for its count, first value's range and plainness; remade when memory grows. */
  buffer: ArrayBuffer;
  memory: Buffer;
  results: Int32Array;
  /** The names last written into the module. */
  names: readonly string[] | undefined;
}

/**
 * The longest query scanned; longer ones are read the plain way. The module's memory grows to
 * about 18 bytes per character of query and never shrinks, so this bounds it near 1.2 MB. Node refuses
 * request lines past 16 KB by default; only a URL built in the app could be longer.
 */
const SCANNED_QUERY_LIMIT = 65_536;

/** The module's own limits: 16 names, each of at most 31 bytes. */
const NAME_SLOTS = 16;
const NAME_SIZE = 32;

/**
 * One instance for the process, compiled on first use (under 3 KB; compiling takes well under a
 * millisecond). Safe to share because nothing here is asynchronous. `null` once it failed: a
 * runtime without WebAssembly, or one that refuses to compile it, reads queries the plain way.
 */
let scanner: Scanner | null | undefined;

function scannerOf(names: readonly string[]): Scanner | undefined {
  if (scanner === undefined) {
    try {
      const module = new WebAssembly.Module(Buffer.from(APP_PROXY_QUERY_WASM, "base64"));
      const exports = new WebAssembly.Instance(module, {}).exports as unknown as ScannerExports;
      scanner = {
        exports,
        buffer: new ArrayBuffer(0),
        memory: Buffer.alloc(0),
        results: new Int32Array(0),
        names: undefined,
      };
    } catch {
      scanner = null;
    }
  }
  if (scanner === null) return undefined;
  if (scanner.names !== names && !writeNames(scanner, names)) return undefined;
  return scanner;
}

/** Writes the names looked for into the module; `false` when they do not fit, and then none is written. */
function writeNames(current: Scanner, names: readonly string[]): boolean {
  if (names.length > NAME_SLOTS) return false;
  for (const name of names) if (Buffer.byteLength(name, "utf8") >= NAME_SIZE) return false;
  // Until the module holds all of them, it holds no list.
  current.names = undefined;
  const memory = memoryOf(current);
  const at = current.exports.names();
  for (const [slot, name] of names.entries()) {
    memory[at + slot * NAME_SIZE] = Buffer.byteLength(name, "utf8");
    memory.write(name, at + slot * NAME_SIZE + 1, "utf8");
  }
  current.exports.setNames(names.length, names.indexOf(APP_PROXY_SIGNATURE_PARAMETER));
  current.names = names;
  return true;
}

/** The module's memory as a Buffer, remade after memory grew (growing detaches the old one). */
function memoryOf(current: Scanner): Buffer {
  const buffer = current.exports.memory.buffer;
  if (buffer !== current.buffer) {
    current.buffer = buffer;
    current.memory = Buffer.from(buffer);
    current.results = new Int32Array(buffer, current.exports.results(), NAME_SLOTS * 4);
  }
  return current.memory;
}
