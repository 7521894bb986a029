import { type ReactNode, useEffect } from "react";
import { useUser } from "./use-user.js";

/** The query parameter that carries the page to come back to after signing in. */
export const REDIRECT_PARAM = "redirect";

/** Props of {@link SignedInOrRedirect}. */
export interface SignedInOrRedirectProps {
  /** The sign-in page to send signed-out visitors to. Default: "/sign-in". */
  path?: string;
  children?: ReactNode;
}

/**
 * Renders its children while a user is signed in. A signed-out visitor is sent to `path` with the
 * current page in the `redirect` query parameter (`/sign-in?redirect=%2Fchats%3Ftab%3D2`), so the
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
 * `path` with `redirect` set to the current page; same-origin results stay relative.
 *
 * @example
 * signInUrl("/sign-in", window.location); // "/sign-in?redirect=%2Fchats"
 */
export function signInUrl(
  path: string,
  current: Pick<Location, "href" | "origin" | "pathname" | "search" | "hash">,
) {
  const target = new URL(path, current.href);
  target.searchParams.set(REDIRECT_PARAM, `${current.pathname}${current.search}${current.hash}`);
  return target.origin === current.origin ? `${target.pathname}${target.search}${target.hash}` : target.href;
}
