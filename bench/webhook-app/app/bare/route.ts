// The floor for a durable inbox: node:crypto HMAC over the raw body, a constant-time compare, one
// INSERT ... ON CONFLICT DO NOTHING through the same pool, then 200. No logging, no JSON check in
// Node (PostgreSQL parses the jsonb), no timeout.
import { createHmac, timingSafeEqual } from "node:crypto";
import { insertDelivery, webhookSecret } from "../../lib/bench-database";

export async function POST(request: Request): Promise<Response> {
  const body = Buffer.from(await request.arrayBuffer());
  const presented = Buffer.from(request.headers.get("x-shopify-hmac-sha256") ?? "", "base64");
  const expected = createHmac("sha256", webhookSecret()).update(body).digest();
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
    return new Response(null, { status: 401 });
  }
  const { headers } = request;
  const deliveryId = headers.get("x-shopify-event-id") ?? headers.get("x-shopify-webhook-id");
  const topic = headers.get("x-shopify-topic");
  const shop = headers.get("x-shopify-shop-domain");
  if (!deliveryId || !topic || !shop) return new Response(null, { status: 400 });
  await insertDelivery({ deliveryId, topic, shop, body: body.toString("utf8") });
  return new Response(null, { status: 200 });
}
