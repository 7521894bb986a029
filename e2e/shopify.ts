// The Shopify app the e2e run configures the demo with, shared by the config, the global setup and
// the specs: the app's credentials, a development shop with its offline session and a customer, and
// the fixed ports of the local Admin GraphQL stand-in and the embedded database.

export const E2E_SHOPIFY = {
  apiKey: "e2e-api-key",
  /** The app's API secret: proxy URLs are signed with it. */
  secret: "e2e-proxy-secret",
  shop: "sprocket-e2e.myshopify.com",
  /** The shop's offline access token, the only one the Admin stand-in accepts. */
  accessToken: "shpat_e2e_offline",
  /** A customer the global setup stores with this customData. */
  customer: { id: "7001", customData: { points: 42, tier: "gold" } },
} as const;

/**
 * The ports next to the demo's: the Admin stand-in (`SHOPIFY_ADMIN_ORIGIN`), the endpoint that
 * reports what the stand-in received, and the embedded database (`--db-port`), so the global setup
 * can store the shop's offline session in the database the demo uses.
 */
export function e2eShopifyPorts(baseURL: string) {
  const port = Number(new URL(baseURL).port);
  return { admin: port + 1, adminRequests: port + 2, database: port + 3 };
}

/** The URL the embedded database the e2e config starts on `port` serves (see startEmbeddedPostgres in @sprocket/dev). */
export function embeddedDatabaseUrl(port: number): string {
  return `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
}

/** The demo's database in this run: E2E_DATABASE_URL, else the embedded one beside `baseURL`. */
export const e2eDatabaseUrl = (baseURL: string) =>
  process.env.E2E_DATABASE_URL || embeddedDatabaseUrl(e2eShopifyPorts(baseURL).database);

/** `GET` answers every Admin GraphQL request the stand-in received so far, as JSON. */
export const adminRequestsUrl = (baseURL: string) =>
  `http://127.0.0.1:${e2eShopifyPorts(baseURL).adminRequests}/requests`;
