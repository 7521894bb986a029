import type { SprocketAuth } from "../provider.js";

/**
 * Shopify's answer header asking an embedded app to fetch a new session token and send the request
 * again: set on a 401 for a missing, expired or otherwise refused token.
 */
export const RETRY_INVALID_SESSION_HEADER = "X-Shopify-Retry-Invalid-Session-Request";

/**
 * A cached token is renewed this long before its `exp`, so a request in flight does not arrive
 * with a token that expired on the way.
 */
export const TOKEN_RENEW_BEFORE_EXPIRY_MS = 10_000;

/** The part of App Bridge's `shopify` global the auth source uses (`useAppBridge()` returns it). */
export interface AppBridgeTokenSource {
  /** Resolves to a session token (a JWT signed for the app) for the current shop and user. */
  idToken(): Promise<string>;
}

export interface AppBridgeOptions {
  /**
   * The App Bridge object. Default: the global `shopify` that App Bridge's `app-bridge.js`
   * script defines, read when the first token is needed.
   */
  shopify?: AppBridgeTokenSource;
}

/**
 * The auth source for a page embedded in the Shopify admin, where third-party cookies do not
 * reach the app: every request carries `Authorization: Bearer <session token>` from App Bridge's
 * `shopify.idToken()`. A token is kept until {@link TOKEN_RENEW_BEFORE_EXPIRY_MS} before its `exp`
 * (requests made meanwhile share one `idToken()` call), which saves App Bridge a round trip to
 * the admin per request. A 401 with `X-Shopify-Retry-Invalid-Session-Request: 1` drops the refused
 * token and sends the request once more with a new one; any other 401, or a second one, goes to
 * the caller (`FetchError`, `ApiError`).
 *
 * Pass the result as a stable value: a module constant, or `useMemo` around `useAppBridge()`.
 *
 * @example
 * const auth = appBridge();
 * <SprocketProvider auth={auth}><Orders /></SprocketProvider>
 */
export function appBridge({ shopify }: AppBridgeOptions = {}): SprocketAuth {
  let cached: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const token = (): Promise<string> | string => {
    if (cached && Date.now() < cached.renewAt) return cached.token;
    pending ??= source(shopify)
      .idToken()
      .then((token) => {
        cached = { token, renewAt: expiryOf(token) - TOKEN_RENEW_BEFORE_EXPIRY_MS };
        return token;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };

  return {
    async headers() {
      return { authorization: `Bearer ${await token()}` };
    },
    onUnauthorized(response, request) {
      if (response.headers.get(RETRY_INVALID_SESSION_HEADER) !== "1") return false;
      // Forget the refused token only: a concurrent request may already have fetched a new one.
      const refused = new Headers(request.headers).get("authorization");
      if (cached && refused === `Bearer ${cached.token}`) cached = undefined;
      // Sending a write again is safe here: the server refuses the token before running anything.
      return true;
    },
  };
}

function source(shopify: AppBridgeTokenSource | undefined): AppBridgeTokenSource {
  const bridge = shopify ?? (globalThis as { shopify?: AppBridgeTokenSource }).shopify;
  if (typeof bridge?.idToken !== "function") {
    throw new Error(
      "appBridge(): no App Bridge on this page. Load https://cdn.shopify.com/shopifycloud/app-bridge.js " +
        'with <meta name="shopify-api-key"> before the app, or pass { shopify }.',
    );
  }
  return bridge;
}

/**
 * The token's `exp` in milliseconds, or 0 (use once) when it cannot be read. Read without
 * verifying, for timing only: the server verifies the signature. Hand-written: a JWT library
 * would add kilobytes to the page for two lines.
 */
function expiryOf(token: string): number {
  try {
    const payload = token.split(".")[1] ?? "";
    const { exp } = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) as { exp?: unknown };
    return typeof exp === "number" ? exp * 1000 : 0;
  } catch {
    return 0;
  }
}
