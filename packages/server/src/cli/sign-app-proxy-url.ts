import { createHmac } from "node:crypto";
import { appProxyCanonicalString } from "../shopify/app-proxy-canonical-string.js";

/** The shop a signed URL claims to come from when none is given. */
export const DEFAULT_PROXY_SHOP = "sprocket-dev.myshopify.com";
/** The proxy's storefront path when none is given, as in `/apps/<subpath>`. */
export const DEFAULT_PATH_PREFIX = "/apps/sprocket";

/** Options of {@link signAppProxyUrl}. */
export interface SignAppProxyUrlOptions {
  /** The app's URL, query included: `http://localhost:3000/proxy?x=1`. */
  url: string | URL;
  /** The app's API secret key (the first of a comma-separated list, which is the newest). */
  secret: string;
  /** Whole seconds since the epoch, as Shopify writes `timestamp`. */
  timestamp: number;
  /** The shop's `*.myshopify.com` domain. Default: {@link DEFAULT_PROXY_SHOP}. */
  shop?: string;
  /** `logged_in_customer_id`. Default: empty, as Shopify sends it when no one is logged in. */
  customerId?: string;
  /** `path_prefix`. Default: {@link DEFAULT_PATH_PREFIX}. */
  pathPrefix?: string;
}

/**
 * The URL as Shopify would forward it through an app proxy: the URL's own query, then `shop`,
 * `logged_in_customer_id`, `path_prefix` and `timestamp` (any earlier copies replaced), and a
 * `signature` over all of them. Pure: the time comes in as `timestamp`.
 *
 * @example
 * signAppProxyUrl({ url: "http://localhost:3000/proxy", secret: "hush", timestamp: 1317327555 }).href;
 * // "http://localhost:3000/proxy?shop=sprocket-dev.myshopify.com&...&signature=<hex>"
 */
export function signAppProxyUrl(options: SignAppProxyUrlOptions): URL {
  const {
    url,
    secret,
    timestamp,
    shop = DEFAULT_PROXY_SHOP,
    customerId = "",
    pathPrefix = DEFAULT_PATH_PREFIX,
  } = options;
  const signed = new URL(url);
  const query = signed.searchParams;
  query.delete("signature");
  query.set("shop", shop);
  query.set("logged_in_customer_id", customerId);
  query.set("path_prefix", pathPrefix);
  query.set("timestamp", String(timestamp));
  const signature = createHmac("sha256", secret).update(appProxyCanonicalString(query)).digest("hex");
  query.append("signature", signature);
  return signed;
}
