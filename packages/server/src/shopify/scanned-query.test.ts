// The fast reading of a serialized query must sign exactly what the plain reading signs.
import { appProxyCanonicalString, verifyAppProxyRequest } from "@sprocket/server/shopify";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalBytes, scanQuery, valuesOf } from "./scanned-query.js";
import { seconds, signedQuery } from "./test/sign.js";

const plainBytes = (query: string) =>
  Buffer.from(appProxyCanonicalString(new URLSearchParams(query)), "utf8");

// Raw query text: separators, escapes valid and broken, bytes that are not UTF-8, and now and then
// a character a serialized URL would not hold.
const rawUnit = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom(
      "&",
      "=",
      "+",
      "%",
      "%2",
      "%3D",
      "%26",
      "%2C",
      "%C3%A9",
      "%E2%82",
      "%ED%A0%80",
      "%F0%9F%98%80",
      "a",
      "B",
      "1",
      "-",
      ".",
      "signature",
      "?",
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom("é", "日") },
);
const rawQuery = fc.string({ unit: rawUnit, maxLength: 30 });

describe("scanQuery and canonicalBytes", () => {
  it("groups names and decodes values as URLSearchParams does", () => {
    fc.assert(
      fc.property(rawQuery, (query) => {
        const scanned = scanQuery(query);
        const params = new URLSearchParams(query);
        expect([...new Set(scanned.keys.map((key) => key.slice(0, -1)))]).toEqual([
          ...new Set(params.keys()),
        ]);
        for (const name of new Set(scanned.keys.map((key) => key.slice(0, -1))))
          expect(valuesOf(scanned, name)).toEqual(params.getAll(name));
      }),
      { numRuns: 1000 },
    );
  });

  it("gives the UTF-8 of the canonical string, or leaves it to the plain reading", () => {
    let fast = 0;
    fc.assert(
      fc.property(rawQuery, (query) => {
        const bytes = canonicalBytes(scanQuery(query));
        if (bytes === undefined) return;
        fast++;
        expect(Buffer.from(bytes)).toEqual(plainBytes(query));
      }),
      { numRuns: 2000 },
    );
    expect(fast).toBeGreaterThan(500);
  });

  it("leaves names holding '=' to the plain reading, whose order such names change", () => {
    const query = "a=x&a%3Db=y";
    expect(canonicalBytes(scanQuery(query))).toBeUndefined();
    expect(appProxyCanonicalString(new URLSearchParams(query))).toBe("a=b=ya=x");
  });

  it("verifies a URL string exactly as the same parameters given as URLSearchParams", () => {
    const now = Date.UTC(2026, 10, 30);
    const pair = fc.tuple(
      fc.string({ unit: fc.constantFrom("a", "b", "=", "%", "+", ",", "&", "-", "é", "😀"), maxLength: 5 }),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 6 }), fc.boolean(), (extra, tamper) => {
        const pairs = [["shop", "s.myshopify.com"] as const, ["timestamp", seconds(now)] as const, ...extra];
        let query = signedQuery(pairs, "secret");
        if (tamper) query = query.replace("shop=s.", "shop=t.");
        const options = { secrets: "secret", now };
        const fromUrl = verifyAppProxyRequest(`https://app.example/p?${query}`, options);
        expect(fromUrl).toEqual(verifyAppProxyRequest(new URLSearchParams(query), options));
      }),
      { numRuns: 1000 },
    );
  });
});
