// Sprocket's Shopify webhook route with the handler's run after each answer (Next.js's `after`):
// claim, a no-op handler, complete; two more statements per new delivery, after the response.
import { after } from "next/server";
import { sprocketShopifyRoute } from "../../lib/sprocket-route";

export const POST = sprocketShopifyRoute(after);
