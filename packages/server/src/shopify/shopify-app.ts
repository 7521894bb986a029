// The library's documented setup for Web-standard runtimes; imported here once and nowhere else.
import "@shopify/shopify-api/adapters/web-api";
import { type ApiVersion, LogSeverity, type Session, shopifyApi } from "@shopify/shopify-api";
import { createStorefrontApiClient } from "@shopify/storefront-api-client";
import type { Logger } from "pino";
import type { IdentitySource } from "../auth/identity.js";
import { isHttpError } from "../errors/http-error.js";
import { createLogger } from "../logger/create-logger.js";
import { inboxStoreProblem } from "../webhooks/batch-inbox-inserts.js";
import type { WebhookEventHandler } from "../webhooks/run-webhook-event.js";
import { SHOPIFY_WEBHOOK_BODY_LIMIT } from "../webhooks/verify-shopify-webhook.js";
import type { WebhookInboxStore } from "../webhooks/webhook-inbox-store.js";
import { type WebhookRouteOptions, webhookRoute } from "../webhooks/webhook-route.js";
import {
  type AdminApiContext,
  adminClients,
  answeringHttpErrors,
  originFetch,
  perApiVersion,
  type ShopifyGraphqlConnection,
} from "./admin-graphql.js";
import { type AppProxyContext, requireAppProxySignature } from "./app-proxy.js";
import {
  type AdminContext,
  authenticateAdmin,
  invalidSessionResponse,
  isExpired,
  type SessionTokenSource,
  sessionTokenOf,
  singleFlight,
  withRevokedTokenHandling,
} from "./authenticate-admin.js";
import { exchangeSessionToken } from "./exchange-session-token.js";
import { liquid } from "./liquid.js";
import { SHOPIFY_ADMIN_ROLE, type ShopifyAdminIdentity } from "./shopify-admin-identity.js";
import {
  authenticateWebhook,
  type ShopifyWebhookHandler,
  shopifyInboxHandler,
  type WebhookContext,
} from "./shopify-webhook.js";
import { APP_PROXY_TOLERANCE_SECONDS, normalizeSecrets } from "./verify-app-proxy-request.js";
import { SESSION_TOKEN_CLOCK_TOLERANCE_SECONDS, verifySessionToken } from "./verify-session-token.js";

/** Shopify's session storage interface, as `@shopify/shopify-app-session-storage` defines it. */
export interface SessionStorage {
  storeSession(session: Session): Promise<boolean>;
  loadSession(id: string): Promise<Session | undefined>;
  deleteSession(id: string): Promise<boolean>;
  deleteSessions(ids: string[]): Promise<boolean>;
  findSessionsByShop(shop: string): Promise<Session[]>;
}

/** The error `unauthenticated.admin(shop)` rejects with when the app has no offline session for the shop. */
export class SessionNotFoundError extends Error {
  override name = "SessionNotFoundError";
}

/** Options of {@link shopifyApp}; validated once, when it runs. */
export interface ShopifyAppOptions {
  /** The app's client id (API key). Required. */
  apiKey: string;
  /** The app's client secret(s), newest first: an array or a comma-separated string. Required. */
  apiSecretKey: string | readonly string[];
  /** Where offline sessions are kept, e.g. `new PrismaSessionStorage(prisma.shopifySession)`. Required. */
  sessionStorage: SessionStorage;
  /** The Admin API version, e.g. `"2026-01"`. Required, as in Shopify's packages. */
  apiVersion: string;
  /** The app's public URL. Default: `https://localhost` (app proxies do not need it). */
  appUrl?: string;
  /**
   * Sends Admin API calls to this origin instead of `https://{shop}`: a local stand-in such as
   * `@sprocket/dev/shopify-admin`. Default: Shopify.
   */
  adminOrigin?: string;
  /**
   * Sends Storefront API calls (`storefront.graphql` of `authenticate.public.appProxy`) to this
   * origin instead of `https://{shop}`, keeping the path (`/api/{version}/graphql.json`) and the
   * `Shopify-Storefront-Private-Token` header: a local stand-in. Default: Shopify.
   */
  storefrontOrigin?: string;
  /** Seconds an app proxy `timestamp` may be off. Default: {@link APP_PROXY_TOLERANCE_SECONDS}. */
  appProxyTolerance?: number;
  /**
   * Seconds a session token's `exp` and `nbf` may be off the server's clock, for
   * `authenticate.admin` and `adminIdentity`. Default:
   * {@link SESSION_TOKEN_CLOCK_TOLERANCE_SECONDS} (5).
   */
  sessionTokenClockTolerance?: number;
  /**
   * Where refused admin requests are explained (the reason and shop, never the token). Default:
   * pino, JSON on stdout at `LOG_LEVEL` (default `info`).
   */
  logger?: Logger;
  /**
   * The webhook inbox. With `store`, `authenticate.webhook` records every delivery and reports
   * duplicates (`isDuplicate`), and `shopifyWebhook` routes store there by default. `bodyLimit`
   * is the largest body `authenticate.webhook` reads, in bytes (413 beyond it, without reading
   * further); default {@link SHOPIFY_WEBHOOK_BODY_LIMIT} (1 MiB). Raise it for shops whose
   * products carry many hundreds of variants: a `products/update` payload grows with them.
   */
  webhooks?: { store?: WebhookInboxStore; bodyLimit?: number };
}

/** Options of {@link ShopifyApp.shopifyWebhook}: `webhookRoute`'s, with the app's defaults. */
export type ShopifyWebhookRouteOptions = Omit<
  WebhookRouteOptions<"shopify">,
  "provider" | "onEvent" | "store" | "secrets"
> & {
  /** The application's work, run after the answer with the shop's session and Admin API. */
  onEvent: ShopifyWebhookHandler;
  /** Default: `webhooks.store` of the app's options (required in one of the two places). */
  store?: WebhookInboxStore;
  /** Default: the app's `apiSecretKey`. */
  secrets?: WebhookRouteOptions<"shopify">["secrets"];
};

/** What `authenticate.public.appProxy(request)` resolves to, in Shopify's shape. */
export interface AppProxyAuthentication {
  /** The shop's offline session; `undefined` when the app has none for the shop. */
  session: Session | undefined;
  /** The Admin API for that session; `undefined` without one. */
  admin: AdminApiContext | undefined;
  /** The Storefront API for that session; `undefined` without one. */
  storefront: AdminApiContext | undefined;
  /** {@link liquid}: an `application/liquid` answer Shopify renders in the theme. */
  liquid: typeof liquid;
}

/** Gadget's `connections.shopify` on a proxied route. */
export interface ShopifyProxyConnection {
  /** The Admin API for the shop's offline session; `undefined` when the app has none for the shop. */
  current: ShopifyGraphqlConnection | undefined;
  /** The shop the request came from. */
  currentShop: { myshopifyDomain: string };
}

/** What {@link ShopifyApp.adminContext} gives a route's context provider. */
export interface ShopifyAdminContext extends AdminContext {
  /** Gadget's `connections.shopify`: the shop's Admin API as `current`. */
  shopify: { current: ShopifyGraphqlConnection; currentShop: { myshopifyDomain: string } };
}

/** What {@link ShopifyApp.proxyContext} gives a route's context provider. */
export interface ShopifyProxyContext extends AppProxyContext {
  shopify: ShopifyProxyConnection;
}

/**
 * What `authenticate.*` take: a Web `Request`, or the `request` of a `route()` handler (its `raw`
 * Request is read), so `authenticate.webhook(request)` ports from Shopify's examples as written.
 */
export type AuthenticatedRequest = Request | { readonly raw: Request };

/**
 * The Web `Request` of `request`. Recognised by shape, not `instanceof`: a Request of another
 * realm or fetch implementation (a test's, a polyfill's) is still one. A route's request has plain
 * object headers, so it is never mistaken for its raw Request.
 */
function webRequestOf(request: AuthenticatedRequest): Request {
  if (isWebRequest(request)) return request;
  const raw = (request as { raw?: unknown } | null | undefined)?.raw;
  if (isWebRequest(raw)) return raw;
  throw new TypeError("authenticate: expected a Request, or a route()'s request with its raw Request");
}

function isWebRequest(value: unknown): value is Request {
  const candidate = value as Partial<Request> | null | undefined;
  return (
    typeof candidate?.method === "string" &&
    typeof candidate.url === "string" &&
    typeof candidate.headers?.get === "function" &&
    typeof candidate.arrayBuffer === "function"
  );
}

export interface ShopifyApp {
  authenticate: {
    public: {
      /**
       * Verifies an app proxy request, Shopify style: throws a plain 401 `Response` when the
       * signature is bad, else resolves to the shop's session and clients.
       */
      appProxy(request: AuthenticatedRequest): Promise<AppProxyAuthentication>;
    };
    /**
     * Verifies a webhook, Shopify style, and resolves to its context (topic, shop, payload, the
     * shop's offline session and Admin API, `isDuplicate`). Throws a plain `Response`: 405 for
     * other methods, 400 for missing headers or a body that is not a JSON object, 401 for a bad
     * signature, 503 when the configured inbox store fails. The delivery is recorded (inline) when
     * `webhooks.store` is set; `shopifyWebhook` is the durable alternative.
     */
    webhook(request: AuthenticatedRequest): Promise<WebhookContext>;
    /**
     * Verifies a request from the app's page in the Shopify admin, Shopify style: its session token
     * (`Authorization: Bearer <token>`, or the `id_token` query parameter of a document request
     * without that header) must be HS256-signed with one of the secrets, for this app (`aud`), and
     * name one `*.myshopify.com` shop in `iss` and `dest`, within the clock tolerance. On the shop's
     * first request the token is exchanged for an offline access token, which is stored in the
     * session storage (once per shop at a time in this process).
     *
     * Throws a `Response`: 401 with `X-Shopify-Retry-Invalid-Session-Request: 1` (App Bridge then
     * fetches a new token and retries once) for a missing or refused token and when Shopify refuses
     * the exchange (the app is not installed); 500 when the exchange fails otherwise.
     *
     * @example
     * const { admin, shop } = await authenticate.admin(request);
     * const response = await admin.graphql(`{ shop { name } }`);
     * const { data } = await response.json();
     */
    admin(request: AuthenticatedRequest): Promise<AdminContext>;
  };
  /**
   * An identity source for `identify(request, sources)`: a request with a valid session token in
   * `Authorization: Bearer` is `{ role: "shopify-admin", shop }`; a request without a Bearer
   * `Authorization` is not this source's (`undefined`); a Bearer value that is not a valid session
   * token throws the 401 `authenticate.admin` answers with. It checks the token only (no session
   * lookup, no exchange): enough to scope the model API to the shop.
   */
  adminIdentity: IdentitySource;
  /**
   * `authenticate.admin` for a `route()` context provider: the same checks and answers, plus
   * Gadget's `connections.shopify` (`current` is the shop's Admin API).
   */
  adminContext(request: Request): Promise<ShopifyAdminContext>;
  /**
   * A durable webhook endpoint for Shopify (`webhookRoute` with provider `"shopify"`): verifies,
   * commits the delivery keyed by event id (else webhook id), answers, then runs `onEvent` with the
   * shop's session and Admin API; retries and dead letters as the inbox does.
   *
   * @example
   * export const POST = shopify.shopifyWebhook({ after, onEvent: async ({ topic, admin }) => {} });
   */
  shopifyWebhook(options: ShopifyWebhookRouteOptions): (request: Request) => Promise<Response>;
  /**
   * The inbox handler `shopifyWebhook` runs for `onEvent`: give it to `drainWebhookInbox` and
   * `replayWebhookEvent` as the `shopify` handler, so retries get the session and Admin API too.
   */
  webhookHandler(onEvent: ShopifyWebhookHandler): WebhookEventHandler;
  /**
   * Verifies an app proxy request for a `route()` context provider: throws a plain 401 `HttpError`
   * when the signature is bad, else resolves to the shop, customer, path prefix and Gadget's
   * `connections.shopify`. `appProxyContext(request)` reads the same facts afterwards.
   */
  proxyContext(request: Request): Promise<ShopifyProxyContext>;
  /**
   * The shop's APIs without a request, as Shopify's `unauthenticated` (for background jobs and
   * scripts): from the shop's stored offline session. Rejects with {@link SessionNotFoundError}, as
   * Shopify's packages do, when the app has none for the shop.
   *
   * @example
   * const { admin } = await shopify.unauthenticated.admin("example.myshopify.com");
   * const { data } = await (await admin.graphql(`{ shop { name } }`)).json();
   */
  unauthenticated: {
    admin(shop: string): Promise<{ session: Session; admin: AdminApiContext }>;
    storefront(shop: string): Promise<{ session: Session; storefront: AdminApiContext }>;
  };
  /** The storage given in the options. */
  sessionStorage: SessionStorage;
  /** The id of a shop's offline session, as Shopify names it: `offline_{shop}`. */
  offlineSessionId(shop: string): string;
}

/**
 * Configures the app once, in Shopify's shape: the app re-exports `authenticate` from it.
 * Admin API calls go through `@shopify/shopify-api`'s GraphQL client (API version, retries on
 * throttling, `GraphqlQueryError` on errors).
 *
 * @example
 * export const shopify = shopifyApp({
 *   apiKey: process.env.SHOPIFY_API_KEY!,
 *   apiSecretKey: process.env.SHOPIFY_API_SECRET!,
 *   apiVersion: "2026-01",
 *   sessionStorage: new PrismaSessionStorage(prisma.shopifySession),
 * });
 * export const authenticate = shopify.authenticate;
 * // in a handler: const { admin, liquid } = await authenticate.public.appProxy(request);
 */
export function shopifyApp({
  apiKey,
  apiSecretKey,
  sessionStorage,
  apiVersion,
  appUrl = "https://localhost",
  adminOrigin,
  storefrontOrigin,
  appProxyTolerance = APP_PROXY_TOLERANCE_SECONDS,
  sessionTokenClockTolerance = SESSION_TOKEN_CLOCK_TOLERANCE_SECONDS,
  logger,
  webhooks,
}: ShopifyAppOptions): ShopifyApp {
  const secrets = normalizeSecrets(apiSecretKey);
  const problems: string[] = [];
  if (typeof apiKey !== "string" || !apiKey.trim()) problems.push("`apiKey` is required");
  if (secrets.length === 0) problems.push("`apiSecretKey` needs at least one non-empty secret");
  if (!sessionStorage || typeof sessionStorage.loadSession !== "function") {
    problems.push("`sessionStorage` must implement Shopify's session storage interface");
  }
  if (typeof apiVersion !== "string" || !/^\d{4}-\d{2}$|^unstable$/.test(apiVersion)) {
    problems.push('`apiVersion` must be an Admin API version such as "2026-01"');
  }
  const appHost = hostOf(appUrl);
  if (!appHost) problems.push("`appUrl` must be an absolute http(s) URL");
  if (adminOrigin !== undefined && !hostOf(adminOrigin)) {
    problems.push("`adminOrigin` must be an absolute http(s) URL");
  }
  if (storefrontOrigin !== undefined && !hostOf(storefrontOrigin)) {
    problems.push("`storefrontOrigin` must be an absolute http(s) URL");
  }
  if (typeof appProxyTolerance !== "number" || !(appProxyTolerance >= 0)) {
    problems.push("`appProxyTolerance` must be a number of seconds >= 0");
  }
  if (typeof sessionTokenClockTolerance !== "number" || !(sessionTokenClockTolerance >= 0)) {
    problems.push("`sessionTokenClockTolerance` must be a number of seconds >= 0");
  }
  const webhookStore = webhooks?.store;
  if (webhookStore !== undefined && typeof webhookStore.insert !== "function") {
    problems.push("`webhooks.store` must be a WebhookInboxStore");
  } else if (webhookStore !== undefined) {
    const storeProblem = inboxStoreProblem(webhookStore);
    if (storeProblem) problems.push(`\`webhooks.store\`: ${storeProblem}`);
  }
  const webhookBodyLimit = webhooks?.bodyLimit ?? SHOPIFY_WEBHOOK_BODY_LIMIT;
  if (!Number.isSafeInteger(webhookBodyLimit) || webhookBodyLimit < 0) {
    problems.push("`webhooks.bodyLimit` must be a non-negative integer");
  }
  if (problems.length > 0) throw new TypeError(`shopifyApp: ${problems.join("; ")}`);

  const libraryFor = (apiSecretKey: string) =>
    shopifyApi({
      apiKey,
      apiSecretKey,
      apiVersion: apiVersion as never,
      hostName: appHost!,
      isEmbeddedApp: true,
      logger: { level: LogSeverity.Error },
    });
  // The library signs with one secret; verification here takes every secret in the list. Token
  // exchange goes through the instance of the secret that signed the token (newest first).
  const libraries = secrets.map(libraryFor);
  const library = libraries[0]!;
  const origin = adminOrigin === undefined ? undefined : new URL(adminOrigin).origin;
  const storefrontFetch =
    storefrontOrigin === undefined ? undefined : originFetch(new URL(storefrontOrigin).origin);
  const verify = (request: Request) =>
    requireAppProxySignature(request, { secrets, tolerance: appProxyTolerance });
  const offlineSessionId = (shop: string) => library.session.getOfflineId(shop);

  const loadOffline = async (shop: string) => {
    const session = await sessionStorage.loadSession(offlineSessionId(shop));
    return session?.accessToken ? session : undefined;
  };
  const clientsFor = (session: Session) =>
    adminClients({ Graphql: library.clients.Graphql, session, apiVersion, adminOrigin: origin });

  const adminFor = (session: Session) => clientsFor(session).admin;
  const webhookHandler = (onEvent: ShopifyWebhookHandler) =>
    shopifyInboxHandler(onEvent, { loadOffline, adminFor });

  const log = createLogger(logger).child({ component: "shopify.authenticate.admin" });
  const warn = (details: Record<string, unknown>, message: string) => log.warn(details, message);
  const webhookLog = createLogger(logger).child({ component: "shopify.authenticate.webhook" });
  const verifyToken = (token: string) =>
    verifySessionToken(token, { apiKey, secrets, clockTolerance: sessionTokenClockTolerance });
  // Unset: the global fetch, looked up per call, so instrumentation that wraps it later still sees exchanges.
  const exchangeFetch = origin === undefined ? undefined : originFetch(origin);
  const exchange = singleFlight(async (shop: string, sessionToken: string) => {
    // A request that loaded nothing just before another one's exchange stored the session.
    const stored = await loadOffline(shop);
    if (stored && !isExpired(stored)) {
      return { ok: true as const, session: stored };
    }
    const result = await exchangeSessionToken({ shop, sessionToken, libraries, fetch: exchangeFetch });
    if (result.ok) await sessionStorage.storeSession(result.session);
    return result;
  });
  const authenticateAdminRequest = (request: Request) =>
    authenticateAdmin(request, {
      verify: verifyToken,
      loadOffline,
      exchange,
      adminFor: (session) => answeringHttpErrors(adminClientsFor(session).admin),
      warn,
    });
  const adminClientsFor = (session: Session) =>
    withRevokedTokenHandling(clientsFor(session), async () => {
      warn({ reason: "revoked-access-token", shop: session.shop }, "Shopify refused the stored access token");
      await sessionStorage.deleteSession(session.id);
    });

  return {
    authenticate: {
      admin: async (request) => authenticateAdminRequest(webRequestOf(request)),
      webhook: async (request) =>
        authenticateWebhook(webRequestOf(request), {
          secrets,
          store: webhookStore,
          bodyLimit: webhookBodyLimit,
          loadOffline,
          // As Shopify's: an HTTP error of the Admin API is thrown as a Response with its status.
          adminFor: (session) => answeringHttpErrors(adminFor(session)),
          reportError: (error, message) => webhookLog.error({ err: error }, message),
        }),
      public: {
        async appProxy(proxied) {
          const request = webRequestOf(proxied);
          let shop: string;
          try {
            shop = verify(request).shop;
          } catch (error) {
            // Shopify's `authenticate.*` throw Responses; the route boundary sends them as they are.
            if (isHttpError(error))
              throw new Response(undefined, { status: 401, statusText: "Unauthorized" });
            throw error;
          }
          const session = await loadOffline(shop);
          if (!session) return { session: undefined, admin: undefined, storefront: undefined, liquid };
          return { session, admin: clientsFor(session).admin, storefront: storefrontFor(session), liquid };
        },
      },
    },
    async adminIdentity(request) {
      // Another scheme (Basic auth in front of a staging deployment, say) is not a session token:
      // leave it to the other sources rather than refuse every request that carries one.
      if (!/^Bearer(\s|$)/i.test(request.headers.get("authorization") ?? "")) return undefined;
      const source: SessionTokenSource = sessionTokenOf(request, { allowQuery: false });
      if (source.token === undefined) {
        if (source.reason === "missing") return undefined;
        warn({ reason: source.reason }, "Admin request refused");
        throw invalidSessionResponse();
      }
      const verified = await verifyToken(source.token);
      if (!verified.ok) {
        warn({ reason: verified.reason }, "Admin request refused: invalid session token");
        throw invalidSessionResponse();
      }
      const identity: ShopifyAdminIdentity = { role: SHOPIFY_ADMIN_ROLE, shop: verified.shop };
      return identity;
    },
    async adminContext(request) {
      const context = await authenticateAdminRequest(request);
      return {
        ...context,
        shopify: {
          current: adminClientsFor(context.session).connection,
          currentShop: { myshopifyDomain: context.shop },
        },
      };
    },
    async proxyContext(request) {
      const context = verify(request);
      const session = await loadOffline(context.shop);
      return {
        ...context,
        shopify: {
          current: session ? clientsFor(session).connection : undefined,
          currentShop: { myshopifyDomain: context.shop },
        },
      };
    },
    shopifyWebhook({ onEvent, store = webhookStore, secrets: routeSecrets = secrets, ...options }) {
      if (store === undefined) {
        throw new TypeError("shopifyWebhook: give a `store`, here or as `webhooks.store` of shopifyApp");
      }
      if (typeof onEvent !== "function") throw new TypeError("shopifyWebhook: onEvent must be a function");
      return webhookRoute({
        ...options,
        provider: "shopify",
        secrets: routeSecrets,
        store,
        onEvent: webhookHandler(onEvent),
      });
    },
    webhookHandler,
    unauthenticated: {
      async admin(shop) {
        const session = await requireOffline(shop);
        return { session, admin: answeringHttpErrors(adminClientsFor(session).admin) };
      },
      async storefront(shop) {
        const session = await requireOffline(shop);
        return { session, storefront: storefrontFor(session) };
      },
    },
    sessionStorage,
    offlineSessionId,
  };

  async function requireOffline(shop: string): Promise<Session> {
    const session = await loadOffline(shop);
    if (session === undefined) {
      throw new SessionNotFoundError(`Could not find an offline session for shop ${shop}`);
    }
    return session;
  }

  function storefrontFor(session: Session): AdminApiContext {
    const clientFor = perApiVersion((version) => {
      const client = new library.clients.Storefront(
        version === undefined ? { session } : { session, apiVersion: version as ApiVersion },
      );
      if (storefrontFetch !== undefined) {
        // As for the Admin API: the library's client always calls `https://{shop}`, so give it an
        // inner client whose fetch goes to the stand-in. Retries and errors stay the library's.
        (client as { client: typeof client.client }).client = createStorefrontApiClient({
          storeDomain: session.shop,
          apiVersion: version ?? apiVersion,
          privateAccessToken: session.accessToken ?? "",
          clientName: "Sprocket",
          customFetchApi: storefrontFetch,
        });
      }
      return client;
    });
    return {
      graphql: async (query, { variables, apiVersion: version, headers, tries = 1, signal } = {}) => {
        const response = await clientFor(version).request(query, {
          variables,
          headers,
          retries: Math.max(0, tries - 1),
          ...(signal === undefined ? {} : { signal }),
        } as Parameters<InstanceType<typeof library.clients.Storefront>["request"]>[1]);
        return new Response(JSON.stringify(response), {
          headers: { "content-type": "application/json; charset=utf-8" },
        });
      },
    };
  }
}

function hostOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.host : undefined;
  } catch {
    return undefined;
  }
}
