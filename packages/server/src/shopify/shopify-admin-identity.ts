import type { Identity } from "../auth/identity.js";

/** The role of a request from the app's page in the Shopify admin, with a valid session token. */
export const SHOPIFY_ADMIN_ROLE = "shopify-admin";

/**
 * Who a request with a valid session token is: a staff member of `shop` using the app in the
 * Shopify admin. Made by `shopifyApp(...).adminIdentity`.
 *
 * @example
 * const identity = await identify(request, [shopify.adminIdentity, sessionIdentity(auth)]);
 * if (identity.role === SHOPIFY_ADMIN_ROLE) console.log((identity as ShopifyAdminIdentity).shop);
 */
export interface ShopifyAdminIdentity extends Identity {
  role: typeof SHOPIFY_ADMIN_ROLE;
  /** The shop the token names, such as `example.myshopify.com`. */
  shop: string;
}
