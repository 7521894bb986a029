import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { missingHeaders, readHeaders } from "./define-verifier.js";

const NAMES = [
  "X-Shopify-Hmac-Sha256",
  "X-Shopify-Topic",
  "x-shopify-shop-domain",
  "X-A",
  "X-B",
  "X-C",
] as const;

describe("readHeaders", () => {
  it("gives what Headers.get gives for each name, trimmed, with empty as absent", () => {
    const name = fc.constantFrom(...NAMES, "X-Other", "x-shopify-topic", "X-B");
    const value = fc.constantFrom("", " ", "v", " padded ", "a, b", "orders/create");
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { maxLength: 12 }), (entries) => {
        const headers = new Headers();
        for (const [key, text] of entries) headers.append(key, text);
        const expected = NAMES.map((key) => headers.get(key)?.trim() || undefined);
        expect(readHeaders(headers, NAMES)).toEqual(expected);
        expect(readHeaders(headers, NAMES.slice(0, 2))).toEqual(expected.slice(0, 2));
      }),
      { numRuns: 500 },
    );
  });

  it("lists every missing required header, and only required ones", () => {
    const headers = new Headers({ "X-Shopify-Topic": "orders/create", "X-B": "" });
    const values = readHeaders(headers, NAMES);
    expect(missingHeaders(NAMES, values, 3)).toEqual({
      ok: false,
      reason: "missing-headers",
      missing: ["X-Shopify-Hmac-Sha256", "x-shopify-shop-domain"],
      detail: "Missing headers: X-Shopify-Hmac-Sha256, x-shopify-shop-domain",
    });
    expect(missingHeaders(NAMES, values, 0)).toBeUndefined();
  });
});
