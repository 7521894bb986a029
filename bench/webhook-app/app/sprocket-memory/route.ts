// Diagnostic: Sprocket's Shopify route with a store that commits nothing and answers at once, to
// price the route's own work in Next.js apart from the database.
import { randomUUID } from "node:crypto";
import type { WebhookInboxStore } from "@sprocket/server/webhooks";
import { sprocketShopifyRoute } from "../../lib/sprocket-route";

const seen = new Set<string>();
const store: WebhookInboxStore = {
  insert: async ({ deliveryId }) => {
    if (seen.has(deliveryId)) return { isDuplicate: true };
    seen.add(deliveryId);
    return { id: randomUUID(), isDuplicate: false };
  },
  claim: async () => undefined,
  claimDue: async () => [],
  complete: async () => {},
  fail: async () => {},
  requeue: async () => "not-found",
  deleteReceivedBefore: async () => 0,
};

export const POST = sprocketShopifyRoute(() => {}, { store });
