import { createAdminApiClient } from "@shopify/admin-api-client";
import type { GraphqlClient, Session } from "@shopify/shopify-api";

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

/** Options of Shopify's `admin.graphql(query, options)`. */
export interface AdminGraphqlOptions {
  variables?: GraphqlVariables;
  headers?: Record<string, string>;
  /** Attempts in all, for throttled (429) and unavailable (503) answers. Default: 3. */
  tries?: number;
}

/**
 * Shopify's shape, as in `authenticate.*(request).admin`: `graphql(query, { variables })` resolves
 * to a `Response` whose `json()` gives `{ data, extensions }`.
 */
export interface AdminApiContext {
  graphql(query: string, options?: AdminGraphqlOptions): Promise<Response>;
}

/** Attempts in all for one Admin GraphQL call: Shopify's clients retry 429 and 503 answers. */
export const ADMIN_GRAPHQL_TRIES = 3;

/** The constructor `shopifyApi(...).clients.Graphql`, configured with the app's API version. */
export type GraphqlClientClass = new (params: { session: Session }) => GraphqlClient;

interface AdminGraphqlParams {
  Graphql: GraphqlClientClass;
  session: Session;
  apiVersion: string;
  /** Sends requests to this origin instead of `https://{shop}`; for a local stand-in. */
  adminOrigin: string | undefined;
}

type AdminRequest = (
  query: string,
  options?: AdminGraphqlOptions,
) => Promise<{ data?: unknown; extensions?: unknown }>;

/** The one Admin GraphQL implementation both shapes are built on: `@shopify/shopify-api`'s client. */
function adminRequest({ Graphql, session, apiVersion, adminOrigin }: AdminGraphqlParams): AdminRequest {
  const client = new Graphql({ session });
  if (adminOrigin !== undefined) {
    // The library's client always calls `https://{shop}`: give it an inner client whose fetch goes to
    // the stand-in instead. Retries, throttling and error handling stay the library's.
    (client as { client: GraphqlClient["client"] }).client = createAdminApiClient({
      storeDomain: session.shop,
      apiVersion,
      accessToken: session.accessToken ?? "",
      userAgentPrefix: "Sprocket",
      customFetchApi: originFetch(adminOrigin),
    });
  }
  return async (query, { variables, headers, tries = ADMIN_GRAPHQL_TRIES } = {}) => {
    const response = await client.request(query, {
      variables,
      headers,
      retries: Math.max(0, tries - 1),
    });
    return { data: response.data, extensions: response.extensions };
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
      graphql: async (query, variables) => (await request(query, { variables })).data as never,
    },
    admin: {
      graphql: async (query, options) =>
        new Response(JSON.stringify(await request(query, options)), {
          headers: { "content-type": "application/json; charset=utf-8" },
        }),
    },
  };
}
