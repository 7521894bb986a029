import { createAdminApiClient } from "@shopify/admin-api-client";
import { type ApiVersion, type GraphqlClient, HttpResponseError, type Session } from "@shopify/shopify-api";

/** The variables of a GraphQL operation. */
export type GraphqlVariables = Record<string, unknown>;

/**
 * Gadget's shape, as in `connections.shopify.current`: `graphql(query, variables)` resolves to the
 * response's `data` and throws on top-level GraphQL errors.
 */
export interface ShopifyGraphqlConnection {
  // biome-ignore lint/suspicious/noExplicitAny: like Gadget's, results are untyped unless the caller says
  graphql<Data = any>(query: string, variables?: GraphqlVariables): Promise<Data>;
}

/** Options of Shopify's `admin.graphql(query, options)`, as Shopify's packages take them. */
export interface AdminGraphqlOptions {
  variables?: GraphqlVariables;
  /** The Admin API version of this call, such as `"2025-07"`. Default: the app's `apiVersion`. */
  apiVersion?: string;
  headers?: Record<string, string>;
  /**
   * Attempts in all, for throttled (429) and unavailable (503) answers. Default: 1, no retry, as
   * in Shopify's packages.
   */
  tries?: number;
  /** Cancels the call. */
  signal?: AbortSignal;
}

/**
 * Shopify's shape, as in `authenticate.*(request).admin`: `graphql(query, { variables })` resolves
 * to a `Response` whose `json()` gives `@shopify/shopify-api`'s result, `{ data, extensions,
 * headers }`.
 */
export interface AdminApiContext {
  graphql(query: string, options?: AdminGraphqlOptions): Promise<Response>;
}

/**
 * Attempts in all for one call of Gadget's shape (`connections.shopify.current.graphql`), which
 * takes no options: throttled (429) and unavailable (503) answers are tried again.
 */
export const ADMIN_GRAPHQL_TRIES = 3;

/** The constructor `shopifyApi(...).clients.Graphql`, configured with the app's API version. */
export type GraphqlClientClass = new (params: { session: Session; apiVersion?: ApiVersion }) => GraphqlClient;

interface AdminGraphqlParams {
  Graphql: GraphqlClientClass;
  session: Session;
  apiVersion: string;
  /** Sends requests to this origin instead of `https://{shop}`; for a local stand-in. */
  adminOrigin: string | undefined;
}

type AdminRequest = (
  query: string,
  options: AdminGraphqlOptions & { tries: number },
) => Promise<{ data?: unknown; extensions?: unknown; headers?: unknown }>;

/** The one Admin GraphQL implementation both shapes are built on: `@shopify/shopify-api`'s client. */
function adminRequest({ Graphql, session, apiVersion, adminOrigin }: AdminGraphqlParams): AdminRequest {
  const clientFor = perApiVersion((version): GraphqlClient => {
    // A version the library does not list yet is still sent as given.
    const client = new Graphql(
      version === undefined ? { session } : { session, apiVersion: version as ApiVersion },
    );
    if (adminOrigin !== undefined) {
      // The library's client always calls `https://{shop}`: give it an inner client whose fetch goes
      // to the stand-in instead. Retries, throttling, error handling and the version it asks each
      // request for stay the library's.
      (client as { client: GraphqlClient["client"] }).client = createAdminApiClient({
        storeDomain: session.shop,
        apiVersion: version ?? apiVersion,
        accessToken: session.accessToken ?? "",
        userAgentPrefix: "Sprocket",
        customFetchApi: originFetch(adminOrigin),
      });
    }
    return client;
  });
  return (query, { variables, apiVersion: version, headers, tries, signal }) =>
    clientFor(version).request(query, {
      variables,
      headers,
      retries: Math.max(0, tries - 1),
      ...(signal === undefined ? {} : { signal }),
    } as Parameters<GraphqlClient["request"]>[1]);
}

/**
 * `create` for each API version asked for (`undefined`: the app's own), made on first use and kept:
 * most apps only ever use their own.
 *
 * @example
 * const clientFor = perApiVersion((version) => new Graphql({ session, apiVersion: version }));
 */
export function perApiVersion<Client>(
  create: (version: string | undefined) => Client,
): (version: string | undefined) => Client {
  const clients = new Map<string | undefined, Client>();
  return (version) => {
    let client = clients.get(version);
    if (client === undefined) {
      client = create(version);
      clients.set(version, client);
    }
    return client;
  };
}

/** A `fetch` that keeps the path and query of every URL but sends it to `origin`. */
export function originFetch(origin: string): typeof fetch {
  return (input, init) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    return fetch(new URL(`${url.pathname}${url.search}`, origin), init);
  };
}

/**
 * The Admin API for a shop's session in both shapes, over one client: Gadget's `graphql(query,
 * variables)` resolving to `data`, and Shopify's `graphql(query, { variables })` resolving to a
 * `Response`. Top-level GraphQL errors reject with `@shopify/shopify-api`'s `GraphqlQueryError`.
 */
export function adminClients(params: AdminGraphqlParams): {
  connection: ShopifyGraphqlConnection;
  admin: AdminApiContext;
} {
  const request = adminRequest(params);
  return {
    connection: {
      graphql: async (query, variables) =>
        (await request(query, { variables, tries: ADMIN_GRAPHQL_TRIES })).data as never,
    },
    admin: {
      graphql: async (query, { tries = 1, ...options } = {}) =>
        new Response(JSON.stringify(await request(query, { ...options, tries })), {
          headers: { "content-type": "application/json; charset=utf-8" },
        }),
    },
  };
}

/**
 * Shopify's handling of a failed Admin API call where its packages answer for the app
 * (`authenticate.webhook`, `authenticate.admin`): an HTTP error from Shopify (`HttpResponseError`:
 * 403, 404, and a 429 or 5xx when no retry was asked for) is thrown as a `Response` with Shopify's
 * status and JSON body, which `route()`'s boundary sends as it is; any other failure (a GraphQL
 * error, the library's `HttpMaxRetriesError` once retries ran out) is thrown unchanged, as in
 * Shopify's packages.
 *
 * @example
 * const admin = answeringHttpErrors(adminClients(params).admin);
 */
export function answeringHttpErrors(admin: AdminApiContext): AdminApiContext {
  return {
    async graphql(query, options) {
      try {
        return await admin.graphql(query, options);
      } catch (error) {
        if (!(error instanceof HttpResponseError)) throw error;
        const contentType = error.response.headers?.["Content-Type"];
        throw new Response(JSON.stringify(error.response.body), {
          status: error.response.code,
          headers: { "content-type": String(contentType ?? "application/json") },
        });
      }
    },
  };
}
