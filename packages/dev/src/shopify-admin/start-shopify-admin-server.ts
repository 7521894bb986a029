import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse, STATUS_CODES } from "node:http";
import type { AddressInfo } from "node:net";
import { jwtVerify } from "jose";

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" } as const;
/** Request bodies past this size are refused, as Shopify refuses oversized queries. */
const BODY_LIMIT = 1024 * 1024;
/** The Admin GraphQL endpoint: `/admin/api/{version}/graphql.json`. */
const GRAPHQL_PATH = /^\/admin\/api\/([^/]+)\/graphql\.json$/;
/** Shopify's token endpoint: authorization codes and, for embedded apps, token exchange. */
const TOKEN_PATH = "/admin/oauth/access_token";
const TOKEN_EXCHANGE_GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
const OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token";
/** A shop's permanent domain, as session tokens name it in `dest`. */
const SHOP_URL = /^https:\/\/([a-z0-9][a-z0-9-]*\.myshopify\.com)$/;
/** Shopify's answer to a missing or unknown access token. */
const INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)";

/** A customer the stand-in knows, answered to `customer(id:)` queries. */
export interface ShopifyAdminCustomer {
  /** The numeric id; the GraphQL id is `gid://shopify/Customer/{id}`. */
  id: string;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
}

/** One GraphQL request the stand-in received with a valid token. */
export interface ShopifyAdminRequest {
  apiVersion: string;
  accessToken: string;
  query: string;
  variables: Record<string, unknown>;
}

/** The app whose session tokens the stand-in exchanges for offline access tokens. */
export interface ShopifyAdminApp {
  /** The client id: `client_id` and the session token's `aud`. */
  apiKey: string;
  /** The client secrets accepted as `client_secret` and for the session token's HS256 signature. */
  secrets: readonly string[];
  /** The scopes answered with an exchanged token. Default: "read_customers,write_customers". */
  scope?: string;
}

export interface ShopifyAdminServerOptions {
  /** The access tokens accepted in `X-Shopify-Access-Token`. Required unless `app` is given. */
  accessTokens?: readonly string[];
  /**
   * Turns on token exchange: `POST /admin/oauth/access_token` swaps this app's session tokens for
   * offline access tokens, which the GraphQL endpoint then accepts. Default: off (404).
   */
  app?: ShopifyAdminApp;
  /** Customers for `customer(id:)` queries. Default: none. */
  customers?: readonly ShopifyAdminCustomer[];
  /** TCP port. Default: 0 (any free port; read it from `origin`). */
  port?: number;
  /** Host to bind. Default: "127.0.0.1". */
  host?: string;
}

export interface ShopifyAdminServer {
  /** `http://127.0.0.1:{port}`: the value for `SHOPIFY_ADMIN_ORIGIN`. */
  origin: string;
  /** Every request with a valid token, oldest first. */
  readonly requests: readonly ShopifyAdminRequest[];
  /** Metafields set so far, keyed `{ownerId} {namespace}.{key}`. */
  readonly metafields: ReadonlyMap<string, string>;
  /** Successful token exchanges of a shop so far. */
  exchangeCount(shop: string): number;
  /**
   * Makes token exchange for `shop` answer as Shopify does for a shop without the app: 400
   * `invalid_subject_token`; its exchanged tokens stop working too. `install` undoes it.
   */
  uninstall(shop: string): void;
  /** Lets `shop` exchange tokens again after {@link ShopifyAdminServer.uninstall}. */
  install(shop: string): void;
  /**
   * Makes the next `count` GraphQL requests with a valid token (still listed in `requests`) fail
   * with `status` and Shopify's JSON error body: 429 (throttled, with `Retry-After`) and 503 are
   * the answers Shopify's clients try again.
   */
  failNext(status: number, count?: number): void;
  /** Closes the server and its connections. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts a stand-in for Shopify's Admin GraphQL API on this machine, speaking its JSON shape:
 * `POST /admin/api/{version}/graphql.json` with `X-Shopify-Access-Token`, answering the
 * `metafieldsSet` mutation (a blank value is a user error, as on Shopify) and `customer(id:)`
 * queries; anything else gets a top-level GraphQL error. A wrong token gets Shopify's 401.
 *
 * With `app`, `POST /admin/oauth/access_token` also does Shopify's token exchange: a JSON or form
 * body with `client_id`, `client_secret`, `grant_type` (token exchange), `subject_token` (a session
 * token, HS256 with one of the app's secrets, for its `aud`, within its `exp`), `subject_token_type`
 * (id token) and `requested_token_type` (offline) answers `{ access_token, scope }`. The shop is the
 * token's `dest` (requests reach the stand-in on its own host). A wrong client gets 401
 * `invalid_client`; a bad or foreign subject token, or an uninstalled shop, 400
 * `invalid_subject_token`; anything else malformed, 400 `invalid_request`.
 *
 * @example
 * const admin = await startShopifyAdminServer({ accessTokens: ["shpat_test"] });
 * process.env.SHOPIFY_ADMIN_ORIGIN = admin.origin;
 * // ... admin.requests shows what the app sent
 * await admin.stop();
 */
export async function startShopifyAdminServer({
  accessTokens,
  customers = [],
  port = 0,
  host = "127.0.0.1",
  app,
}: ShopifyAdminServerOptions): Promise<ShopifyAdminServer> {
  if (!Array.isArray(accessTokens ?? []) || (app === undefined && (accessTokens ?? []).length === 0)) {
    throw new TypeError("startShopifyAdminServer: `accessTokens` needs at least one token");
  }
  if (app !== undefined && (typeof app.apiKey !== "string" || !app.secrets?.length)) {
    throw new TypeError("startShopifyAdminServer: `app` needs an apiKey and at least one secret");
  }
  const tokens = new Set(accessTokens);
  const exchanges = new Map<string, number>();
  const uninstalled = new Set<string>();
  // The shop each exchanged token was issued for: uninstalling a shop revokes them.
  const exchangedTokens = new Map<string, string>();
  const customersById = new Map(customers.map((customer) => [customerGid(customer.id), customer]));
  const requests: ShopifyAdminRequest[] = [];
  const metafields = new Map<string, string>();
  const failures: number[] = [];

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? "/", "http://stand-in").pathname;
    if (path === TOKEN_PATH && request.method === "POST" && app !== undefined) {
      const answer = await exchangeToken(app, await readBody(request), request.headers["content-type"]);
      if (answer.status === 200 && answer.shop !== undefined) {
        if (uninstalled.has(answer.shop)) {
          return send(response, 400, {
            error: "invalid_subject_token",
            error_description: "Subject token is invalid",
          });
        }
        exchanges.set(answer.shop, (exchanges.get(answer.shop) ?? 0) + 1);
        const accessToken = `shpat_exchanged_${randomUUID().replaceAll("-", "")}`;
        exchangedTokens.set(accessToken, answer.shop);
        return send(response, 200, { access_token: accessToken, scope: app.scope ?? DEFAULT_SCOPE });
      }
      return send(response, answer.status, answer.body);
    }
    const match = GRAPHQL_PATH.exec(path);
    if (!match || request.method !== "POST") return send(response, 404, { errors: "Not Found" });
    const accessToken = request.headers["x-shopify-access-token"];
    const exchangedFor = typeof accessToken === "string" ? exchangedTokens.get(accessToken) : undefined;
    const isExchanged = exchangedFor !== undefined && !uninstalled.has(exchangedFor);
    if (typeof accessToken !== "string" || !(tokens.has(accessToken) || isExchanged)) {
      return send(response, 401, { errors: INVALID_TOKEN });
    }
    let body: { query?: unknown; variables?: unknown };
    try {
      body = JSON.parse(await readBody(request));
    } catch {
      return send(response, 400, { errors: { query: "Required parameter missing or invalid" } });
    }
    const query = typeof body.query === "string" ? body.query : "";
    const variables = (body.variables ?? {}) as Record<string, unknown>;
    requests.push({ apiVersion: match[1]!, accessToken, query, variables });
    const failure = failures.shift();
    if (failure !== undefined) {
      const message = failure === 429 ? THROTTLED : (STATUS_CODES[failure] ?? "Error");
      return send(response, failure, { errors: message }, failure === 429 ? { "retry-after": "1.0" } : {});
    }
    if (/\bmetafieldsSet\s*\(/.test(query)) return send(response, 200, metafieldsSet(variables, metafields));
    if (/\bcustomer\s*\(/.test(query)) {
      const customer = customersById.get(String(variables.id)) ?? null;
      return send(response, 200, { data: { customer: customer && customerNode(customer) } });
    }
    return send(response, 200, {
      errors: [{ message: "The stand-in answers metafieldsSet and customer only" }],
    });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => send(response, 500, { errors: "Internal Server Error" }));
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as AddressInfo;
  let stopping: Promise<void> | undefined;
  return {
    origin: `http://${host}:${address.port}`,
    requests,
    metafields,
    exchangeCount: (shop) => exchanges.get(shop) ?? 0,
    uninstall: (shop) => void uninstalled.add(shop),
    install: (shop) => void uninstalled.delete(shop),
    failNext(status, count = 1) {
      if (!Number.isInteger(status) || status < 400 || status > 599) {
        throw new TypeError("failNext: status must be an HTTP error status (400-599)");
      }
      for (let index = 0; index < count; index++) failures.push(status);
    },
    stop() {
      stopping ??= new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}

const DEFAULT_SCOPE = "read_customers,write_customers";

type ExchangeAnswer =
  | { status: 200; shop: string; body?: undefined }
  | { status: 400 | 401; shop?: undefined; body: unknown };

/** Checks a token exchange request as Shopify does; the caller issues the token. */
async function exchangeToken(
  app: ShopifyAdminApp,
  raw: string,
  contentType: string | undefined,
): Promise<ExchangeAnswer> {
  const invalid = (error: string, description: string, status: 400 | 401 = 400): ExchangeAnswer => ({
    status,
    body: { error, error_description: description },
  });
  let fields: Record<string, unknown>;
  try {
    fields = contentType?.includes("application/x-www-form-urlencoded")
      ? Object.fromEntries(new URLSearchParams(raw))
      : JSON.parse(raw);
  } catch {
    return invalid("invalid_request", "The request body could not be parsed");
  }
  const { client_id, client_secret, grant_type, subject_token, subject_token_type, requested_token_type } =
    fields as Record<string, unknown>;
  if (client_id !== app.apiKey || typeof client_secret !== "string" || !app.secrets.includes(client_secret)) {
    return invalid("invalid_client", "Client authentication failed", 401);
  }
  if (grant_type !== TOKEN_EXCHANGE_GRANT_TYPE || subject_token_type !== ID_TOKEN_TYPE) {
    return invalid("invalid_request", "Unsupported grant or subject token type");
  }
  if (requested_token_type !== OFFLINE_TOKEN_TYPE) {
    return invalid("invalid_request", "The stand-in exchanges for offline access tokens only");
  }
  if (typeof subject_token !== "string") return invalid("invalid_subject_token", "Subject token is invalid");
  for (const secret of app.secrets) {
    try {
      const { payload } = await jwtVerify(subject_token, new TextEncoder().encode(secret), {
        algorithms: ["HS256"],
        audience: app.apiKey,
      });
      const shop = typeof payload.dest === "string" ? SHOP_URL.exec(payload.dest)?.[1] : undefined;
      if (shop === undefined) break;
      return { status: 200, shop };
    } catch {
      // Another secret may have signed it.
    }
  }
  return invalid("invalid_subject_token", "Subject token is invalid");
}

interface MetafieldInput {
  key?: string;
  namespace?: string;
  ownerId?: string;
  type?: string;
  value?: string;
}

function metafieldsSet(variables: Record<string, unknown>, store: Map<string, string>) {
  const inputs = (Array.isArray(variables.metafields) ? variables.metafields : []) as MetafieldInput[];
  const userErrors = inputs.flatMap((input, index) =>
    input.value ? [] : [{ field: ["metafields", String(index), "value"], message: "Value can't be blank." }],
  );
  // Shopify sets all or none.
  if (userErrors.length > 0) return { data: { metafieldsSet: { metafields: null, userErrors } } };
  for (const input of inputs)
    store.set(`${input.ownerId} ${input.namespace}.${input.key}`, input.value ?? "");
  const metafields = inputs.map(({ key, namespace, value }) => ({ key, namespace, value }));
  return { data: { metafieldsSet: { metafields, userErrors: [] } } };
}

const customerGid = (id: string) => (id.startsWith("gid://") ? id : `gid://shopify/Customer/${id}`);

function customerNode(customer: ShopifyAdminCustomer) {
  return {
    id: customerGid(customer.id),
    firstName: customer.firstName ?? null,
    lastName: customer.lastName ?? null,
    email: customer.email ?? null,
  };
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  if (response.headersSent) return;
  response.writeHead(status, { ...JSON_HEADERS, ...headers }).end(JSON.stringify(body));
}

/** Shopify's body for a throttled Admin API request. */
const THROTTLED =
  "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.";

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT) throw new Error("body too large");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
