import { describe, expect, it } from "vitest";
import { hmacSha256, webCryptoHmacSha256 } from "./hmac-sha256.js";

const encoder = new TextEncoder();
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

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

describe.each([
  ["hmacSha256 (node:crypto on Node)", hmacSha256],
  ["webCryptoHmacSha256 (the path without node:crypto)", webCryptoHmacSha256],
])("%s", (_, sign) => {
  it("matches the RFC 4231 vectors, for string and byte keys", async () => {
    expect(hex(await sign(CASE_2.key, encoder.encode(CASE_2.data)))).toBe(CASE_2.tag);
    expect(hex(await sign(CASE_6.key, encoder.encode(CASE_6.data)))).toBe(CASE_6.tag);
  });

  it("signs the parts as one message, and only a view's own bytes", async () => {
    const whole = encoder.encode(`xx${CASE_2.data}yy`);
    const view = whole.subarray(2, 2 + CASE_2.data.length);
    expect(hex(await sign(CASE_2.key, view))).toBe(CASE_2.tag);
    const [head, tail] = [encoder.encode(CASE_2.data.slice(0, 9)), encoder.encode(CASE_2.data.slice(9))];
    expect(hex(await sign(CASE_2.key, head, tail))).toBe(CASE_2.tag);
    expect(hex(await sign(CASE_2.key))).toBe(hex(await sign(CASE_2.key, new Uint8Array())));
  });

  it("keeps each key's tags right while many keys come and go", async () => {
    const data = encoder.encode(CASE_2.data);
    const keys = Array.from({ length: 80 }, (_, index) => `key-${index}`);
    const first = await Promise.all(keys.map((key) => sign(key, data)));
    const again = await Promise.all([...keys].reverse().map((key) => sign(key, data)));
    expect(again.reverse().map(hex)).toEqual(first.map(hex));
    expect(new Set(first.map(hex)).size).toBe(keys.length);
    expect(hex(await sign(CASE_2.key, data))).toBe(CASE_2.tag);
  });
});
