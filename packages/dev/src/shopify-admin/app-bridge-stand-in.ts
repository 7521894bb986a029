/** Where an embedded app loads App Bridge from; tests answer this URL with the stand-in. */
export const APP_BRIDGE_SCRIPT_URL = "https://cdn.shopify.com/shopifycloud/app-bridge.js";

export interface AppBridgeStandInOptions {
  /**
   * The URL `shopify.idToken()` fetches a token from, as text; the page's `?shop=` is added as
   * `shop`. A test answers it (Playwright's `page.route`) with {@link issueSessionToken}. Required.
   */
  tokenUrl: string;
}

/**
 * The source of a stand-in for App Bridge's `app-bridge.js`, for browsers without Shopify's admin
 * around the page (end-to-end tests): it defines `window.shopify` with the one API the Sprocket
 * hooks use, `idToken()`, which asks `tokenUrl` for a new token on every call. App Bridge itself
 * gets its tokens from the admin frame; nothing else of it is imitated.
 *
 * @example
 * await page.route(APP_BRIDGE_SCRIPT_URL, (route) =>
 *   route.fulfill({ contentType: "text/javascript", body: appBridgeStandInScript({ tokenUrl }) }),
 * );
 */
export function appBridgeStandInScript({ tokenUrl }: AppBridgeStandInOptions): string {
  // Checked here so that a bad URL fails the test's setup, not the page.
  const url = new URL(tokenUrl).href;
  return `(() => {
  const tokenUrl = new URL(${JSON.stringify(url)});
  const shop = new URLSearchParams(location.search).get("shop");
  if (shop) tokenUrl.searchParams.set("shop", shop);
  window.shopify = Object.freeze({
    idToken: async () => {
      const response = await fetch(tokenUrl, { cache: "no-store" });
      if (!response.ok) throw new Error("App Bridge stand-in: no session token (" + response.status + ")");
      return (await response.text()).trim();
    },
  });
})();
`;
}
