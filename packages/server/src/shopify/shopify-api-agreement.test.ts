// Differential test against @shopify/shopify-api 13.1.0's `validateHmac(query, { signator: "appProxy" })`.
// Requests are signed the way Shopify's documented reference does (test/sign.ts). The library sorts
// by key with `localeCompare` where the reference sorts whole `key=value` strings by code unit, so
// on some keys the library refuses a genuine signature; everywhere the two orders agree, so must
// the two verifiers.
import "@shopify/shopify-api/adapters/web-api";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { verifyAppProxyRequest } from "@sprocket/server/shopify";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Pairs, referenceCanonicalString, seconds, signedQuery } from "./test/sign.js";

const SECRET = "app-secret";
const shopify = shopifyApi({
  apiKey: "api-key",
  apiSecretKey: SECRET,
  hostName: "app.example",
  apiVersion: ApiVersion.January26,
  isEmbeddedApp: false,
  logger: { level: LogSeverity.Error },
});

/** The query object the library takes: a repeated key's values as an array, in order. */
function toLibraryQuery(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = Object.create(null);
  for (const [key, value] of params) {
    const existing = query[key];
    query[key] =
      existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return query;
}

/** The string the library signs, described from its behaviour: entries sorted by key with localeCompare. */
function libraryOrderString(pairs: Pairs): string {
  const query = toLibraryQuery(new URLSearchParams(pairs.map(([key, value]) => [key, value])));
  return Object.entries(query)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join(",") : value}`)
    .join("");
}

async function bothVerify(pairs: Pairs) {
  const params = new URLSearchParams(signedQuery(pairs, SECRET));
  const ours = verifyAppProxyRequest(params, { secrets: SECRET }).ok;
  const library = await shopify.utils.validateHmac(toLibraryQuery(params) as never, { signator: "appProxy" });
  return { ours, library };
}

const fresh = (): Pairs => [
  ["shop", "shop-name.myshopify.com"],
  ["timestamp", seconds(Date.now())],
];
const tricky = fc.constantFrom(
  "%",
  "+",
  "=",
  ",",
  "&",
  "-",
  "_",
  ".",
  "A",
  "Z",
  "a",
  "z",
  "0",
  "é",
  "日",
  "😀",
);
const RESERVED = new Set(["signature", "hmac", "shop", "timestamp", "logged_in_customer_id", "path_prefix"]);
const key = fc.string({ unit: tricky, minLength: 1, maxLength: 8 }).filter((name) => !RESERVED.has(name));
const value = fc.string({ unit: tricky, maxLength: 8 });
const extras = fc.array(fc.tuple(key, value), { maxLength: 6 });
const plainKey = fc.string({
  unit: fc.constantFrom("a", "b", "c", "x", "y", "z", "_"),
  minLength: 1,
  maxLength: 6,
});
const plainExtras = fc.array(
  fc.tuple(
    plainKey.filter((name) => !RESERVED.has(name)),
    value,
  ),
  { maxLength: 6 },
);

describe("agreement with @shopify/shopify-api's validateHmac (appProxy)", () => {
  it("agrees on Shopify's documented example", async () => {
    const documented = fresh();
    const pairs: Pairs = [["extra", "1"], ["extra", "2"], ...documented, ["logged_in_customer_id", "1"]];
    expect(await bothVerify(pairs)).toEqual({ ours: true, library: true });
  });

  it("agrees on every random query whose two orders give the same string, and diverges only where they differ", async () => {
    let agreeing = 0;
    await fc.assert(
      fc.asyncProperty(extras, async (extra) => {
        const pairs = [...fresh(), ...extra];
        const { ours, library } = await bothVerify(pairs);
        // Ours follows Shopify's reference, so a genuinely signed request always verifies.
        expect(ours).toBe(true);
        const isSameOrder = libraryOrderString(pairs) === referenceCanonicalString(pairs);
        expect(library).toBe(isSameOrder);
        if (isSameOrder) agreeing++;
      }),
      { numRuns: 300 },
    );
    // Both kinds of input were generated: the test compared something.
    expect(agreeing).toBeGreaterThan(30);
  });

  it("agrees on queries of lower-case keys, where both orders coincide", async () => {
    await fc.assert(
      fc.asyncProperty(plainExtras, async (extra) => {
        const pairs = [...fresh(), ...extra];
        fc.pre(libraryOrderString(pairs) === referenceCanonicalString(pairs));
        expect(await bothVerify(pairs)).toEqual({ ours: true, library: true });
      }),
      { numRuns: 200 },
    );
  });

  it("agrees that a tampered query fails", async () => {
    const params = new URLSearchParams(signedQuery([...fresh(), ["extra", "1"]], SECRET));
    params.set("extra", "2");
    expect(verifyAppProxyRequest(params, { secrets: SECRET }).ok).toBe(false);
    expect(await shopify.utils.validateHmac(toLibraryQuery(params) as never, { signator: "appProxy" })).toBe(
      false,
    );
  });

  describe("where they differ, ours follows Shopify's documented reference", () => {
    it("a key that sorts differently by locale than by code unit: the library refuses a genuine signature", async () => {
      // Reference: "a-b=2" < "a=1" ("-" is 0x2D, "=" is 0x3D). The library sorts by key, "a" < "a-b".
      const pairs: Pairs = [...fresh(), ["a", "1"], ["a-b", "2"]];
      expect(referenceCanonicalString(pairs)).not.toBe(libraryOrderString(pairs));
      expect(await bothVerify(pairs)).toEqual({ ours: true, library: false });
    });

    it("numbered keys, as a theme writes them: `option.1` and `option.10`", async () => {
      // Reference: "option.10=b" < "option.1=a" ("0" is 0x30, "=" is 0x3D); by key, "option.1" comes first.
      const pairs: Pairs = [...fresh(), ["option.1", "a"], ["option.10", "b"]];
      expect(await bothVerify(pairs)).toEqual({ ours: true, library: false });
    });

    it("an `hmac` parameter: Shopify's reference signs it, the library drops it", async () => {
      const pairs: Pairs = [...fresh(), ["hmac", "anything"]];
      expect(await bothVerify(pairs)).toEqual({ ours: true, library: false });
    });
  });
});
