// Sprocket's Shopify webhook route, acknowledgement only: `after` drops the handler's run, so the
// row stays due for a drain and what is measured is verify, commit, answer.
import { sprocketShopifyRoute } from "../../lib/sprocket-route";

export const POST = sprocketShopifyRoute(() => {});
