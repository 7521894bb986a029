// The widget's token off Shopify: the loader on an allowed host page asks for an anonymous visitor
// token, and sends back the visitor key it was given last time to stay the same visitor. Other
// origins (and requests without one) are refused, preflight included.
import { type RouteHandler, route } from "@sprocket/server";
import { z } from "zod";
import { addressKey, widgetLimiters } from "@/lib/widget/limits";
import { requireWidgetOrigin, WIDGET_CORS, widgetSecret } from "@/lib/widget/settings";
import { issueWidgetToken, visitorIdOf } from "@/lib/widget/token";

export const dynamic = "force-dynamic";

const TokenRequestBody = z.object({ visitorKey: z.string().max(2048).optional() }).strict();
type TokenRequestBody = z.infer<typeof TokenRequestBody>;

const handler: RouteHandler<TokenRequestBody> = async ({ request, reply }) => {
  const secret = widgetSecret();
  // A missing, forged or expired key starts a new visitor: nobody can name someone else's id.
  const visitorId = (await visitorIdOf(request.body.visitorKey, secret)) ?? crypto.randomUUID();
  reply.header("cache-control", "no-store");
  await reply.send(await issueWidgetToken({ kind: "visitor", visitorId, shop: null }, secret));
};

export const POST = route(handler, {
  schema: { body: TokenRequestBody },
  bodyLimit: 4096,
  cors: WIDGET_CORS,
  onRequest: [
    requireWidgetOrigin,
    (context) => widgetLimiters().tokens.hook(({ request }) => addressKey(request.ip))(context),
  ],
});
export const OPTIONS = POST;
