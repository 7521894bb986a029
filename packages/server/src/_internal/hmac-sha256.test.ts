import { describe, expect, it } from "vitest";
import { hmacSha256Text } from "./hmac-sha256.js";

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
});
