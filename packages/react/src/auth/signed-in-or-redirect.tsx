import { type ReactNode, useEffect } from "react";
import { useUser } from "./use-user.js";

/** The query parameter that carries the page to come back to after signing in, as Gadget names it. */
export const REDIRECT_PARAM = "redirectTo";

/** Props of {@link SignedInOrRedirect}. */
export interface SignedInOrRedirectProps {
  /** The sign-in page to send signed-out visitors to. Default: "/sign-in". */
  path?: string;
  children?: ReactNode;
}

/**
 * Renders its children while a user is signed in. A signed-out visitor is sent to `path` with the
 * current page in the `redirectTo` query parameter (`/sign-in?redirectTo=%2Fchats%3Ftab%3D2`), so the
 * sign-in page can bring them back. Renders nothing while that is being decided, and does not
 * redirect when the session could not be loaded: an outage is not a sign-out.
 *
 * @example
 * <SignedInOrRedirect path="/sign-in">
 *   <ChatList />
 * </SignedInOrRedirect>
 */
export function SignedInOrRedirect({ path = "/sign-in", children }: SignedInOrRedirectProps) {
  const user = useUser();
  useEffect(() => {
    if (user === null) window.location.assign(signInUrl(path, window.location));
  }, [user, path]);
  return user ? children : null;
}

/**
 * `path` with `redirectTo` set to the current page; same-origin results stay relative.
 *
 * @example
 * signInUrl("/sign-in", window.location); // "/sign-in?redirectTo=%2Fchats"
 */
export function signInUrl(
  path: string,
  current: Pick<Location, "href" | "origin" | "pathname" | "search" | "hash">,
) {
  const target = new URL(path, current.href);
  target.searchParams.set(REDIRECT_PARAM, `${current.pathname}${current.search}${current.hash}`);
  return target.origin === current.origin ? `${target.pathname}${target.search}${target.hash}` : target.href;
}

/** Props of {@link SignedOutOrRedirect}. */
export interface SignedOutOrRedirectProps {
  /** Where a signed-in visitor goes when the page has no `redirectTo`. Default: "/". */
  path?: string;
  children?: ReactNode;
}

/**
 * Renders its children while nobody is signed in, for sign-in and sign-up pages, as Gadget's does.
 * A signed-in visitor is sent on: to the page's `redirectTo` query parameter when it is a path on
 * this site (never elsewhere: anyone can write a link's query), else to `path`. Renders nothing
 * while that is being decided.
 *
 * @example
 * <SignedOutOrRedirect path="/chats">
 *   <SignInForm />
 * </SignedOutOrRedirect>
 */
export function SignedOutOrRedirect({ path = "/", children }: SignedOutOrRedirectProps) {
  const user = useUser();
  useEffect(() => {
    if (!user) return;
    const requested = new URLSearchParams(window.location.search).get(REDIRECT_PARAM);
    window.location.assign(sameSitePath(requested, window.location) ?? path);
  }, [user, path]);
  return user === null ? children : null;
}

/**
 * `value` as a path on the current site (with its query and hash), or `undefined` when it is
 * missing or would leave the site (a full URL, `//host`, `/\host`, which browsers read alike).
 *
 * @example
 * sameSitePath("/chats?tab=2", window.location); // "/chats?tab=2"
 * sameSitePath("//evil.example", window.location); // undefined
 */
export function sameSitePath(value: string | null | undefined, current: Pick<Location, "href" | "origin">) {
  if (!value?.startsWith("/")) return undefined;
  let url: URL;
  try {
    url = new URL(value, current.href);
  } catch {
    return undefined;
  }
  if (url.origin !== current.origin) return undefined;
  // A path the parser resolved to `//host` (from `/.//host`, `/a/..//host`) would leave the site
  // once used as a relative URL.
  return url.pathname.startsWith("//") ? undefined : `${url.pathname}${url.search}${url.hash}`;
}
