import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { base64ToBytes, canonicalBase64, canonicalHex } from "./decode-bytes.js";
import { hmacSha256Text } from "./hmac-sha256.js";
import { timingSafeEqualText } from "./timing-safe-equal.js";

describe("decoding signatures", () => {
  it("reads hex of either case and refuses anything else", () => {
    expect(canonicalHex("00ffA0")).toBe("00ffa0");
    for (const bad of ["", "0", "0g", " 00", "00 "]) expect(canonicalHex(bad)).toBeUndefined();
  });

  it("reads canonical padded base64 only", () => {
    expect([...base64ToBytes("AP8=")!]).toEqual([0, 255]);
    expect(canonicalBase64("AP8=")).toBe("AP8=");
    for (const bad of ["", "AP8", "AP8= ", "A P8=", "AP-_", "====", "AP8=AP8="])
      expect([base64ToBytes(bad), canonicalBase64(bad)]).toEqual([undefined, undefined]);
  });
});

describe("hmacSha256Text", () => {
  it("matches RFC 4231 test case 2, in parts, as hex and as base64", () => {
    const parts = [new TextEncoder().encode("what do ya want "), new TextEncoder().encode("for nothing?")];
    const hex = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
    expect(hmacSha256Text("Jefe", "hex", ...parts)).toBe(hex);
    expect(hmacSha256Text("Jefe", "base64", ...parts)).toBe(Buffer.from(hex, "hex").toString("base64"));
  });
});

describe("timingSafeEqualText", () => {
  it("is string equality", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 64 }), fc.string({ maxLength: 64 }), (left, right) => {
        expect(timingSafeEqualText(left, right)).toBe(left === right);
        expect(timingSafeEqualText(left, `${left}`)).toBe(true);
      }),
    );
    expect(timingSafeEqualText("ab", "ac")).toBe(false);
  });
});
