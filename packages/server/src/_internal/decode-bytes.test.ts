import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { utf8Text } from "./decode-bytes.js";

const strict = new TextDecoder("utf-8", { fatal: true });
function decodedByTextDecoder(bytes: Uint8Array): string | undefined {
  try {
    return strict.decode(bytes);
  } catch {
    return undefined;
  }
}

describe("utf8Text", () => {
  it("decodes as a fatal TextDecoder does: the same text, or a refusal where it throws", () => {
    // Bytes that are often UTF-8 and often not: text, lone continuation and lead bytes, a BOM,
    // encoded surrogates, overlong forms and truncated sequences.
    const unit = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 3 }).map((text) => [...new TextEncoder().encode(text)]),
      fc.constantFrom(
        [0xef, 0xbb, 0xbf],
        [0x80],
        [0xc3],
        [0xed, 0xa0, 0x80],
        [0xc0, 0xaf],
        [0xf4, 0x90, 0x80, 0x80],
        [0xe2, 0x82],
      ),
    );
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 8 }), (units) => {
        const bytes = new Uint8Array(units.flat());
        expect(utf8Text(bytes)).toBe(decodedByTextDecoder(bytes));
      }),
      { numRuns: 3_000 },
    );
  });

  it("reads only a view's own bytes, and drops one leading byte order mark only", () => {
    const whole = new TextEncoder().encode('xx\uFEFF\uFEFF{"a":1}yy');
    expect(utf8Text(whole.subarray(2, whole.length - 2))).toBe('\uFEFF{"a":1}');
    expect(utf8Text(new Uint8Array([0xff]))).toBeUndefined();
  });
});
