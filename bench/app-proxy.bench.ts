// Verifying one app proxy request with a query of about 1 KB, three ways: Sprocket's
// verifyAppProxyRequest on the request's URL (parse, checks, canonical string, HMAC, constant-time
// compare); @shopify/shopify-api's validateHmac with the appProxy signator, from the same URL (the
// query object built as its callers build it); and a bare node:crypto HMAC-SHA256 of the canonical
// string, the floor any verifier pays; and a minimal verifier (URLSearchParams, sort, HMAC,
// compare, without the timestamp, shop and repeat checks), the floor once the query is decoded.
import { createHmac, timingSafeEqual } from "node:crypto";
import "@shopify/shopify-api/adapters/web-api";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { appProxyCanonicalString, verifyAppProxyRequest } from "@sprocket/server/shopify";
import { bench, describe } from "vitest";
import { cpuTable, cpuTimes } from "./cpu-time.js";

const SECRET = "bench-app-secret-0123456789abcdef";
const now = Date.now();
const pairs: [string, string][] = [
  ["shop", "shop-name.myshopify.com"],
  ["logged_in_customer_id", "6817231659321"],
  ["path_prefix", "/apps/awesome_reviews"],
  ["timestamp", String(Math.floor(now / 1000))],
];
// What a storefront adds: a search, a return path, a note with accents, then filter options until
// the query is about 1 KB. Zero-padded, so that no key is a prefix of another: on such keys
// (`option.1`, `option.10`) the library's sort differs from Shopify's reference and it refuses the
// request, which would leave it nothing to time.
pairs.push(
  ["q", "red running shoes"],
  ["return_to", "/collections/all?page=2"],
  ["note", "Café crème, s’il vous plaît"],
);
for (let index = 0; new URLSearchParams(pairs).toString().length < 990; index++) {
  pairs.push([`filter.v.option.${String(index).padStart(2, "0")}`, `Size ${index}, Dark Blue / 100% cotton`]);
}
const query = new URLSearchParams(pairs);
const canonical = appProxyCanonicalString(query);
query.append("signature", createHmac("sha256", SECRET).update(canonical).digest("hex"));
const url = `https://app.example/apps/proxy?${query}`;
const request = new Request(url);

const shopify = shopifyApi({
  apiKey: "api-key",
  apiSecretKey: SECRET,
  hostName: "app.example",
  apiVersion: ApiVersion.January26,
  isEmbeddedApp: false,
  logger: { level: LogSeverity.Error },
});
function libraryQuery(params: URLSearchParams): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [key, value] of params) {
    const existing = result[key];
    result[key] =
      existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return result;
}

// Sanity: every path accepts the request, so each bench times a success.
if (!verifyAppProxyRequest(url, { secrets: SECRET, now }).ok) throw new Error("Sprocket refused the request");
if (
  !(await shopify.utils.validateHmac(libraryQuery(new URL(url).searchParams) as never, {
    signator: "appProxy",
  }))
)
  throw new Error("@shopify/shopify-api refused the request");
console.log(`query: ${url.length - url.indexOf("?") - 1} bytes, ${pairs.length + 1} parameters`);

const paths: Record<string, () => unknown> = {
  "bare node:crypto HMAC of the canonical string": () => {
    createHmac("sha256", SECRET).update(canonical).digest("hex");
  },
  "minimal verifier: URLSearchParams, sort, HMAC, compare (no other checks)": () => {
    const params = new URL(url).searchParams;
    const strings: string[] = [];
    for (const [key, value] of params) if (key !== "signature") strings.push(`${key}=${value}`);
    const digest = createHmac("sha256", SECRET).update(strings.sort().join("")).digest();
    timingSafeEqual(digest, Buffer.from(params.get("signature")!, "hex"));
  },
  "Sprocket verifyAppProxyRequest(url)": () => {
    verifyAppProxyRequest(url, { secrets: SECRET, now });
  },
  "Sprocket verifyAppProxyRequest(request)": () => {
    verifyAppProxyRequest(request, { secrets: SECRET, now });
  },
  "@shopify/shopify-api validateHmac (appProxy)": async () => {
    await shopify.utils.validateHmac(libraryQuery(new URL(url).searchParams) as never, {
      signator: "appProxy",
    });
  },
};

// CPU time first (robust to other work on the machine), then vitest's wall-clock bench.
console.log(
  `\nCPU time:\n${cpuTable(
    await cpuTimes(paths, { iterations: 10_000 }),
    "bare node:crypto HMAC of the canonical string",
    "@shopify/shopify-api validateHmac (appProxy)",
  )}`,
);

describe(`verify one app proxy request (~1 KB query)`, () => {
  for (const [name, path] of Object.entries(paths)) bench(name, path);
});
