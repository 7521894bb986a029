import { isMyshopifyDomain, MYSHOPIFY_DOMAIN_PATTERN } from "@sprocket/server/shopify";
import { describe, expect, it } from "vitest";

describe("MYSHOPIFY_DOMAIN_PATTERN", () => {
  it.each([
    "shop-name.myshopify.com",
    "a.myshopify.com",
    "0.myshopify.com",
    "my-store-123.myshopify.com",
    `${"a".repeat(63)}.myshopify.com`,
  ])("accepts %s", (shop) => {
    expect(isMyshopifyDomain(shop)).toBe(true);
    expect(MYSHOPIFY_DOMAIN_PATTERN.test(shop)).toBe(true);
  });

  it.each([
    ["empty", ""],
    ["no shop label", ".myshopify.com"],
    ["the bare domain", "myshopify.com"],
    ["upper case", "Shop-Name.myshopify.com"],
    ["upper-case suffix", "shop.MYSHOPIFY.COM"],
    ["leading hyphen", "-shop.myshopify.com"],
    ["trailing hyphen", "shop-.myshopify.com"],
    ["two labels", "a.b.myshopify.com"],
    ["a label over 63 characters", `${"a".repeat(64)}.myshopify.com`],
    ["underscore", "shop_name.myshopify.com"],
    ["another domain", "shop.myshopify.com.evil.com"],
    ["a look-alike suffix", "shop.myshopifyXcom"],
    ["a path", "evil.com/shop.myshopify.com"],
    ["a port", "shop.myshopify.com:443"],
    ["a trailing newline", "shop.myshopify.com\n"],
    ["a scheme", "https://shop.myshopify.com"],
    ["a custom domain", "shop.example.com"],
    ["a trailing dot", "shop.myshopify.com."],
  ])("refuses %s", (_label, shop) => {
    expect(isMyshopifyDomain(shop)).toBe(false);
  });
});
