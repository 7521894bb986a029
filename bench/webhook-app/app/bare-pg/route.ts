// Diagnostic: the bare route with node-postgres directly instead of Prisma, to price Prisma's part.
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import pg from "pg";
import { lazy, webhookSecret } from "../../lib/bench-database";

const pool = lazy(
  () =>
    new pg.Pool({
      connectionString: process.env.DATABASE_URL,
      max: process.env.DATABASE_POOL_MAX ? Number(process.env.DATABASE_POOL_MAX) : 10,
    }),
);

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
  const receivedAt = new Date();
  await pool().query(
    `INSERT INTO "WebhookEvent" ("id", "provider", "deliveryId", "topic", "shop", "payload", "receivedAt", "nextAttemptAt")
     VALUES ($1, 'shopify', $2, $3, $4, $5::jsonb, $6, $6)
     ON CONFLICT ("provider", "deliveryId") DO NOTHING`,
    [randomUUID(), deliveryId, topic, shop, body.toString("utf8"), receivedAt],
  );
  return new Response(null, { status: 200 });
}
