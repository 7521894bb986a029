import { verifyAppProxyRequest } from "@sprocket/server/shopify";
import { describe, expect, it } from "vitest";
import { DEFAULT_PATH_PREFIX, DEFAULT_PROXY_SHOP, signAppProxyUrl } from "./sign-app-proxy-url.js";

const timestamp = 1_700_000_000;
const now = timestamp * 1000;

describe("signAppProxyUrl", () => {
  it("gives the signature of Shopify's documented example", () => {
    // Shopify's documentation: secret "hush", the query below, signature 4c68c862...
    const url = signAppProxyUrl({
      url: "https://app.example/proxy?extra=1&extra=2",
      secret: "hush",
      timestamp: 1317327555,
      shop: "shop-name.myshopify.com",
      customerId: "1",
      pathPrefix: "/apps/awesome_reviews",
    });
    expect(url.searchParams.get("signature")).toBe(
      "4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb",
    );
  });

  it("signs what verifyAppProxyRequest accepts, with the defaults and the URL's own query", () => {
    const url = signAppProxyUrl({
      url: "http://localhost:3000/proxy/a?x=1&y=%2B&signature=old",
      secret: "s3",
      timestamp,
    });
    expect(url.searchParams.getAll("signature")).toHaveLength(1);
    expect(verifyAppProxyRequest(url.href, { secrets: "s3", now })).toEqual({
      ok: true,
      shop: DEFAULT_PROXY_SHOP,
      customerId: null,
      pathPrefix: DEFAULT_PATH_PREFIX,
      timestamp,
    });
    expect(verifyAppProxyRequest(new Request(url), { secrets: "s3", now }).ok).toBe(true);
    expect(verifyAppProxyRequest(url.href, { secrets: "other", now })).toEqual({
      ok: false,
      reason: "signature_mismatch",
    });
  });

  it("replaces the proxy parameters rather than repeating them", () => {
    const url = signAppProxyUrl({
      url: "http://localhost:3000/proxy?shop=evil.myshopify.com&timestamp=1",
      secret: "s3",
      timestamp,
      shop: "mine.myshopify.com",
      customerId: "42",
    });
    expect(verifyAppProxyRequest(url, { secrets: "s3", now })).toMatchObject({
      ok: true,
      shop: "mine.myshopify.com",
      customerId: "42",
    });
  });
});
