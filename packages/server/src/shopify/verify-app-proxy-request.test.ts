import {
  APP_PROXY_SINGLE_VALUED_PARAMETERS,
  APP_PROXY_TOLERANCE_SECONDS,
  type AppProxyFailureReason,
  verifyAppProxyRequest,
} from "@sprocket/server/shopify";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Pairs, referenceSignature, seconds, signedQuery } from "./test/sign.js";

// Shopify's worked example (shopify.dev, "Authenticate app proxies"): the secret `hush` and this
// query sign to the signature below. The clock is pinned to the example's timestamp.
const DOCUMENTED_QUERY =
  "extra=1&extra=2&shop=shop-name.myshopify.com&logged_in_customer_id=1" +
  "&path_prefix=%2Fapps%2Fawesome_reviews&timestamp=1317327555";
const DOCUMENTED_SIGNATURE = "4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb";
const DOCUMENTED_NOW = 1317327555 * 1000;

const SECRET = "app-secret";
const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);
const SHOP = "shop-name.myshopify.com";

function validPairs(overrides: Record<string, string> = {}): [string, string][] {
  const base: Record<string, string> = {
    shop: SHOP,
    logged_in_customer_id: "42",
    path_prefix: "/apps/reviews",
    timestamp: seconds(NOW),
    ...overrides,
  };
  return Object.entries(base);
}

const url = (query: string) => `https://app.example/proxy?${query}`;
const verify = (input: Parameters<typeof verifyAppProxyRequest>[0], secrets: string | string[] = SECRET) =>
  verifyAppProxyRequest(input, { secrets, now: NOW });
const reasonOf = (result: ReturnType<typeof verifyAppProxyRequest>) => (result.ok ? "ok" : result.reason);

describe("verifyAppProxyRequest", () => {
  it("accepts Shopify's documented example", () => {
    const result = verifyAppProxyRequest(url(`${DOCUMENTED_QUERY}&signature=${DOCUMENTED_SIGNATURE}`), {
      secrets: "hush",
      now: DOCUMENTED_NOW,
    });
    expect(result).toEqual({
      ok: true,
      shop: "shop-name.myshopify.com",
      customerId: "1",
      pathPrefix: "/apps/awesome_reviews",
      timestamp: 1317327555,
    });
  });

  it("takes a URL string, a URL, URLSearchParams, a Request and a relative URL alike", () => {
    const query = signedQuery(validPairs(), SECRET);
    for (const input of [
      url(query),
      new URL(url(query)),
      new URLSearchParams(query),
      new Request(url(query)),
      `/apps/reviews?${query}`,
      `?${query}`,
    ]) {
      expect(verify(input)).toMatchObject({
        ok: true,
        shop: SHOP,
        customerId: "42",
        pathPrefix: "/apps/reviews",
      });
    }
  });

  it("gives a null customer when Shopify sends logged_in_customer_id empty, and null path_prefix when absent", () => {
    const pairs = validPairs({ logged_in_customer_id: "" }).filter(([key]) => key !== "path_prefix");
    expect(verify(url(signedQuery(pairs, SECRET)))).toMatchObject({
      ok: true,
      customerId: null,
      pathPrefix: null,
    });
  });

  it("holds the tolerance at Shopify's 90 seconds", () => {
    expect(APP_PROXY_TOLERANCE_SECONDS).toBe(90);
  });

  it("accepts a timestamp exactly 90 seconds away, either way", () => {
    for (const offset of [-90, 90]) {
      const pairs = validPairs({ timestamp: String(NOW / 1000 + offset) });
      expect(reasonOf(verify(url(signedQuery(pairs, SECRET))))).toBe("ok");
    }
  });

  describe("rotation", () => {
    const oldQuery = url(signedQuery(validPairs(), "old-secret"));
    it("accepts a request signed with an older secret listed after the newest", () => {
      expect(reasonOf(verify(oldQuery, ["new-secret", "old-secret"]))).toBe("ok");
      expect(reasonOf(verify(oldQuery, "new-secret, old-secret"))).toBe("ok");
    });
    it("accepts the newest secret", () => {
      expect(reasonOf(verify(url(signedQuery(validPairs(), "new-secret")), "new-secret,old-secret"))).toBe(
        "ok",
      );
    });
    it("refuses a secret that is not listed", () => {
      expect(reasonOf(verify(oldQuery, ["new-secret", "other-secret"]))).toBe("signature_mismatch");
    });
  });

  describe("refusals, one rule each", () => {
    const signedWith = (pairs: Pairs) => url(signedQuery(pairs, SECRET));
    const cases: [string, () => string, AppProxyFailureReason][] = [
      ["no signature", () => url(new URLSearchParams(validPairs()).toString()), "missing_signature"],
      [
        "an empty signature",
        () => url(`${new URLSearchParams(validPairs())}&signature=`),
        "missing_signature",
      ],
      [
        "a signature that is not 64 hex digits",
        () => url(`${new URLSearchParams(validPairs())}&signature=abc123`),
        "malformed_signature",
      ],
      [
        "an upper-case hex signature",
        () => {
          const pairs = validPairs();
          return url(
            `${new URLSearchParams(pairs)}&signature=${referenceSignature(pairs, SECRET).toUpperCase()}`,
          );
        },
        "malformed_signature",
      ],
      [
        "a repeated signature",
        () => {
          const query = signedQuery(validPairs(), SECRET);
          return url(`${query}&signature=${"0".repeat(64)}`);
        },
        "repeated_signature",
      ],
      [
        "a repeated timestamp",
        () => signedWith([...validPairs(), ["timestamp", seconds(NOW)]]),
        "repeated_timestamp",
      ],
      [
        "a repeated shop",
        () => signedWith([...validPairs(), ["shop", "other.myshopify.com"]]),
        "repeated_shop",
      ],
      ["a repeated hmac", () => signedWith([...validPairs(), ["hmac", "a"], ["hmac", "b"]]), "repeated_hmac"],
      [
        "a repeated logged_in_customer_id",
        () => signedWith([...validPairs(), ["logged_in_customer_id", "7"]]),
        "repeated_logged_in_customer_id",
      ],
      [
        "a repeated path_prefix",
        () => signedWith([...validPairs(), ["path_prefix", "/apps/other"]]),
        "repeated_path_prefix",
      ],
      [
        "no timestamp",
        () => signedWith(validPairs().filter(([key]) => key !== "timestamp")),
        "missing_timestamp",
      ],
      ["an empty timestamp", () => signedWith(validPairs({ timestamp: "" })), "missing_timestamp"],
      ["a non-numeric timestamp", () => signedWith(validPairs({ timestamp: "12e3" })), "malformed_timestamp"],
      ["a negative timestamp", () => signedWith(validPairs({ timestamp: "-5" })), "malformed_timestamp"],
      [
        "a fractional timestamp",
        () => signedWith(validPairs({ timestamp: `${seconds(NOW)}.5` })),
        "malformed_timestamp",
      ],
      [
        "a timestamp 91 s old",
        () => signedWith(validPairs({ timestamp: String(NOW / 1000 - 91) })),
        "stale_timestamp",
      ],
      [
        "a timestamp 91 s ahead",
        () => signedWith(validPairs({ timestamp: String(NOW / 1000 + 91) })),
        "stale_timestamp",
      ],
      ["no shop", () => signedWith(validPairs().filter(([key]) => key !== "shop")), "missing_shop"],
      ["an empty shop", () => signedWith(validPairs({ shop: "" })), "missing_shop"],
      [
        "a shop outside myshopify.com",
        () => signedWith(validPairs({ shop: "shop.evil.com" })),
        "invalid_shop",
      ],
      [
        "a tampered customer id",
        () => signedWith(validPairs()).replace("logged_in_customer_id=42", "logged_in_customer_id=43"),
        "signature_mismatch",
      ],
      ["a parameter added after signing", () => `${signedWith(validPairs())}&extra=1`, "signature_mismatch"],
    ];
    it.each(cases)("refuses %s", (_label, build, reason) => {
      expect(reasonOf(verify(build()))).toBe(reason);
    });

    it("has a case for every single-valued parameter", () => {
      const covered = cases.map(([, , reason]) => reason).filter((reason) => reason.startsWith("repeated_"));
      expect(covered.sort()).toEqual(
        APP_PROXY_SINGLE_VALUED_PARAMETERS.map((name) => `repeated_${name}`).sort(),
      );
    });

    it("refuses a URL it cannot parse", () => {
      expect(reasonOf(verify("http://[::1"))).toBe("malformed_url");
      expect(reasonOf(verify({ href: "not a request" } as unknown as Request))).toBe("malformed_url");
    });

    it.each([
      ["no secret", { secrets: [] }],
      ["only blank secrets", { secrets: " , ," }],
      ["a negative tolerance", { secrets: SECRET, tolerance: -1 }],
      ["a tolerance that is not a number", { secrets: SECRET, tolerance: Number.NaN }],
      ["a clock that is not a number", { secrets: SECRET, now: Number.NaN }],
    ])("refuses to verify with %s", (_label, options) => {
      const query = url(signedQuery(validPairs(), SECRET));
      expect(reasonOf(verifyAppProxyRequest(query, { now: NOW, ...options }))).toBe("invalid_options");
    });
  });

  it("never throws, whatever it is given", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.webUrl({ withQueryParameters: true }), fc.anything()),
        fc.anything(),
        (input, secrets) => {
          const result = verifyAppProxyRequest(input as string, { secrets: secrets as string, now: NOW });
          expect(typeof result.ok).toBe("boolean");
        },
      ),
    );
    expect(reasonOf(verifyAppProxyRequest(url("a=1"), undefined as never))).toBe("invalid_options");
  });
});

describe("verifyAppProxyRequest and text outside ASCII", () => {
  it("refuses a Request subclass whose url puts a character past U+00FF where a signed one stood", () => {
    // U+0132's low byte is "2": read byte by byte, "1\u01323" would sign as "123".
    const query = signedQuery(validPairs({ logged_in_customer_id: "123" }), SECRET);
    const forged = url(query).replace("logged_in_customer_id=123", "logged_in_customer_id=1\u01323");
    class ForgedRequest extends Request {
      override get url() {
        return forged;
      }
    }
    expect(verify(new ForgedRequest(url(query)))).toEqual({ ok: false, reason: "signature_mismatch" });
    expect(verify({ url: forged } as unknown as Request)).toEqual({
      ok: false,
      reason: "signature_mismatch",
    });
    expect(verify(new Request(url(query)))).toMatchObject({ ok: true, customerId: "123" });
  });

  it("refuses Latin-1 text that reads as the UTF-8 of what was signed", () => {
    // "é" was signed (%C3%A9); "Ã©" is C3 A9 if read byte by byte.
    const query = signedQuery(validPairs({ logged_in_customer_id: "é" }), SECRET);
    const forged = url(query).replace("logged_in_customer_id=%C3%A9", "logged_in_customer_id=Ã©");
    expect(forged).not.toBe(url(query));
    const asRequest = { url: forged } as unknown as Request;
    expect(verify(asRequest)).toEqual({ ok: false, reason: "signature_mismatch" });
    expect(verify(new Request(url(query)))).toMatchObject({ ok: true, customerId: "é" });
  });
});
