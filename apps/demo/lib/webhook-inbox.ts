// The webhook inbox on the WebhookEvent table. Every method is one statement, atomic on its own,
// so any number of app instances share the table safely: duplicates are dropped by the unique
// (provider, deliveryId) key with ON CONFLICT DO NOTHING, and due events are claimed with
// FOR UPDATE SKIP LOCKED. Values travel as bind parameters ($queryRaw's tagged templates).
import { randomUUID } from "node:crypto";
import type { StoredWebhookEvent, WebhookInboxStore } from "@sprocket/server/webhooks";
import type { PrismaClient } from "./generated/prisma/client";

type Row = Omit<StoredWebhookEvent, "attempts"> & { attempts: number | bigint };

const toEvent = (row: Row): StoredWebhookEvent => ({ ...row, attempts: Number(row.attempts) });

/**
 * A {@link WebhookInboxStore} on Prisma. `prisma` may be a function, so route modules can create
 * the store at import without a database (as `next build` loads them).
 *
 * @example
 * const store = createPrismaWebhookInboxStore(db);
 */
export function createPrismaWebhookInboxStore(
  prisma: PrismaClient | (() => PrismaClient),
): WebhookInboxStore {
  const client = typeof prisma === "function" ? prisma : () => prisma;
  return {
    async insert({ provider, deliveryId, topic, shop, payload, payloadText, receivedAt }) {
      // The id is made here, so the statement needs no RETURNING: one row affected means inserted.
      // The text as received when the route has it: PostgreSQL parses it once, digits kept exact.
      const id = randomUUID();
      const json = payloadText ?? JSON.stringify(payload);
      const inserted = await client().$executeRaw`
        INSERT INTO "WebhookEvent" ("id", "provider", "deliveryId", "topic", "shop", "payload", "receivedAt", "nextAttemptAt")
        VALUES (${id}, ${provider}, ${deliveryId}, ${topic}, ${shop ?? null},
                ${json}::jsonb, ${receivedAt}, ${receivedAt})
        ON CONFLICT ("provider", "deliveryId") DO NOTHING`;
      return inserted > 0 ? { id, isDuplicate: false } : { isDuplicate: true };
    },

    async claim(id, { now, lockedUntil }) {
      const [row] = await client().$queryRaw<Row[]>`
        UPDATE "WebhookEvent"
        SET "status" = 'processing', "attempts" = "attempts" + 1, "lockedUntil" = ${lockedUntil}
        WHERE "id" = ${id}
          AND (("status" IN ('pending', 'failed') AND "nextAttemptAt" <= ${now})
            OR ("status" = 'processing' AND "lockedUntil" <= ${now}))
        RETURNING "id", "provider", "deliveryId", "topic", "shop", "payload", "status"::text AS "status",
                  "attempts", "lastError", "receivedAt", "nextAttemptAt", "processedAt"`;
      return row ? toEvent(row) : undefined;
    },

    async claimDue({ now, lockedUntil, limit }) {
      // SKIP LOCKED: concurrent drains take disjoint rows instead of waiting on each other; the
      // re-check of the WHERE on the locked row's latest version keeps a row claimed once.
      const rows = await client().$queryRaw<Row[]>`
        UPDATE "WebhookEvent"
        SET "status" = 'processing', "attempts" = "attempts" + 1, "lockedUntil" = ${lockedUntil}
        WHERE "id" IN (
          SELECT "id" FROM "WebhookEvent"
          WHERE ("status" IN ('pending', 'failed') AND "nextAttemptAt" <= ${now})
             OR ("status" = 'processing' AND "lockedUntil" <= ${now})
          ORDER BY "nextAttemptAt"
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED
        )
        RETURNING "id", "provider", "deliveryId", "topic", "shop", "payload", "status"::text AS "status",
                  "attempts", "lastError", "receivedAt", "nextAttemptAt", "processedAt"`;
      return rows.map(toEvent);
    },

    async complete(id, { now }) {
      await client().$executeRaw`
        UPDATE "WebhookEvent" SET "status" = 'processed', "processedAt" = ${now}, "lockedUntil" = NULL
        WHERE "id" = ${id} AND "status" = 'processing'`;
    },

    async fail(id, { now, error, nextAttemptAt }) {
      if (nextAttemptAt === undefined) {
        await client().$executeRaw`
          UPDATE "WebhookEvent" SET "status" = 'dead', "lastError" = ${error}, "lockedUntil" = NULL, "processedAt" = ${now}
          WHERE "id" = ${id} AND "status" = 'processing'`;
      } else {
        await client().$executeRaw`
          UPDATE "WebhookEvent" SET "status" = 'failed', "lastError" = ${error}, "lockedUntil" = NULL, "nextAttemptAt" = ${nextAttemptAt}
          WHERE "id" = ${id} AND "status" = 'processing'`;
      }
    },

    async requeue(id, { now }) {
      const requeued = await client().$executeRaw`
        UPDATE "WebhookEvent"
        SET "status" = 'pending', "attempts" = 0, "nextAttemptAt" = ${now}, "lockedUntil" = NULL, "processedAt" = NULL
        WHERE "id" = ${id} AND NOT ("status" = 'processing' AND "lockedUntil" > ${now})`;
      if (requeued > 0) return "requeued";
      const [exists] = await client().$queryRaw<
        { id: string }[]
      >`SELECT "id" FROM "WebhookEvent" WHERE "id" = ${id}`;
      return exists ? "busy" : "not-found";
    },

    async deleteReceivedBefore(before) {
      return await client().$executeRaw`DELETE FROM "WebhookEvent" WHERE "receivedAt" < ${before}`;
    },
  };
}
