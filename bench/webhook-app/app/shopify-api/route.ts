// @shopify/shopify-api's webhooks.validate (HMAC and required headers, on its Web API adapter),
// then the same single INSERT as the bare route.
import "@shopify/shopify-api/adapters/web-api";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { insertDelivery, lazy, webhookSecret } from "../../lib/bench-database";

const shopify = lazy(() =>
  shopifyApi({
    apiKey: "bench",
    apiSecretKey: webhookSecret(),
    apiVersion: ApiVersion.January26,
    hostName: "localhost",
    isEmbeddedApp: false,
    logger: { level: LogSeverity.Error },
  }),
);

export async function POST(request: Request): Promise<Response> {
  const rawBody = await request.text();
  const check = await shopify().webhooks.validate({ rawBody, rawRequest: request });
  if (!check.valid) return new Response(null, { status: 401 });
  const deliveryId = request.headers.get("x-shopify-event-id") ?? check.webhookId;
  await insertDelivery({ deliveryId, topic: check.topic, shop: check.domain, body: rawBody });
  return new Response(null, { status: 200 });
}
