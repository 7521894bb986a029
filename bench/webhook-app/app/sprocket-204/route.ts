// Diagnostic: Sprocket's route acknowledging first deliveries with 204 and no body (duplicates
// still answer 200 with JSON), to price the JSON acknowledgement in Next.js.
import { sprocketShopifyRoute } from "../../lib/sprocket-route";

export const POST = sprocketShopifyRoute(() => {}, { acknowledgeStatus: 204 });
