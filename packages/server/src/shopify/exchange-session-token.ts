import { AsyncLocalStorage } from "node:async_hooks";
import {
  HttpResponseError,
  InvalidJwtError,
  RequestedTokenType,
  type Session,
  type Shopify,
} from "@shopify/shopify-api";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

/** What a token exchange came to: the offline session, or why there is none. */
export type TokenExchangeResult =
  | { ok: true; session: Session }
  /** `invalid-subject-token`: Shopify refused the session token (the app is not installed, or it expired). */
  | { ok: false; reason: "invalid-subject-token" | "failed"; status?: number; cause?: unknown };

export interface ExchangeSessionTokenParams {
  shop: string;
  sessionToken: string;
  /**
   * `shopifyApi(...)` instances, one per client secret, newest first. The library checks the token
   * again with its one secret and sends that secret as `client_secret`, so the exchange goes through
   * the instance whose secret signed the token: tokens signed with an older secret still exchange
   * during a rotation, while Shopify accepts both secrets.
   */
  libraries: readonly Pick<Shopify, "auth">[];
  /** The `fetch` to post with: `undefined` for the global one, else one sending to a local stand-in. */
  fetch?: typeof fetch;
}

/**
 * Exchanges a verified session token for the shop's offline access token through
 * `@shopify/shopify-api`'s `auth.tokenExchange({ requestedTokenType: OfflineAccessToken })`, and
 * returns the session it made (`offline_{shop}`, not yet stored).
 *
 * @example
 * const result = await exchangeSessionToken({ shop, sessionToken, libraries });
 */
export async function exchangeSessionToken({
  shop,
  sessionToken,
  libraries,
  fetch: send,
}: ExchangeSessionTokenParams): Promise<TokenExchangeResult> {
  let lastError: unknown;
  for (const library of libraries) {
    try {
      const { session } = await withLibraryFetch(send, () =>
        library.auth.tokenExchange({
          shop,
          sessionToken,
          requestedTokenType: RequestedTokenType.OfflineAccessToken,
        }),
      );
      return { ok: true, session };
    } catch (error) {
      if (error instanceof InvalidJwtError) {
        // The library's own check of the token with this instance's secret, before any request:
        // the token is another secret's, so the next instance tries.
        lastError = error;
        continue;
      }
      // Sent and failed (or unreachable): no other secret would change that.
      if (!(error instanceof HttpResponseError)) return { ok: false, reason: "failed", cause: error };
      const { code, body } = error.response;
      // Shopify's packages answer this error alone with "get a new session token and retry".
      const refused =
        code === 400 && (body as { error?: unknown } | undefined)?.error === "invalid_subject_token";
      return { ok: false, reason: refused ? "invalid-subject-token" : "failed", status: code, cause: error };
    }
  }
  // Every instance refused the token itself (its own clock tolerance is stricter than ours, or the
  // token expired while waiting): a new token is what helps. The library's error quotes the whole
  // token, so it is not passed on to be logged.
  return lastError instanceof InvalidJwtError
    ? { ok: false, reason: "invalid-subject-token" }
    : { ok: false, reason: "failed", cause: lastError };
}

/**
 * The library posts through one process-wide fetch slot (set by its web-api adapter). Sprocket puts
 * a dispatcher there once, which sends through the `fetch` of the call in progress (kept across its
 * `await`s by AsyncLocalStorage), else through the global `fetch` as the adapter would: one app's
 * stand-in origin never reaches another app's calls in the same process.
 */
const callFetch = new AsyncLocalStorage<typeof fetch>();
let dispatcherInstalled = false;

function withLibraryFetch<Result>(
  send: typeof fetch | undefined,
  work: () => Promise<Result>,
): Promise<Result> {
  if (!dispatcherInstalled) {
    setAbstractFetchFunc((input, init) => (callFetch.getStore() ?? fetch)(input, init));
    dispatcherInstalled = true;
  }
  return send === undefined ? work() : callFetch.run(send, work);
}
