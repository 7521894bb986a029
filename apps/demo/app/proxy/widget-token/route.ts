// The widget's token on a Shopify storefront: the loader asks through the app proxy
// (GET /apps/{subpath}/widget-token), so Shopify signs the request and names the logged-in customer.
// A customer's token reaches their own conversations in this shop; anyone else gets a visitor token
// for this shop, kept across visits by the visitor key (`?visitorKey=`, inside Shopify's signature).
import { proxyRoute } from "@/lib/shopify";
import { widgetSecret } from "@/lib/widget/settings";
import { issueWidgetToken, visitorIdOf } from "@/lib/widget/token";

export const dynamic = "force-dynamic";

// No per-address token limit here: behind the proxy every request comes from Shopify's servers.
// Messages are limited where they are sent, POST /chat, which the frame calls directly.
export const GET = proxyRoute(async ({ request, reply }) => {
  const secret = widgetSecret();
  const shop = request.query.shop as string;
  const customerId = request.query.logged_in_customer_id;
  const visitorKey = request.query.visitorKey;
  const owner =
    typeof customerId === "string" && customerId !== ""
      ? ({ kind: "customer", customerId, shop } as const)
      : ({
          kind: "visitor",
          visitorId:
            (await visitorIdOf(typeof visitorKey === "string" ? visitorKey : undefined, secret)) ??
            crypto.randomUUID(),
          shop,
        } as const);
  reply.header("cache-control", "no-store");
  await reply.send(await issueWidgetToken(owner, secret));
});
