// The demo's Shopify app: configured once from SHOPIFY_* on first use (not at import: `next build`
// loads routes without the settings), and the route factory for app-proxy routes.
import { HttpError, isHttpError, route } from "@sprocket/server";
import {
  type AuthenticatedRequest,
  PrismaSessionStorage,
  type ShopifyApp,
  shopifyApp,
} from "@sprocket/server/shopify";
import { modelApi } from "./api";
import { config } from "./config";
import { db, pgPool } from "./db";
import { openai } from "./openai";
import { createPrismaWebhookInboxStore } from "./webhook-inbox";

/** The Admin API version the demo's queries are written for. */
export const SHOPIFY_API_VERSION = "2026-01";

let app: ShopifyApp | undefined;

/** The Shopify app; a 503 naming the missing settings when SHOPIFY_API_KEY/SHOPIFY_API_SECRET are unset. */
export function shopify(): ShopifyApp {
  if (app) return app;
  const settings = config().shopify;
  if (!settings) {
    throw new HttpError(
      "SERVICE_UNAVAILABLE",
      "The Shopify app is not configured: set SHOPIFY_API_KEY and SHOPIFY_API_SECRET (see README.md).",
    );
  }
  app = shopifyApp({
    apiKey: settings.apiKey,
    apiSecretKey: settings.secrets,
    apiVersion: SHOPIFY_API_VERSION,
    sessionStorage: new PrismaSessionStorage(db().shopifySession),
    adminOrigin: settings.adminOrigin,
    // The same inbox as the webhook routes: `authenticate.webhook` records deliveries there.
    webhooks: { store: createPrismaWebhookInboxStore(db, { pool: pgPool }) },
  });
  return app;
}

/**
 * Shopify's `authenticate`, as Shopify's packages export it: `authenticate.admin(request)`,
 * `authenticate.public.appProxy(request)` and `authenticate.webhook(request)`.
 */
export const authenticate = {
  admin: (request: AuthenticatedRequest) => shopify().authenticate.admin(request),
  webhook: (request: AuthenticatedRequest) => shopify().authenticate.webhook(request),
  public: {
    appProxy: (request: AuthenticatedRequest) => shopify().authenticate.public.appProxy(request),
  },
};

/**
 * `route` for paths behind the app proxy: the signature is checked before anything else (a plain
 * 401 otherwise), `api` runs as the storefront customer (never signed in: Shopify strips cookies),
 * and `connections.shopify` is the shop's Admin API. A logged-in customer's row is created on first
 * sight.
 */
export const proxyRoute = route.with({
  context: async ({ request }) => {
    const proxied = await shopify().proxyContext(request.raw);
    const { shop, customerId } = proxied;
    if (customerId !== null) await rememberCustomer(shop, customerId);
    return {
      api: modelApi().forIdentity({ role: "storefront-customer", shop, customerId }),
      connections: {
        get openai() {
          return openai();
        },
        shopify: proxied.shopify,
      },
    };
  },
});

/**
 * `route` for the app's page in the Shopify admin: `authenticate.admin` runs first (its retryable
 * 401 otherwise; the shop's first request exchanges the session token for an offline session),
 * `api` runs as the "shopify-admin" role of the token's shop, and `connections.shopify.current` is
 * the shop's Admin API.
 *
 * @example
 * export const GET = adminRoute(async ({ connections, reply }) => {
 *   const { shop } = await connections.shopify.current!.graphql("{ shop { name } }");
 *   await reply.send({ name: shop.name });
 * });
 */
export const adminRoute = route.with({
  context: async ({ request }) => {
    const admin = await shopify().adminContext(request.raw);
    return {
      api: modelApi().forIdentity({ role: "shopify-admin", shop: admin.shop }),
      connections: {
        get openai() {
          return openai();
        },
        shopify: admin.shopify,
      },
    };
  },
});

async function rememberCustomer(shop: string, customerId: string): Promise<void> {
  const customers = modelApi().internal.shopifyCustomer;
  if (await customers.maybeFindOne(customerId, { select: { id: true } })) return;
  try {
    await customers.create({ id: customerId, shop });
  } catch (error) {
    // Two first requests at once: the other one created it.
    if (!(isHttpError(error) && error.code === "CONFLICT")) throw error;
  }
}
