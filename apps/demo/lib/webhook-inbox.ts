// The webhook inbox on the WebhookEvent table. Every method is one statement, atomic on its own,
// so any number of app instances share the table safely: duplicates are dropped by the unique
// (provider, deliveryId) key with ON CONFLICT DO NOTHING, and due events are claimed with
// FOR UPDATE SKIP LOCKED. Values travel as bind parameters.
import { randomUUID } from "node:crypto";
import type { NewWebhookEvent, StoredWebhookEvent, WebhookInboxStore } from "@sprocket/server/webhooks";
import type { Pool, QueryConfig } from "pg";
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

/**
 * Whether JSON text is an object whose first key is the kept payloads' key: only such a text can
 * look like a kept one, and only then is it parsed to tell. Reading the first key spares the
 * route's text a parse on the way to the acknowledgement.
 */
function startsWithKeptKey(text: string): boolean {
  const open = /^[ \t\r\n\ufeff]*\{[ \t\r\n]*"/.exec(text);
  if (open === null) return false;
  let end = open[0].length;
  while (end < text.length && text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
  const rawKey = text.slice(open[0].length, end);
  try {
    return (rawKey.includes("\\") ? JSON.parse(`"${rawKey}"`) : rawKey) === PAYLOAD_TEXT_KEY;
  } catch {
    return false;
  }
}

/** The JSON text to store: the payload's, or kept as text when it looks like a kept one. */
function storedJson(event: NewWebhookEvent): string {
  if (event.payloadText !== undefined) {
    const { payloadText } = event;
    return startsWithKeptKey(payloadText) && isWrapperShaped(event.payload) ? wrapped(event) : payloadText;
  }
  return isWrapperShaped(event.payload) ? wrapped(event) : jsonOf(event);
}

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
 * hold), 22003 (a number past numeric's range). node-postgres puts the SQLSTATE in `code`;
 * through Prisma it is in `meta.driverAdapterError.cause.originalCode`, and the message carries
 * it too.
 */
function isRefusedJson(error: unknown): boolean {
  const { code, meta } = (error ?? {}) as {
    code?: unknown;
    meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } };
  };
  // Prisma's own `code` is its error number (P2010); the SQLSTATE is then in the adapter's cause.
  const places = [
    code,
    meta?.driverAdapterError?.cause?.originalCode,
    error instanceof Error ? error.message : "",
  ];
  return places.some((text) => typeof text === "string" && /\b(22P02|22P05|22003)\b/.test(text));
}

/**
 * The statement of one delivery. The id is made by the caller, so it needs no RETURNING: one row
 * affected means inserted. Times go as ISO text, which PostgreSQL reads as UTC wall-clock times,
 * as Prisma stores DateTime.
 */
const INSERT_ONE = `
  INSERT INTO "WebhookEvent" ("id", "provider", "deliveryId", "topic", "shop", "payload", "receivedAt",
                              "nextAttemptAt", "status", "processedAt")
  VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::timestamp(3), $7::timestamp(3), $8::"WebhookStatus", $9::timestamp(3))
  ON CONFLICT ("provider", "deliveryId") DO NOTHING`;

/**
 * The statement of a batch, its columns as arrays (a fixed statement, whatever the batch's size);
 * the rows RETURNING gives back are the ones inserted, the others were stored before. The
 * payloads travel as one JSON array, joined from their texts: a text[] parameter would escape
 * every quote of every payload, and PostgreSQL would parse each one again anyway.
 */
const INSERT_MANY = `
  INSERT INTO "WebhookEvent" ("id", "provider", "deliveryId", "topic", "shop", "payload", "receivedAt",
                              "nextAttemptAt", "status", "processedAt")
  SELECT "id", "provider", "deliveryId", "topic", "shop", "payload", "receivedAt", "receivedAt",
         CASE WHEN "processedAt" IS NULL THEN 'pending' ELSE 'processed' END::"WebhookStatus", "processedAt"
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamp(3)[], $7::timestamp(3)[])
         WITH ORDINALITY AS batch("id", "provider", "deliveryId", "topic", "shop", "receivedAt", "processedAt", "n")
  JOIN jsonb_array_elements($8::jsonb) WITH ORDINALITY AS payloads("payload", "n") USING ("n")
  ON CONFLICT ("provider", "deliveryId") DO NOTHING
  RETURNING "id"`;

/** Runs the two statements every delivery takes: on a pg pool when there is one, else on Prisma. */
interface InsertRunner {
  count(text: string, values: unknown[]): Promise<number>;
  rows<Result>(text: string, values: unknown[]): Promise<Result[]>;
}

function insertRunner(
  client: () => PrismaClient,
  pool: (() => Pool) | undefined,
  queryTimeoutMs: number,
): InsertRunner {
  if (pool === undefined) {
    return {
      count: (text, values) => client().$executeRawUnsafe(text, ...values),
      rows: (text, values) => client().$queryRawUnsafe(text, ...values),
    };
  }
  // pg reads `query_timeout` from a query's config too; its types list it for the client only.
  const timed = (text: string, values: unknown[]) =>
    ({ text, values, query_timeout: queryTimeoutMs }) as QueryConfig;
  // Unnamed statements, as Prisma sends them: a named one outlives the connection's use when a
  // pooler (PgBouncer in transaction mode, the embedded database's single session) shares sessions.
  return {
    count: async (text, values) => (await pool().query(timed(text, values))).rowCount ?? 0,
    rows: async (text, values) => (await pool().query(timed(text, values))).rows,
  };
}

const iso = (date: Date | undefined) => date?.toISOString() ?? null;

const toEvent = (row: Row): StoredWebhookEvent => ({
  ...row,
  payload: unwrap(row.payload),
  attempts: Number(row.attempts),
});

/** Options of {@link createPrismaWebhookInboxStore}. */
export interface PrismaWebhookInboxStoreOptions {
  /**
   * The pg pool the client's `@prisma/adapter-pg` runs on. When given, the statements every
   * delivery takes (`insert`, `insertMany`) run on it directly; the rest go
   * through Prisma. Through Prisma, each of them cost 0.1 to 0.2 ms of CPU in the app (parameters
   * serialized and read back, the result mapped), as much as the route's own work, on the path that
   * decides how many deliveries an instance can acknowledge.
   */
  pool?: Pool | (() => Pool);
  /**
   * How long one of those statements on the pool may take before it fails and its connection is
   * closed (pg's `query_timeout`), so a statement stuck on a half-open connection or behind a lock
   * frees its place: the inbox runs one at a time by default, and the deliveries behind it wait.
   * The routes have long answered 503 by then; a statement that still commits is found as a
   * duplicate when the sender retries. Default: 10,000 ms.
   */
  queryTimeoutMs?: number;
}

/** See {@link PrismaWebhookInboxStoreOptions.queryTimeoutMs}. */
export const INBOX_QUERY_TIMEOUT_MS = 10_000;

/**
 * A {@link WebhookInboxStore} on Prisma. `prisma` (and `pool`) may be functions, so route modules
 * can create the store at import without a database (as `next build` loads them).
 *
 * @example
 * const store = createPrismaWebhookInboxStore(db, { pool: pgPool });
 */
export function createPrismaWebhookInboxStore(
  prisma: PrismaClient | (() => PrismaClient),
  { pool, queryTimeoutMs = INBOX_QUERY_TIMEOUT_MS }: PrismaWebhookInboxStoreOptions = {},
): WebhookInboxStore {
  if (!(Number.isFinite(queryTimeoutMs) && queryTimeoutMs > 0)) {
    throw new TypeError(`queryTimeoutMs must be a positive number of milliseconds, got ${queryTimeoutMs}`);
  }
  const client = typeof prisma === "function" ? prisma : () => prisma;
  const run = insertRunner(
    client,
    typeof pool === "function" || pool === undefined ? pool : () => pool,
    queryTimeoutMs,
  );
  return {
    async insert(event) {
      const id = randomUUID();
      const { provider, deliveryId, topic, shop, receivedAt, processedAt } = event;
      const insertWith = (json: string) =>
        run.count(INSERT_ONE, [
          id,
          provider,
          deliveryId,
          topic,
          shop ?? null,
          json,
          iso(receivedAt),
          processedAt ? "processed" : "pending",
          iso(processedAt),
        ]);
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
      const ids = events.map(() => randomUUID());
      const column = <Value>(value: (event: NewWebhookEvent) => Value) => events.map(value);
      const inserted = await run.rows<{ id: string }>(INSERT_MANY, [
        ids,
        column((event) => event.provider),
        column((event) => event.deliveryId),
        column((event) => event.topic),
        column((event) => event.shop ?? null),
        column((event) => iso(event.receivedAt)),
        column((event) => iso(event.processedAt)),
        `[${column(storedJson).join(",")}]`,
      ]);
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

    // Only while the claim that ran the event holds it (its `lockedUntil`): a run that outlived its
    // lock must not overwrite the outcome of the claim that took the event over.
    async complete(id, { now, lockedUntil }) {
      const updated = await client().$executeRaw`
        UPDATE "WebhookEvent" SET "status" = 'processed', "processedAt" = ${now}, "lockedUntil" = NULL
        WHERE "id" = ${id} AND "status" = 'processing' AND "lockedUntil" = ${lockedUntil}`;
      return updated > 0;
    },

    async fail(id, { now, lockedUntil, error, nextAttemptAt }) {
      const updated =
        nextAttemptAt === undefined
          ? await client().$executeRaw`
              UPDATE "WebhookEvent" SET "status" = 'dead', "lastError" = ${error}, "lockedUntil" = NULL, "processedAt" = ${now}
              WHERE "id" = ${id} AND "status" = 'processing' AND "lockedUntil" = ${lockedUntil}`
          : await client().$executeRaw`
              UPDATE "WebhookEvent" SET "status" = 'failed', "lastError" = ${error}, "lockedUntil" = NULL, "nextAttemptAt" = ${nextAttemptAt}
              WHERE "id" = ${id} AND "status" = 'processing' AND "lockedUntil" = ${lockedUntil}`;
      return updated > 0;
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
      // Finished events only: one still to run (pending, failed, processing) keeps its payload.
      return await client().$executeRaw`
        DELETE FROM "WebhookEvent"
        WHERE "receivedAt" < ${before} AND "status" IN ('processed', 'dead')`;
    },
  };
}
