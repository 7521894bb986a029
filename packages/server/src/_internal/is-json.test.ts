import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { utf8Text } from "./decode-bytes.js";
import { isJsonBytes } from "./is-json.js";

const encoder = new TextEncoder();

/** What the route did before: decode, then `JSON.parse`. */
function parses(bytes: Uint8Array): boolean {
  const text = utf8Text(bytes);
  if (text === undefined) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const bytesOf = (text: string) => encoder.encode(text);

describe("isJsonBytes", () => {
  it("accepts what JSON.stringify writes, at any indentation, and with a byte order mark", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 0, 2, "\t", " \r\n"), (value, indent) => {
        const text = JSON.stringify(value, null, indent as string | number | undefined);
        expect(isJsonBytes(bytesOf(text))).toBe(true);
        expect(isJsonBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...bytesOf(text)]))).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it("agrees with JSON.parse on JSON with bytes changed, cut, inserted or removed", () => {
    // Mutations of valid JSON land near every rule of the grammar: a byte swapped for one that
    // matters to JSON (quotes, escapes, digits, signs, brackets, whitespace, letters of the
    // literals, a control character, a multi-byte character), text cut short or extended.
    const interesting = fc.constantFrom(
      ...'"\\/{}[],:.-+eE0123456789 \t\n\rtruefalsnuxbf\u0000\u001f\u007f\u00e9\u2028'.split(""),
    );
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant("replace" as const), at: fc.nat(), with: interesting }),
      fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), with: interesting }),
      fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), with: fc.constant("") }),
      fc.record({ kind: fc.constant("cut" as const), at: fc.nat(), with: fc.constant("") }),
    );
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.array(mutation, { maxLength: 3 }), (value, mutations) => {
        let text = JSON.stringify(value, null, 1) ?? "null";
        for (const { kind, at, with: character } of mutations) {
          const position = text.length === 0 ? 0 : at % (text.length + 1);
          if (kind === "replace") text = text.slice(0, position) + character + text.slice(position + 1);
          if (kind === "insert") text = text.slice(0, position) + character + text.slice(position);
          if (kind === "delete") text = text.slice(0, position) + text.slice(position + 1);
          if (kind === "cut") text = text.slice(0, position);
        }
        const bytes = bytesOf(text);
        expect(isJsonBytes(bytes)).toBe(parses(bytes));
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ["", false],
    ["  ", false],
    ["null", true],
    [" 0 ", true],
    ["-0.5e+10", true],
    ["01", false],
    ["1.", false],
    [".5", false],
    ["1e", false],
    ["-", false],
    ["+1", false],
    ["tru", false],
    ["truex", false],
    ['"\\u00e9\\ud800"', true],
    ['"\\u00g9"', false],
    ['"\\x41"', false],
    ['"tab\there"', false],
    ['"ends', false],
    ["[1,]", false],
    ["[,1]", false],
    ['{"a":1,}', false],
    ['{"a" 1}', false],
    ["{1:2}", false],
    ['{"a":[{"b":{}}],"c":[]}', true],
    ["[] []", false],
    ["\u00a0[]", false],
  ])("%j → %s", (text, expected) => {
    expect(isJsonBytes(bytesOf(text))).toBe(expected);
    expect(parses(bytesOf(text))).toBe(expected);
  });

  it("accepts any depth, as JSON.parse does, without recursing", () => {
    const depth = 100_000;
    const deep = `${"[".repeat(depth)}${"]".repeat(depth)}`;
    expect(isJsonBytes(bytesOf(deep))).toBe(true);
    expect(isJsonBytes(bytesOf(`${"[".repeat(depth)}${"]".repeat(depth - 1)}`))).toBe(false);
  });
});
