/**
 * A shop's permanent domain as Shopify sends it in `shop`: one DNS label of lower-case letters,
 * digits and hyphens (starting and ending with a letter or digit, at most 63 characters) under
 * `myshopify.com`. Shopify always sends it in lower case, so an upper-case or custom domain here
 * is not Shopify's.
 *
 * @example
 * MYSHOPIFY_DOMAIN_PATTERN.test("shop-name.myshopify.com"); // true
 */
export const MYSHOPIFY_DOMAIN_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.myshopify\.com$/;

/**
 * Whether `value` is a shop's `*.myshopify.com` domain ({@link MYSHOPIFY_DOMAIN_PATTERN}).
 *
 * @example
 * isMyshopifyDomain("evil.com/.myshopify.com"); // false
 */
export function isMyshopifyDomain(value: string): boolean {
  return MYSHOPIFY_DOMAIN_PATTERN.test(value);
}
