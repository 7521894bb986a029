// The fast reading of a serialized query must sign exactly what the plain reading signs.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { appProxyCanonicalString, verifyAppProxyRequest } from "@sprocket/server/shopify";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scanAppProxyQuery } from "./scanned-query.js";
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
const rawQuery = fc.string({ unit: rawUnit, maxLength: 80 });

// Names the scans look for: the signature (left out of what is signed), and names the raw units
// make often, including the empty one and names that are prefixes of others.
const NAMES = ["signature", "a", "aa", "B", "", "a-", "1"] as const;

describe("scanAppProxyQuery", () => {
  it("counts names and decodes their first values as URLSearchParams does", () => {
    let fast = 0;
    fc.assert(
      fc.property(rawQuery, (query) => {
        const scanned = scanAppProxyQuery(query, NAMES);
        if (scanned === undefined) return;
        fast++;
        const params = new URLSearchParams(query);
        expect(scanned.counts).toEqual(NAMES.map((name) => params.getAll(name).length));
        expect(scanned.firsts).toEqual(NAMES.map((name) => params.get(name) ?? undefined));
      }),
      { numRuns: 2000 },
    );
    expect(fast).toBeGreaterThan(500);
  });

  it("gives the UTF-8 of the canonical string, or leaves it to the plain reading", () => {
    let fast = 0;
    fc.assert(
      fc.property(rawQuery, (query) => {
        const scanned = scanAppProxyQuery(query, NAMES);
        if (scanned === undefined) return;
        fast++;
        expect(Buffer.from(scanned.signed)).toEqual(plainBytes(query));
      }),
      { numRuns: 2000 },
    );
    expect(fast).toBeGreaterThan(500);
  });

  it("sorts long names that share a stem as the plain reading does", () => {
    // Names long enough for the word-at-a-time comparisons, differing anywhere along them.
    const name = fc
      .tuple(
        fc.constantFrom("", "filter.", "filter.v.option.", "f"),
        fc.string({ unit: fc.constantFrom("a", "b", ".", "_", "%2E"), maxLength: 20 }),
      )
      .map(([stem, rest]) => stem + rest);
    fc.assert(
      fc.property(fc.array(fc.tuple(name, fc.constantFrom("1", "x%2Cy", "")), { maxLength: 12 }), (pairs) => {
        const query = pairs.map(([key, value]) => `${key}=${value}`).join("&");
        const scanned = scanAppProxyQuery(query, NAMES);
        expect(scanned).toBeDefined();
        expect(Buffer.from(scanned!.signed)).toEqual(plainBytes(query));
      }),
      { numRuns: 1500 },
    );
  });

  it("reads a storefront query with escaped names and values on the fast path", () => {
    const query =
      "?shop=s.myshopify.com&attributes%5Bgift%5D=yes&q=red+shoes&note=Caf%C3%A9&signature=ab&filter.v.option.10=M&filter.v.option.1=S";
    const scanned = scanAppProxyQuery(query, NAMES);
    expect(scanned).toBeDefined();
    expect(Buffer.from(scanned!.signed)).toEqual(plainBytes(query));
    expect(scanned!.counts[0]).toBe(1);
    expect(scanned!.firsts[0]).toBe("ab");
  });

  it("leaves names holding '=' and text outside ASCII to the plain reading", () => {
    const query = "a=x&a%3Db=y";
    expect(scanAppProxyQuery(query, NAMES)).toBeUndefined();
    expect(appProxyCanonicalString(new URLSearchParams(query))).toBe("a=b=ya=x");
    expect(scanAppProxyQuery("a=é", NAMES)).toBeUndefined();
    expect(scanAppProxyQuery("a=%FF", NAMES)).toBeUndefined();
  });

  it("grows its memory for a long query and still reads short ones after", () => {
    const long = Array.from({ length: 4500 }, (_, index) => `n${index % 97}=v%2C+${index}`).join("&");
    expect(long.length).toBeGreaterThan(50_000);
    expect(long.length).toBeLessThanOrEqual(65_536);
    const scanned = scanAppProxyQuery(long, NAMES);
    expect(scanned).toBeDefined();
    expect(Buffer.from(scanned!.signed)).toEqual(plainBytes(long));
    const short = "a=1&signature=ab&a=2";
    const again = scanAppProxyQuery(short, NAMES);
    expect(Buffer.from(again!.signed)).toEqual(plainBytes(short));
    expect(again!.counts).toEqual(NAMES.map((name) => new URLSearchParams(short).getAll(name).length));
  });

  it("leaves a character outside ASCII anywhere in the query to the plain reading", () => {
    // "Ã©" read byte by byte would be C3 A9, the UTF-8 of "é": a query must not sign as another.
    // Placed in each sixteen-unit block and in the tail the module checks one unit at a time.
    for (let pad = 30; pad < 46; pad++) {
      const ascii = `a=${"x".repeat(pad)}&b=1`;
      for (let at = 0; at <= ascii.length; at++) {
        const query = `${ascii.slice(0, at)}Ã©${ascii.slice(at)}`;
        expect(scanAppProxyQuery(query, NAMES)).toBeUndefined();
      }
      expect(scanAppProxyQuery(ascii, NAMES)).toBeDefined();
    }
  });

  it("leaves a query over 64 KiB to the plain reading", () => {
    const huge = `a=${"x".repeat(65_536)}`;
    expect(scanAppProxyQuery(huge, NAMES)).toBeUndefined();
    expect(scanAppProxyQuery(huge.slice(0, 65_536), NAMES)).toBeDefined();
  });

  it("switches between lists of names, and leaves more than 16 names to the plain reading", () => {
    const query = "b=1&a=2&a=3";
    expect(scanAppProxyQuery(query, ["a", "b"])!.counts).toEqual([2, 1]);
    expect(scanAppProxyQuery(query, ["b"])!.firsts).toEqual(["1"]);
    expect(
      scanAppProxyQuery(
        query,
        Array.from({ length: 17 }, (_, index) => `n${index}`),
      ),
    ).toBeUndefined();
    expect(scanAppProxyQuery(query, ["x".repeat(32)])).toBeUndefined();
  });

  it("signs every piece when the names looked for do not include the signature", () => {
    const query = "b=1&a=2&x=3&signature=zz";
    expect(Buffer.from(scanAppProxyQuery(query, ["a", "b"])!.signed).toString()).toBe(
      "a=2b=1signature=zzx=3",
    );
  });

  it("keeps the previous list of names whole when a new one does not fit", () => {
    const query = "signature=abc&shop=s&x=1";
    const before = scanAppProxyQuery(query, NAMES)!;
    expect(scanAppProxyQuery(query, ["zzz", "q".repeat(40)])).toBeUndefined();
    const after = scanAppProxyQuery(query, NAMES)!;
    expect(after.counts).toEqual(before.counts);
    expect(Buffer.from(after.signed)).toEqual(plainBytes(query));
  });

  it("runs the WebAssembly compiled from its committed source", () => {
    // The module is committed as base64; compiling its AssemblyScript again must give the same bytes.
    const check = spawnSync(process.execPath, ["scripts/build-wasm.mjs", "--check"], {
      cwd: fileURLToPath(new URL("../../", import.meta.url)),
      encoding: "utf8",
    });
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
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
