// One Prisma client (and pg pool) per server process, shared by every route of the benchmark, on
// DATABASE_URL with DATABASE_POOL_MAX connections (pg's default of 10 when unset), as in the demo.
import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../../../apps/demo/lib/generated/prisma/client";
import { createPrismaWebhookInboxStore } from "../../../apps/demo/lib/webhook-inbox";

const globalForPrisma = globalThis as { benchPrisma?: PrismaClient; benchPool?: pg.Pool };

/** The pool Prisma's adapter runs on, as the demo's `pgPool`. */
export function pool(): pg.Pool {
  const max = process.env.DATABASE_POOL_MAX ? Number(process.env.DATABASE_POOL_MAX) : undefined;
  if (globalForPrisma.benchPool === undefined) {
    globalForPrisma.benchPool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max });
    // As the demo's: a dropped idle connection is removed, not a crash.
    globalForPrisma.benchPool.on("error", () => {});
  }
  return globalForPrisma.benchPool;
}

export function db(): PrismaClient {
  globalForPrisma.benchPrisma ??= new PrismaClient({ adapter: new PrismaPg(pool()) });
  return globalForPrisma.benchPrisma;
}

/** The demo's inbox store, on this process's client and pool, as the demo configures it. */
export const inboxStore = createPrismaWebhookInboxStore(db, { pool });

/** The signing secret the benchmark signs with. */
export function webhookSecret(): string {
  const secret = process.env.BENCH_WEBHOOK_SECRET;
  if (!secret) throw new Error("BENCH_WEBHOOK_SECRET is not set");
  return secret;
}

/**
 * The peers' single statement: the same row and unique key as the inbox store's insert, through the
 * same pool, with the body handed to PostgreSQL as text to parse as jsonb. Resolves to whether the
 * row is new.
 */
export async function insertDelivery(delivery: {
  deliveryId: string;
  topic: string;
  shop: string;
  body: string;
}): Promise<boolean> {
  const receivedAt = new Date();
  const inserted = await db().$executeRaw`
    INSERT INTO "WebhookEvent" ("id", "provider", "deliveryId", "topic", "shop", "payload", "receivedAt", "nextAttemptAt")
    VALUES (${randomUUID()}, 'shopify', ${delivery.deliveryId}, ${delivery.topic}, ${delivery.shop},
            ${delivery.body}::jsonb, ${receivedAt}, ${receivedAt})
    ON CONFLICT ("provider", "deliveryId") DO NOTHING`;
  return inserted > 0;
}

/** `create()` on first use: `next build` loads route modules without the benchmark's environment. */
export function lazy<Value>(create: () => Value): () => Value {
  let value: Value | undefined;
  return () => {
    value ??= create();
    return value;
  };
}
