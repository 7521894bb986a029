import type { ReactNode } from "react";
import { useUser } from "./use-user.js";

/**
 * Renders its children only while a user is signed in; nothing while signed out or not known yet.
 *
 * @example
 * <SignedIn><SignOutButton /></SignedIn>
 */
export function SignedIn({ children }: { children?: ReactNode }) {
  return useUser() ? children : null;
}

/**
 * Renders its children only while nobody is signed in; nothing while signed in or not known yet,
 * so a sign-in link does not flash for a user who is signed in.
 *
 * @example
 * <SignedOut><a href="/sign-in">Sign in</a></SignedOut>
 */
export function SignedOut({ children }: { children?: ReactNode }) {
  return useUser() === null ? children : null;
}
