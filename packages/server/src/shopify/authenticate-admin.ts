import { HttpResponseError, type Session } from "@shopify/shopify-api";
import type { AdminApiContext, ShopifyGraphqlConnection } from "./admin-graphql.js";
import type { TokenExchangeResult } from "./exchange-session-token.js";
import type { SessionTokenPayload, SessionTokenVerification } from "./verify-session-token.js";

/**
 * The header that tells App Bridge to fetch a new session token and send the request again; Shopify's
 * packages set it on the 401 for a refused session token.
 */
export const RETRY_INVALID_SESSION_HEADER = "X-Shopify-Retry-Invalid-Session-Request";

/** The `Authorization` value a session token travels in: `Bearer` and one compact JWS. */
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i;

/** What `authenticate.admin(request)` resolves to, in Shopify's shape. */
export interface AdminContext {
  /** The shop's offline session (exchanged for on the shop's first request). */
  session: Session;
  /** The Admin API for that session: `graphql(query, { variables })` resolves to a `Response`. */
  admin: AdminApiContext;
  /** The verified session token's claims. */
  sessionToken: SessionTokenPayload;
  /** The shop the token was issued for, such as `example.myshopify.com`. */
  shop: string;
}

/** Where a request's session token was found, or why it has none that could be one. */
export type SessionTokenSource =
  | { token: string }
  | { token: undefined; reason: "missing" | "malformed-authorization" };

/**
 * The session token of a request: `Authorization: Bearer <token>` on fetch requests; without an
 * `Authorization` header, the `id_token` query parameter Shopify adds to the app's document URL
 * (as Shopify's `authenticate.admin` reads it). Duplicate headers arrive joined by `, ` and fail
 * the pattern.
 */
export function sessionTokenOf(request: Request, { allowQuery = true } = {}): SessionTokenSource {
  const authorization = request.headers.get("authorization");
  if (authorization !== null) {
    const token = BEARER.exec(authorization)?.[1];
    return token === undefined ? { token: undefined, reason: "malformed-authorization" } : { token };
  }
  if (allowQuery) {
    const ids = new URL(request.url).searchParams.getAll("id_token");
    if (ids.length === 1 && ids[0]) return { token: ids[0] };
    if (ids.length > 1) return { token: undefined, reason: "malformed-authorization" };
  }
  return { token: undefined, reason: "missing" };
}

/** A plain 401 that asks App Bridge for a new token and one more try; the body says nothing. */
export function invalidSessionResponse(): Response {
  return new Response(undefined, {
    status: 401,
    statusText: "Unauthorized",
    headers: { [RETRY_INVALID_SESSION_HEADER]: "1" },
  });
}

/** What the factory gives {@link authenticateAdmin}. */
export interface AuthenticateAdminDependencies {
  verify(token: string): Promise<SessionTokenVerification>;
  loadOffline(shop: string): Promise<Session | undefined>;
  /** Exchanges the token for the shop's offline session and stores it; single-flight per shop. */
  exchange(shop: string, token: string): Promise<TokenExchangeResult>;
  adminFor(session: Session): AdminApiContext;
  /** Where refusals are explained: the reason and shop, never the token. */
  warn(details: Record<string, unknown>, message: string): void;
}

/**
 * `authenticate.admin(request)`: verifies the session token, loads the shop's offline session or
 * exchanges the token for one, and resolves to Shopify's context. Throws a `Response`: 401 with
 * {@link RETRY_INVALID_SESSION_HEADER} for a missing, malformed or refused token and when Shopify
 * refuses the exchange (`invalid_subject_token`: the app is not installed on the shop), as Shopify's
 * packages do; 500 when the exchange fails otherwise.
 */
export async function authenticateAdmin(
  request: Request,
  { verify, loadOffline, exchange, adminFor, warn }: AuthenticateAdminDependencies,
): Promise<AdminContext> {
  const source = sessionTokenOf(request);
  if (source.token === undefined) {
    warn({ reason: source.reason }, "Admin request refused");
    throw invalidSessionResponse();
  }
  const verified = await verify(source.token);
  if (!verified.ok) {
    warn({ reason: verified.reason }, "Admin request refused: invalid session token");
    throw invalidSessionResponse();
  }
  const { shop, payload } = verified;
  let session = await loadOffline(shop);
  if (!session || isExpired(session)) {
    const exchanged = await exchange(shop, source.token);
    if (!exchanged.ok) {
      if (exchanged.reason === "invalid-subject-token") {
        warn({ reason: exchanged.reason, shop }, "Admin request refused: Shopify refused the token exchange");
        throw invalidSessionResponse();
      }
      warn(
        { reason: exchanged.reason, shop, status: exchanged.status, err: exchanged.cause },
        "Token exchange failed",
      );
      throw new Response(undefined, { status: 500, statusText: "Internal Server Error" });
    }
    session = exchanged.session;
  }
  return { session, admin: adminFor(session), sessionToken: payload, shop };
}

/**
 * An authenticated request's Admin API clients, as Shopify's packages handle a revoked offline token
 * (the app was uninstalled, or reinstalled with a new token): when Shopify answers 401, `onRevoked`
 * runs (the session is deleted, so the shop's next request exchanges again) and the call throws a
 * plain 401 `Response` for the route's boundary to send. Other errors pass through.
 */
export function withRevokedTokenHandling(
  clients: { admin: AdminApiContext; connection: ShopifyGraphqlConnection },
  onRevoked: () => Promise<void>,
): { admin: AdminApiContext; connection: ShopifyGraphqlConnection } {
  const guard = async <Result>(call: () => Promise<Result>): Promise<Result> => {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof HttpResponseError && error.response.code === 401)) throw error;
      await onRevoked();
      // As Shopify's packages: no retry header, since a new session token alone would not help the
      // request in flight; the next one exchanges for a new access token.
      throw new Response(undefined, { status: 401, statusText: "Unauthorized" });
    }
  };
  return {
    admin: { graphql: (query, options) => guard(() => clients.admin.graphql(query, options)) },
    connection: { graphql: (query, variables) => guard(() => clients.connection.graphql(query, variables)) },
  };
}

/** Whether a session's access token has an expiry that has passed (offline tokens usually have none). */
export function isExpired(session: Session): boolean {
  return session.expires !== undefined && session.expires.getTime() <= Date.now();
}

/**
 * Runs `work` once per key at a time: callers that arrive while it runs share its promise. In one
 * process, concurrent first requests of a shop exchange once; across instances each may exchange,
 * which is harmless: Shopify answers each with a valid token and the session `offline_{shop}` is
 * upserted.
 */
export function singleFlight<Argument, Result>(work: (key: string, argument: Argument) => Promise<Result>) {
  const running = new Map<string, Promise<Result>>();
  return (key: string, argument: Argument): Promise<Result> => {
    const current = running.get(key);
    if (current) return current;
    const started = work(key, argument).finally(() => running.delete(key));
    running.set(key, started);
    return started;
  };
}
