import { useCallback } from "react";
import { useSWRConfig } from "swr";
import { useSprocket } from "../provider.js";
import { sessionKey } from "./use-session.js";

/**
 * A function that signs out: it POSTs better-auth's `{authPath}/sign-out` (credentials included,
 * so the cookie goes along and is cleared), then revalidates the session, so `useUser`,
 * `<SignedIn>` and `<SignedOut>` update everywhere. It rejects when the server refuses; the session
 * is revalidated either way, since a failed request may still have ended it.
 *
 * @example
 * const signOut = useSignOut();
 * return <button type="button" onClick={() => signOut()}>Sign out</button>;
 */
export function useSignOut(): () => Promise<void> {
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
  }, [config, mutate]);
}
