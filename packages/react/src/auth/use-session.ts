import useSWR, { type SWRResponse } from "swr";
import { type SprocketConfig, useSprocket } from "../provider.js";
import type { SessionData } from "./types.js";

/** Options of {@link useSession} and {@link useUser}. */
export interface UseSessionOptions {
  /**
   * Suspends (React Suspense) until the session is known, so `data` is never `undefined`; a failed
   * lookup is thrown to the nearest error boundary. Client rendering only: SWR does not suspend on
   * the server. Default: false.
   */
  suspense?: boolean;
}

/**
 * The SWR key of the session; one per app origin and auth path, shared by every identity hook.
 *
 * @example
 * await mutate(sessionKey(useSprocket())); // refetch the session after signing in
 */
export function sessionKey({ baseUrl, authPath }: Pick<SprocketConfig, "baseUrl" | "authPath">): string {
  return `${baseUrl}${authPath}/get-session`;
}

/**
 * The current session from better-auth's `GET {authPath}/get-session`, through SWR: `data` is
 * `{ session, user }` when signed in, `null` when signed out, and `undefined` while unknown (first
 * load, or a failed one: see `error`). It goes through the provider's `fetch`, so `baseUrl` applies,
 * with credentials included so the session cookie is sent. Every identity hook shares this one
 * request, and SWR refreshes it when the window regains focus, so a sign-out in another tab shows.
 *
 * @example
 * const { data, isLoading } = useSession();
 * if (isLoading) return <Spinner />;
 * return data ? <p>Session ends {data.session.expiresAt}</p> : <a href="/sign-in">Sign in</a>;
 */
export function useSession(
  options: UseSessionOptions & { suspense: true },
): SWRResponse<SessionData | null, Error, { suspense: true }>;
export function useSession(options?: UseSessionOptions): SWRResponse<SessionData | null, Error>;
export function useSession({
  suspense = false,
}: UseSessionOptions = {}): SWRResponse<SessionData | null, Error> {
  const config = useSprocket();
  return useSWR(sessionKey(config), () => fetchSession(config), { suspense });
}

async function fetchSession({ fetch, authPath }: SprocketConfig): Promise<SessionData | null> {
  const response = await fetch(`${authPath}/get-session`, {
    credentials: "include",
    headers: { accept: "application/json" },
  });
  if (!response.ok) {
    throw new Error(`Could not load the session: ${authPath}/get-session answered ${response.status}`);
  }
  const body = (await response.json()) as SessionData | null;
  // better-auth answers JSON null when signed out; anything without a user is signed out too.
  return body?.user ? body : null;
}
