import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" } as const;
/** Request bodies past this size are refused, as Shopify refuses oversized queries. */
const BODY_LIMIT = 1024 * 1024;
/** The Admin GraphQL endpoint: `/admin/api/{version}/graphql.json`. */
const GRAPHQL_PATH = /^\/admin\/api\/([^/]+)\/graphql\.json$/;
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

export interface ShopifyAdminServerOptions {
  /** The access tokens accepted in `X-Shopify-Access-Token`. Required. */
  accessTokens: readonly string[];
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
  /** Closes the server and its connections. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts a stand-in for Shopify's Admin GraphQL API on this machine, speaking its JSON shape:
 * `POST /admin/api/{version}/graphql.json` with `X-Shopify-Access-Token`, answering the
 * `metafieldsSet` mutation (a blank value is a user error, as on Shopify) and `customer(id:)`
 * queries; anything else gets a top-level GraphQL error. A wrong token gets Shopify's 401.
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
}: ShopifyAdminServerOptions): Promise<ShopifyAdminServer> {
  if (!Array.isArray(accessTokens) || accessTokens.length === 0) {
    throw new TypeError("startShopifyAdminServer: `accessTokens` needs at least one token");
  }
  const tokens = new Set(accessTokens);
  const customersById = new Map(customers.map((customer) => [customerGid(customer.id), customer]));
  const requests: ShopifyAdminRequest[] = [];
  const metafields = new Map<string, string>();

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? "/", "http://stand-in").pathname;
    const match = GRAPHQL_PATH.exec(path);
    if (!match || request.method !== "POST") return send(response, 404, { errors: "Not Found" });
    const accessToken = request.headers["x-shopify-access-token"];
    if (typeof accessToken !== "string" || !tokens.has(accessToken)) {
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
    stop() {
      stopping ??= new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopping;
    },
  };
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

function send(response: ServerResponse, status: number, body: unknown) {
  if (response.headersSent) return;
  response.writeHead(status, JSON_HEADERS).end(JSON.stringify(body));
}

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
