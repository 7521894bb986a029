// Who may frame the embedded admin page: the shop's own admin and Shopify's unified admin, as
// Shopify requires of embedded apps. Pure, so the proxy stays one line and this has a unit test.
import { isMyshopifyDomain } from "@sprocket/server/shopify";

/** Shopify's admin, which frames every embedded app. */
export const SHOPIFY_ADMIN_ORIGIN = "https://admin.shopify.com";

/**
 * The `Content-Security-Policy` of an embedded admin page for the `shop` in its `?shop=`: framed
 * by that shop's admin and admin.shopify.com, or by nobody when `shop` is not a shop's
 * myshopify.com domain (nothing else may be put into the header).
 *
 * @example
 * adminFramePolicy("example.myshopify.com");
 * // "frame-ancestors https://example.myshopify.com https://admin.shopify.com"
 */
export function adminFramePolicy(shop: string | null): string {
  if (shop === null || !isMyshopifyDomain(shop)) return "frame-ancestors 'none'";
  return `frame-ancestors https://${shop} ${SHOPIFY_ADMIN_ORIGIN}`;
}
