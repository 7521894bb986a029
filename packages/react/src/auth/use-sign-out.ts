import { useCallback } from "react";
import { useSWRConfig } from "swr";
import { useSprocket } from "../provider.js";
import { sessionKey } from "./use-session.js";

/** Options of {@link useSignOut}, named as Gadget's. */
export interface UseSignOutOptions {
  /**
   * Go to `redirectToPath` once signed out. Default: false, unlike Gadget's: the page stays, and
   * `<SignedIn>` / `<SignedOut>` switch in place.
   */
  redirectOnSuccess?: boolean;
  /** Where `redirectOnSuccess` goes. Default: "/". */
  redirectToPath?: string;
}

/**
 * A function that signs out: it POSTs better-auth's `{authPath}/sign-out` (credentials included,
 * so the cookie goes along and is cleared), then revalidates the session, so `useUser`,
 * `<SignedIn>` and `<SignedOut>` update everywhere, and with `redirectOnSuccess` goes to
 * `redirectToPath`. It rejects when the server refuses; the session is revalidated either way,
 * since a failed request may still have ended it.
 *
 * @example
 * const signOut = useSignOut({ redirectOnSuccess: true, redirectToPath: "/sign-in" });
 * return <button type="button" onClick={() => signOut()}>Sign out</button>;
 */
export function useSignOut({
  redirectOnSuccess = false,
  redirectToPath = "/",
}: UseSignOutOptions = {}): () => Promise<void> {
  const config = useSprocket();
  const { mutate } = useSWRConfig();
  return useCallback(async () => {
    const key = sessionKey(config);
    let response: Response;
    try {
      response = await config.fetch(`${config.authPath}/sign-out`, {
        method: "POST",
        credentials: "include",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
    } catch (error) {
      await mutate(key);
      throw error;
    }
    if (!response.ok) {
      await mutate(key);
      throw new Error(`Could not sign out: ${config.authPath}/sign-out answered ${response.status}`);
    }
    // Signed out: show it at once, then confirm with the server.
    await mutate(key, null, { revalidate: true });
    if (redirectOnSuccess) window.location.assign(redirectToPath);
  }, [config, mutate, redirectOnSuccess, redirectToPath]);
}
