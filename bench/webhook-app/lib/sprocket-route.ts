import { PrismaSessionStorage, shopifyApp } from "@sprocket/server/shopify";
import type { WebhookInboxStore, WebhookRouteOptions } from "@sprocket/server/webhooks";
import { db, inboxStore, lazy, webhookSecret } from "./bench-database";

/**
 * `shopifyWebhook` as an app configures it: verified with the app's secret, committed to the demo's
 * inbox store on Prisma, acknowledged after the commit. `after` decides whether the handler's run
 * (claim, no-op handler, complete) happens in this process after the answer.
 */
export function sprocketShopifyRoute(
  after: WebhookRouteOptions<"shopify">["after"],
  {
    store = inboxStore,
    acknowledgeStatus,
  }: { store?: WebhookInboxStore; acknowledgeStatus?: 200 | 202 | 204 } = {},
): (request: Request) => Promise<Response> {
  const handle = lazy(() =>
    shopifyApp({
      apiKey: "bench",
      apiSecretKey: webhookSecret(),
      apiVersion: "2026-01",
      sessionStorage: new PrismaSessionStorage(db().shopifySession),
    }).shopifyWebhook({ store, onEvent: async () => {}, after, acknowledgeStatus }),
  );
  return (request) => handle()(request);
}
