import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hmacSha256Text, ONE_SHOT_LIMIT } from "./hmac-sha256.js";

const encoder = new TextEncoder();

// RFC 4231, test cases 2 (a short string key) and 6 (a key longer than the block size).
const CASE_2 = {
  key: "Jefe",
  data: "what do ya want for nothing?",
  tag: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
};
const CASE_6 = {
  key: new Uint8Array(131).fill(0xaa),
  data: "Test Using Larger Than Block-Size Key - Hash Key First",
  tag: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
};

describe("hmacSha256Text", () => {
  it("matches the RFC 4231 vectors, for string and byte keys, in hex and base64", () => {
    expect(hmacSha256Text(CASE_2.key, "hex", encoder.encode(CASE_2.data))).toBe(CASE_2.tag);
    expect(hmacSha256Text(CASE_6.key, "hex", encoder.encode(CASE_6.data))).toBe(CASE_6.tag);
    expect(hmacSha256Text(CASE_2.key, "base64", encoder.encode(CASE_2.data))).toBe(
      Buffer.from(CASE_2.tag, "hex").toString("base64"),
    );
  });

  it("signs the parts as one message, and only a view's own bytes", () => {
    const whole = encoder.encode(`xx${CASE_2.data}yy`);
    const view = whole.subarray(2, 2 + CASE_2.data.length);
    expect(hmacSha256Text(CASE_2.key, "hex", view)).toBe(CASE_2.tag);
    const [head, tail] = [encoder.encode(CASE_2.data.slice(0, 9)), encoder.encode(CASE_2.data.slice(9))];
    expect(hmacSha256Text(CASE_2.key, "hex", head, tail)).toBe(CASE_2.tag);
    expect(hmacSha256Text(CASE_2.key, "hex")).toBe(hmacSha256Text(CASE_2.key, "hex", new Uint8Array()));
  });

  it("agrees with createHmac for keys and messages of every length around the block size", () => {
    const key = fc.oneof(
      fc.uint8Array({ minLength: 0, maxLength: 140 }),
      fc.string({ unit: "grapheme", minLength: 1, maxLength: 80 }),
    );
    const message = fc.array(
      fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.string({ unit: "grapheme", maxLength: 40 })),
      { maxLength: 4 },
    );
    fc.assert(
      fc.property(
        key,
        message,
        fc.constantFrom("hex" as const, "base64" as const),
        (key, parts, encoding) => {
          const expected = createHmac("sha256", key);
          for (const part of parts) expected.update(part);
          expect(hmacSha256Text(key, encoding, ...parts)).toBe(expected.digest(encoding));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it("signs messages on both sides of the one-shot limit, text parts and views the same way", () => {
    const key = "rotating-secret";
    for (const length of [
      0,
      1,
      55,
      56,
      63,
      64,
      65,
      4_096,
      4_097,
      ONE_SHOT_LIMIT,
      ONE_SHOT_LIMIT + 1,
      300_000,
    ]) {
      const body = new Uint8Array(length).map((_, index) => (index * 7 + length) & 0xff);
      const expected = createHmac("sha256", key).update(body).digest("base64");
      expect(hmacSha256Text(key, "base64", body)).toBe(expected);
      expect(hmacSha256Text(key, "base64", body.subarray(0, length >> 1), body.subarray(length >> 1))).toBe(
        expected,
      );
    }
    // A string part is its UTF-8 bytes, as in createHmac.
    expect(hmacSha256Text(key, "hex", "t=1.", encoder.encode("é"))).toBe(
      createHmac("sha256", key).update("t=1.").update("é").digest("hex"),
    );
    // A large message does not leave a later small one hashing stale bytes.
    expect(hmacSha256Text(key, "hex", encoder.encode(CASE_2.data))).toBe(
      createHmac("sha256", key).update(CASE_2.data).digest("hex"),
    );
  });
});
