import { appProxyCanonicalString, verifyAppProxyRequest } from "@sprocket/server/shopify";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Pairs, referenceCanonicalString, seconds, signedQuery } from "./test/sign.js";

const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);
const SECRET = "app-secret";

// Characters that trip up query handling: URL syntax, the scheme's own separators, case, and text
// outside ASCII (two-byte, three-byte and astral). Mixed with any well-formed code point.
const tricky = fc.constantFrom(
  "%",
  "+",
  "=",
  ",",
  "&",
  "-",
  "_",
  " ",
  "A",
  "Z",
  "a",
  "z",
  "0",
  "9",
  "é",
  "ß",
  "日",
  "😀",
  "\u00a0",
);
const isWellFormed = (text: string) => !/[\uD800-\uDFFF]/u.test(text);
const text = (minLength = 0) =>
  fc
    .string({
      unit: fc.oneof(
        { weight: 3, arbitrary: tricky },
        { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
      ),
      minLength,
      maxLength: 12,
    })
    .filter(isWellFormed);
const key = text(1).filter((name) => name !== "signature");
const pairs = fc.array(fc.tuple(key, text()), { maxLength: 8 });

describe("appProxyCanonicalString", () => {
  it("writes Shopify's documented example", () => {
    const query = new URLSearchParams(
      "extra=1&extra=2&shop=shop-name.myshopify.com&logged_in_customer_id=1" +
        "&path_prefix=%2Fapps%2Fawesome_reviews&timestamp=1317327555&signature=ignored",
    );
    expect(appProxyCanonicalString(query)).toBe(
      "extra=1,2logged_in_customer_id=1path_prefix=/apps/awesome_reviewsshop=shop-name.myshopify.comtimestamp=1317327555",
    );
  });

  it("sorts whole key=value strings by code unit, not by key and not by locale", () => {
    // By key, "a" < "a-b"; as strings, "a-b=2" < "a=1" because "-" (0x2D) < "=" (0x3D).
    expect(
      appProxyCanonicalString([
        ["a", "1"],
        ["a-b", "2"],
      ]),
    ).toBe("a-b=2a=1");
    // localeCompare puts "b" before "C"; code units put every upper-case letter first.
    expect(
      appProxyCanonicalString([
        ["b", "1"],
        ["C", "2"],
      ]),
    ).toBe("C=2b=1");
    // Non-ASCII sorts after ASCII.
    expect(
      appProxyCanonicalString([
        ["é", "1"],
        ["z", "2"],
      ]),
    ).toBe("z=2é=1");
  });

  it("keeps a repeated key's values in the order received", () => {
    expect(
      appProxyCanonicalString([
        ["x", "2"],
        ["y", "0"],
        ["x", "1"],
      ]),
    ).toBe("x=2,1y=0");
  });

  it("reads decoded values from URLSearchParams (%2F and + decoded)", () => {
    expect(appProxyCanonicalString(new URLSearchParams("p=%2Fa+b%2B"))).toBe("p=/a b+");
  });

  it("equals the reference for random keys and values, through a real query string", () => {
    fc.assert(
      fc.property(pairs, (generated) => {
        const reference = referenceCanonicalString(generated);
        expect(appProxyCanonicalString(generated)).toBe(reference);
        const query = new URLSearchParams(generated.map(([name, value]) => [name, value])).toString();
        expect(appProxyCanonicalString(new URL(`https://app.example/p?${query}`).searchParams)).toBe(
          reference,
        );
      }),
      { numRuns: 500 },
    );
  });

  it("is not one-to-one, by Shopify's design: a repeated key and a comma-joined value sign alike", () => {
    expect(
      appProxyCanonicalString([
        ["extra", "1"],
        ["extra", "2"],
      ]),
    ).toBe(appProxyCanonicalString([["extra", "1,2"]]));
  });
});

describe("a signed request stops verifying when anything signed changes", () => {
  const base: Pairs = [
    ["shop", "shop-name.myshopify.com"],
    ["timestamp", seconds(NOW)],
  ];
  const verifies = (query: Pairs, secret = SECRET, signedPairs: Pairs = query) => {
    const signature = new URLSearchParams(signedQuery(signedPairs, secret)).get("signature")!;
    const params = new URLSearchParams(query.map(([name, value]) => [name, value]));
    params.append("signature", signature);
    return verifyAppProxyRequest(params, { secrets: SECRET, now: NOW }).ok;
  };
  // Extra parameters that cannot be confused with the ones the checks read.
  const extras = fc.uniqueArray(
    fc.tuple(
      key.filter(
        (name) => !["shop", "timestamp", "hmac", "logged_in_customer_id", "path_prefix"].includes(name),
      ),
      text(),
    ),
    {
      minLength: 1,
      maxLength: 6,
      selector: ([name]) => name,
    },
  );
  // The scheme is not one-to-one (see above), so a change counts when it changes the signed string.
  const changesSigned = (before: Pairs, after: Pairs) =>
    referenceCanonicalString(before) !== referenceCanonicalString(after);

  it("verifies untouched", () => {
    fc.assert(fc.property(extras, (extra) => verifies([...base, ...extra])));
  });

  it("fails when a key changes", () => {
    fc.assert(
      fc.property(extras, fc.nat(), key, (extra, index, newKey) => {
        const signed = [...base, ...extra];
        const at = base.length + (index % extra.length);
        const tampered = signed.map((pair, i) => (i === at ? ([newKey, pair[1]] as const) : pair));
        fc.pre(changesSigned(signed, tampered));
        expect(verifies(tampered, SECRET, signed)).toBe(false);
      }),
    );
  });

  it("fails when a value changes", () => {
    fc.assert(
      fc.property(extras, fc.nat(), text(), (extra, index, newValue) => {
        const signed = [...base, ...extra];
        const at = index % signed.length;
        const tampered = signed.map((pair, i) => (i === at ? ([pair[0], newValue] as const) : pair));
        fc.pre(changesSigned(signed, tampered));
        expect(verifies(tampered, SECRET, signed)).toBe(false);
      }),
    );
  });

  it("fails when a repeated key's values change order", () => {
    fc.assert(
      fc.property(extras, text(), text(), (extra, first, second) => {
        fc.pre(first !== second);
        const name = extra[0]![0];
        const signed: Pairs = [...base, ...extra.slice(1), [name, first], [name, second]];
        const tampered: Pairs = [...base, ...extra.slice(1), [name, second], [name, first]];
        fc.pre(changesSigned(signed, tampered));
        expect(verifies(tampered, SECRET, signed)).toBe(false);
      }),
    );
  });

  it("fails when signed with another secret", () => {
    fc.assert(
      fc.property(extras, fc.string({ minLength: 1 }), (extra, otherSecret) => {
        fc.pre(otherSecret.trim() !== SECRET);
        expect(verifies([...base, ...extra], otherSecret)).toBe(false);
      }),
    );
  });
});
