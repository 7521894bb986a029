// Global setup, run once after the demo is up and before any test: starts the Admin GraphQL
// stand-in on its fixed port (the demo's SHOPIFY_ADMIN_ORIGIN) with a small endpoint reporting what
// it received (the specs run in worker processes), and stores the shop's offline session and a
// customer row, and the embedded admin spec's chats (admin-fixtures.ts), in the demo's database:
// E2E_DATABASE_URL when the run uses a PostgreSQL server, else the embedded database, reached on
// the port the config gave it.
import { createServer } from "node:http";
import type { FullConfig } from "@playwright/test";
import { startShopifyAdminServer } from "@sprocket/dev/shopify-admin";
import pg from "pg";
import { storeAdminChats } from "./admin-fixtures";
import { E2E_SHOPIFY, e2eDatabaseUrl, e2eShopifyPorts } from "./shopify";

export default async function shopifySetup(config: FullConfig): Promise<() => Promise<void>> {
  const baseURL = config.projects[0]?.use.baseURL;
  if (!baseURL) throw new Error("the e2e config has no baseURL");
  const ports = e2eShopifyPorts(baseURL);

  // Before anything else can fail, so nothing is left listening.
  await storeShop(e2eDatabaseUrl(baseURL));

  const admin = await startShopifyAdminServer({ accessTokens: [E2E_SHOPIFY.accessToken], port: ports.admin });
  const report = createServer((request, response) => {
    if (request.method !== "GET" || request.url !== "/requests") {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(admin.requests));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      report.once("error", reject);
      report.listen(ports.adminRequests, "127.0.0.1", resolve);
    });
  } catch (error) {
    await admin.stop();
    throw error;
  }

  return async () => {
    await new Promise<void>((resolve) => {
      report.close(() => resolve());
      report.closeAllConnections();
    });
    await admin.stop();
  };
}

/**
 * The shop's offline session (Shopify's `offline_{shop}` id, as the demo's PrismaSessionStorage
 * stores it) and one customer with customData, written with `pg` while no test runs yet: the
 * embedded database answers one connection's queries at a time reliably.
 */
async function storeShop(connectionString: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { shop, accessToken, customer } = E2E_SHOPIFY;
    await client.query(
      `INSERT INTO "ShopifySession" ("id", "shop", "state", "isOnline", "accessToken")
       VALUES ($1, $2, '', false, $3)
       ON CONFLICT ("id") DO UPDATE SET "shop" = EXCLUDED."shop", "accessToken" = EXCLUDED."accessToken"`,
      [`offline_${shop}`, shop, accessToken],
    );
    await client.query(
      `INSERT INTO "ShopifyCustomer" ("id", "shop", "customData", "updatedAt")
       VALUES ($1, $2, $3, now())
       ON CONFLICT ("id") DO UPDATE SET "shop" = EXCLUDED."shop", "customData" = EXCLUDED."customData"`,
      [customer.id, shop, JSON.stringify(customer.customData)],
    );
    await storeAdminChats(client);
  } finally {
    await client.end();
  }
}
