// Stores a development store's offline session in the app's `ShopifySession` table, the row
// `PrismaSessionStorage` from `@sprocket/server/shopify` (and Shopify's own Prisma storage) reads.
import pg from "pg";

/**
 * A shop's permanent domain: one DNS label of lower-case letters, digits and hyphens under
 * `myshopify.com`. The same rule as `MYSHOPIFY_DOMAIN_PATTERN` of `@sprocket/server/shopify`
 * (this package cannot import it: the server package depends on this one for its tests).
 */
const MYSHOPIFY_DOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.myshopify\.com$/;

/** Whether `shop` is a `*.myshopify.com` domain as Shopify writes it (lower case). */
export function isShopDomain(shop: string): boolean {
  return MYSHOPIFY_DOMAIN.test(shop);
}

/** The id Shopify gives a shop's offline session: `offline_{shop}`. */
export function offlineSessionId(shop: string): string {
  return `offline_${shop}`;
}

/**
 * A row of the `ShopifySession` model: the columns of Shopify's
 * `@shopify/shopify-app-session-storage-prisma` schema, with the values `PrismaSessionStorage`
 * writes for an offline session (no user, no expiry, the user columns at their defaults).
 */
export interface OfflineSessionRow {
  id: string;
  shop: string;
  state: string;
  isOnline: false;
  scope: string | null;
  expires: null;
  accessToken: string;
  userId: null;
  firstName: null;
  lastName: null;
  email: null;
  accountOwner: false;
  locale: null;
  collaborator: false;
  emailVerified: false;
  refreshToken: null;
  refreshTokenExpires: null;
}

/** What {@link storeOfflineSession} takes. */
export interface OfflineSessionInput {
  /** The shop's `*.myshopify.com` domain. */
  shop: string;
  /** The Admin API access token (`shpat_...`), e.g. a custom app's. */
  accessToken: string;
  /** The granted scopes, comma-separated (`read_products,write_customers`). Default: none recorded. */
  scope?: string;
}

/**
 * The row for a shop's offline session, checked: throws a `TypeError` naming the problem (never
 * the token) when the shop is not a `*.myshopify.com` domain or the token is empty.
 *
 * @example
 * offlineSessionRow({ shop: "my-store.myshopify.com", accessToken: "shpat_...", scope: "read_products" });
 */
export function offlineSessionRow({ shop, accessToken, scope }: OfflineSessionInput): OfflineSessionRow {
  if (typeof shop !== "string" || !isShopDomain(shop)) {
    throw new TypeError(`not a shop domain: ${JSON.stringify(shop)} (expected e.g. my-store.myshopify.com)`);
  }
  if (typeof accessToken !== "string" || !accessToken.trim() || /\s/.test(accessToken)) {
    throw new TypeError("the access token must be a non-empty string without spaces");
  }
  const scopes = (scope ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  return {
    id: offlineSessionId(shop),
    shop,
    // Shopify's token exchange stores offline sessions with an empty state.
    state: "",
    isOnline: false,
    scope: scopes.length ? scopes.join(",") : null,
    expires: null,
    accessToken,
    userId: null,
    firstName: null,
    lastName: null,
    email: null,
    accountOwner: false,
    locale: null,
    collaborator: false,
    emailVerified: false,
    refreshToken: null,
    refreshTokenExpires: null,
  };
}

/** Where the sessions are: a PostgreSQL URL and, optionally, the model's table. */
export interface SessionDatabase {
  databaseUrl: string;
  /** The `ShopifySession` model's table. Default: `"ShopifySession"` (Prisma's name for the model). */
  table?: string;
}

/**
 * Writes (or replaces) the shop's offline session, as `PrismaSessionStorage.storeSession` would:
 * one parameterized upsert on the session id. Resolves to the session id.
 *
 * @example
 * await storeOfflineSession({ databaseUrl, shop: "my-store.myshopify.com", accessToken: "shpat_..." });
 */
export async function storeOfflineSession({
  databaseUrl,
  table,
  ...input
}: SessionDatabase & OfflineSessionInput): Promise<string> {
  const row = offlineSessionRow(input);
  const columns = Object.keys(row) as (keyof OfflineSessionRow)[];
  const names = columns.map(quoteIdentifier);
  const updates = names.filter((name) => name !== '"id"').map((name) => `${name} = EXCLUDED.${name}`);
  await withClient(databaseUrl, (client) =>
    client.query(
      `INSERT INTO ${tableName(table)} (${names.join(", ")})
       VALUES (${columns.map((_, index) => `$${index + 1}`).join(", ")})
       ON CONFLICT ("id") DO UPDATE SET ${updates.join(", ")}`,
      columns.map((column) => row[column]),
    ),
  );
  return row.id;
}

/**
 * Deletes the shop's offline session. Resolves to whether there was one.
 *
 * @example
 * await deleteOfflineSession({ databaseUrl, shop: "my-store.myshopify.com" });
 */
export async function deleteOfflineSession({
  databaseUrl,
  table,
  shop,
}: SessionDatabase & { shop: string }): Promise<boolean> {
  if (typeof shop !== "string" || !isShopDomain(shop)) {
    throw new TypeError(`not a shop domain: ${JSON.stringify(shop)} (expected e.g. my-store.myshopify.com)`);
  }
  const result = await withClient(databaseUrl, (client) =>
    client.query(`DELETE FROM ${tableName(table)} WHERE "id" = $1`, [offlineSessionId(shop)]),
  );
  return (result.rowCount ?? 0) > 0;
}

function tableName(table = "ShopifySession"): string {
  return table.split(".").map(quoteIdentifier).join(".");
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

async function withClient<T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
