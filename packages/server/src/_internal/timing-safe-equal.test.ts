import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { base64ToBytes, hexToBytes } from "./decode-bytes.js";
import { hmacSha256 } from "./hmac-sha256.js";
import { timingSafeEqual } from "./timing-safe-equal.js";

describe("timingSafeEqual", () => {
  it("is byte equality", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 }), (left, right) => {
        const isEqual = left.length === right.length && left.every((byte, index) => byte === right[index]);
        expect(timingSafeEqual(left, right)).toBe(isEqual);
        expect(timingSafeEqual(left, new Uint8Array(left))).toBe(true);
      }),
    );
  });
});

describe("decoding signatures", () => {
  it("reads hex of either case and refuses anything else", () => {
    expect([...hexToBytes("00ffA0")!]).toEqual([0, 255, 160]);
    for (const bad of ["", "0", "0g", " 00", "00 "]) expect(hexToBytes(bad)).toBeUndefined();
  });

  it("reads canonical padded base64 only", () => {
    expect([...base64ToBytes("AP8=")!]).toEqual([0, 255]);
    for (const bad of ["", "AP8", "AP8= ", "A P8=", "AP-_", "====", "AP8=AP8="])
      expect(base64ToBytes(bad)).toBeUndefined();
  });
});

describe("hmacSha256", () => {
  it("matches RFC 4231 test case 2", async () => {
    const tag = hmacSha256(
      "Jefe",
      new TextEncoder().encode("what do ya want "),
      new TextEncoder().encode("for nothing?"),
    );
    expect(Buffer.from(tag).toString("hex")).toBe(
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
  });
});
