/** The query parameter of the page to come back to after signing in, as Gadget's and `SignedInOrRedirect` name it. */
export const REDIRECT_TO_PARAM = "redirectTo";

/** Where sign-in and sign-up go without a `redirectTo` parameter. */
export const DEFAULT_AFTER_SIGN_IN = "/chats";

// Any origin will do: it only tells paths on this site from URLs that leave it.
const SAME_SITE = "http://same-site.invalid";

/**
 * The page to go to after signing in: `redirectTo` when it is a path on this site, else `fallback`.
 * A sign-in link carries `redirectTo` in its query, so anyone can craft one; taking a full URL (or a
 * `//host` one, or `/\host`, which browsers read the same way) would make the sign-in page an open
 * redirect to a look-alike site.
 *
 * @example
 * safeRedirect(new URLSearchParams(location.search).get(REDIRECT_TO_PARAM)); // "/chats?tab=2" or "/chats"
 */
export function safeRedirect(redirect: string | null | undefined, fallback = DEFAULT_AFTER_SIGN_IN): string {
  if (!redirect?.startsWith("/")) return fallback;
  let url: URL;
  try {
    url = new URL(redirect, SAME_SITE);
  } catch {
    return fallback;
  }
  // The parser's verdict, not a prefix check: it drops tabs and newlines and reads "\" as "/".
  if (url.origin !== SAME_SITE) return fallback;
  // A path the parser resolved to `//host` (from `/.//host`, `/a/..//host`) would leave the site
  // once used as a relative URL.
  return url.pathname.startsWith("//") ? fallback : `${url.pathname}${url.search}${url.hash}`;
}
