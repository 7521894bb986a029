// The webhook inbox on the WebhookEvent table. Every method is one statement, atomic on its own,
// so any number of app instances share the table safely: duplicates are dropped by the unique
// (provider, deliveryId) key with ON CONFLICT DO NOTHING, and due events are claimed with
// FOR UPDATE SKIP LOCKED. Values travel as bind parameters ($queryRaw's tagged templates).
import { randomUUID } from "node:crypto";
import type { NewWebhookEvent, StoredWebhookEvent, WebhookInboxStore } from "@sprocket/server/webhooks";
import type { PrismaClient } from "./generated/prisma/client";

type Row = Omit<StoredWebhookEvent, "attempts"> & { attempts: number | bigint };

/** The payload's JSON text: as received when the route has it (parsed once, digits kept exact). */
const jsonOf = ({ payload, payloadText }: NewWebhookEvent) => payloadText ?? JSON.stringify(payload);

/**
 * The key of the object a payload is stored in when `jsonb` refuses it: JSON allows the NUL
 * character and lone surrogates (`\u0000`, `\ud800`), which `jsonb` cannot hold. Such a payload is
 * kept as its JSON text, a string `jsonb` holds, and parsed back when read, so it is stored (and
 * the delivery acknowledged) rather than refused on every retry until the sender gives up.
 */
export const PAYLOAD_TEXT_KEY = "sprocket:payloadText";

const wrapped = (event: NewWebhookEvent) => JSON.stringify({ [PAYLOAD_TEXT_KEY]: jsonOf(event) });

/** A payload that looks like a kept one, which is itself kept as text so it reads back as sent. */
function isWrapperShaped(payload: unknown): boolean {
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) return false;
  const keys = Object.keys(payload);
  return keys.length === 1 && keys[0] === PAYLOAD_TEXT_KEY;
}

/** The JSON text to store: the payload's, or kept as text when it looks like a kept one. */
const storedJson = (event: NewWebhookEvent) =>
  isWrapperShaped(event.payload) ? wrapped(event) : jsonOf(event);

/** The payload as sent, from a stored one (unwrapped when it was kept as text). */
function unwrap(payload: unknown): unknown {
  if (!isWrapperShaped(payload)) return payload;
  const text = (payload as Record<string, unknown>)[PAYLOAD_TEXT_KEY];
  if (typeof text !== "string") return payload;
  try {
    return JSON.parse(text);
  } catch {
    // Not written by this store: returned as stored rather than failing the claim that read it.
    return payload;
  }
}

/**
 * PostgreSQL refused the JSON itself: 22P02 (invalid text), 22P05 (a character jsonb cannot
 * hold), 22003 (a number past numeric's range). With @prisma/adapter-pg the SQLSTATE is in
 * `meta.driverAdapterError.cause.originalCode`; the message carries it too.
 */
function isRefusedJson(error: unknown): boolean {
  const cause = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } } | null)
    ?.meta?.driverAdapterError?.cause;
  const code = cause?.originalCode;
  const text = typeof code === "string" ? code : error instanceof Error ? error.message : "";
  return /\b(22P02|22P05|22003)\b/.test(text);
}

const toEvent = (row: Row): StoredWebhookEvent => ({
  ...row,
  payload: unwrap(row.payload),
  attempts: Number(row.attempts),
});

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
    async insert(event) {
      // The id is made here, so the statement needs no RETURNING: one row affected means inserted.
      const id = randomUUID();
      const { provider, deliveryId, topic, shop, receivedAt, processedAt } = event;
      const insertWith = (json: string) => client().$executeRaw`
        INSERT INTO "WebhookEvent" ("id", "provider", "deliveryId", "topic", "shop", "payload", "receivedAt",
                                    "nextAttemptAt", "status", "processedAt")
        VALUES (${id}, ${provider}, ${deliveryId}, ${topic}, ${shop ?? null}, ${json}::jsonb,
                ${receivedAt}, ${receivedAt}, ${processedAt ? "processed" : "pending"}::"WebhookStatus",
                ${processedAt ?? null})
        ON CONFLICT ("provider", "deliveryId") DO NOTHING`;
      let inserted: number;
      try {
        inserted = await insertWith(storedJson(event));
      } catch (error) {
        if (!isRefusedJson(error)) throw error;
        inserted = await insertWith(wrapped(event));
      }
      return inserted > 0
        ? { id, isDuplicate: false, status: processedAt ? "processed" : "pending" }
        : { isDuplicate: true };
    },

    async insertMany(events) {
      // One statement for the batch, its columns as arrays (a fixed statement, whatever the batch's
      // size); the rows RETURNING gives back are the ones inserted, the others were stored before.
      // The payloads travel as one JSON array, joined from their texts: a text[] parameter would
      // escape every quote of every payload, and PostgreSQL would parse each one again anyway.
      const ids = events.map(() => randomUUID());
      const column = <Value>(value: (event: NewWebhookEvent) => Value) => events.map(value);
      // Times as ISO text: PostgreSQL reads them as UTC wall-clock times, as Prisma stores DateTime.
      const iso = (date: Date | undefined) => date?.toISOString() ?? null;
      const inserted = await client().$queryRaw<{ id: string }[]>`
        INSERT INTO "WebhookEvent" ("id", "provider", "deliveryId", "topic", "shop", "payload", "receivedAt",
                                    "nextAttemptAt", "status", "processedAt")
        SELECT "id", "provider", "deliveryId", "topic", "shop", "payload", "receivedAt", "receivedAt",
               CASE WHEN "processedAt" IS NULL THEN 'pending' ELSE 'processed' END::"WebhookStatus", "processedAt"
        FROM unnest(${ids}::text[], ${column((event) => event.provider)}::text[],
                    ${column((event) => event.deliveryId)}::text[], ${column((event) => event.topic)}::text[],
                    ${column((event) => event.shop ?? null)}::text[],
                    ${column((event) => iso(event.receivedAt))}::timestamp(3)[],
                    ${column((event) => iso(event.processedAt))}::timestamp(3)[])
               WITH ORDINALITY AS batch("id", "provider", "deliveryId", "topic", "shop", "receivedAt", "processedAt", "n")
        JOIN jsonb_array_elements(${`[${column(storedJson).join(",")}]`}::jsonb)
               WITH ORDINALITY AS payloads("payload", "n") USING ("n")
        ON CONFLICT ("provider", "deliveryId") DO NOTHING
        RETURNING "id"`;
      const stored = new Set(inserted.map((row) => row.id));
      return ids.map((id, index) =>
        stored.has(id)
          ? { id, isDuplicate: false as const, status: events[index]?.processedAt ? "processed" : "pending" }
          : { isDuplicate: true as const },
      );
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
