import { RequestedTokenType, Session } from "@shopify/shopify-api";

/** OAuth 2.0 token exchange (RFC 8693), as Shopify's `/admin/oauth/access_token` takes it. */
export const TOKEN_EXCHANGE_GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
/** The subject token's type: a session token is an OpenID Connect ID token. */
export const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";

/** What a token exchange came to: the offline session, or why there is none. */
export type TokenExchangeResult =
  | { ok: true; session: Session }
  /** `invalid-subject-token`: Shopify refused the session token (the app is not installed, or it expired). */
  | { ok: false; reason: "invalid-subject-token" | "failed"; status?: number; cause?: unknown };

export interface ExchangeSessionTokenParams {
  shop: string;
  sessionToken: string;
  apiKey: string;
  /** The newest client secret. */
  apiSecretKey: string;
  /** The offline session's id, `offline_{shop}`. */
  sessionId: string;
  /** The `fetch` to post with: the global one, or one sending to a local stand-in. */
  fetch: typeof fetch;
}

/**
 * Exchanges a verified session token for the shop's offline access token: the request and the
 * session `@shopify/shopify-api`'s `auth.tokenExchange({ requestedTokenType: OfflineAccessToken })`
 * makes (same URL, JSON body and fields; `shopify-api-agreement.test.ts` holds the two together).
 *
 * Written here rather than calling the library because its call posts through a process-wide fetch
 * slot that cannot be pointed at `adminOrigin` for one app, and re-verifies the token against the
 * first secret only, which would refuse tokens signed with an older secret during a rotation.
 *
 * @example
 * const result = await exchangeSessionToken({ shop, sessionToken, apiKey, apiSecretKey, sessionId, fetch });
 */
export async function exchangeSessionToken({
  shop,
  sessionToken,
  apiKey,
  apiSecretKey,
  sessionId,
  fetch: send,
}: ExchangeSessionTokenParams): Promise<TokenExchangeResult> {
  let response: Response;
  let body: Record<string, unknown> | undefined;
  try {
    response = await send(`https://${shop}/admin/oauth/access_token`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({
        client_id: apiKey,
        client_secret: apiSecretKey,
        grant_type: TOKEN_EXCHANGE_GRANT_TYPE,
        subject_token: sessionToken,
        subject_token_type: ID_TOKEN_TYPE,
        requested_token_type: RequestedTokenType.OfflineAccessToken,
        expiring: "0",
      }),
    });
    body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  } catch (cause) {
    return { ok: false, reason: "failed", cause };
  }
  if (!response.ok) {
    // Shopify's packages answer this error alone with "get a new session token and retry".
    const reason =
      response.status === 400 && body?.error === "invalid_subject_token" ? "invalid-subject-token" : "failed";
    return { ok: false, reason, status: response.status };
  }
  const accessToken = body?.access_token;
  if (typeof accessToken !== "string" || accessToken === "") {
    return { ok: false, reason: "failed", status: response.status };
  }
  const expiresIn = typeof body?.expires_in === "number" ? body.expires_in : undefined;
  const session = new Session({
    id: sessionId,
    shop,
    // The library keeps an empty state for exchanged sessions: storage schemas require the column.
    state: "",
    isOnline: false,
    accessToken,
    scope: typeof body?.scope === "string" ? body.scope : undefined,
    ...(expiresIn === undefined ? {} : { expires: new Date(Date.now() + expiresIn * 1000) }),
  });
  return { ok: true, session };
}
