import type { AuthUser } from "./types.js";
import { type UseSessionOptions, useSession } from "./use-session.js";

/**
 * The signed-in user, or `null` when signed out (as Gadget's `useUser`, with `null` for "nobody").
 * While that is not known yet it returns `undefined`: on the first load, and after a failed one.
 * Tell those apart, and show progress, with `useSession()`'s `isLoading` and `error`, which read
 * the same request. With `{ suspense: true }` it suspends instead, and never returns `undefined`.
 *
 * @example
 * const user = useUser();
 * if (user === undefined) return null; // not known yet
 * return user ? <span>{user.email}</span> : <a href="/sign-in">Sign in</a>;
 */
export function useUser(options: UseSessionOptions & { suspense: true }): AuthUser | null;
export function useUser(options?: UseSessionOptions): AuthUser | null | undefined;
export function useUser(options: UseSessionOptions = {}): AuthUser | null | undefined {
  const { data } = useSession(options);
  return data === undefined ? undefined : (data?.user ?? null);
}
