import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { applyMigrations, pendingSchemaChanges } from "@sprocket/dev";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { databaseKind, databaseUrl } from "./database";
import { schemaPath } from "./global-setup";

const migrationsDir = join(schemaPath, "..", "migrations");
const committed = readdirSync(migrationsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const client = new pg.Client({ connectionString: databaseUrl });
await client.connect();
afterAll(() => client.end());

describe(`migrations (${databaseKind})`, () => {
  it("records every committed migration as prisma migrate deploy does, with its checksum", async () => {
    const { rows } = await client.query(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY migration_name`,
    );
    expect(rows.map((row) => row.migration_name)).toEqual(committed);
    for (const row of rows) {
      const sql = readFileSync(join(migrationsDir, row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
    }
  });

  it("applies nothing the second time", async () => {
    expect(await applyMigrations({ databaseUrl, schemaPath })).toEqual([]);
  });

  it("closes its connections, so no migration lock outlives a run", async () => {
    // An engine connection left open kept Prisma's advisory lock and stalled the next migrate.
    await applyMigrations({ databaseUrl, schemaPath });
    // 72707369 is the advisory-lock key Prisma's schema engine takes around migrations.
    const { rows } = await client.query("SELECT pg_try_advisory_lock(72707369) AS taken");
    expect(rows[0].taken).toBe(true);
    await client.query("SELECT pg_advisory_unlock(72707369)");
  });

  it("match schema.prisma (a schema change without a migration fails here)", async () => {
    expect(await pendingSchemaChanges({ schemaPath })).toBe("");
  });

  it("compresses webhook payloads with lz4 where the server has it, and keeps the default where not", async () => {
    const { rows: settings } = await client.query(
      `SELECT 'lz4' = ANY(enumvals) AS "hasLz4" FROM pg_settings WHERE name = 'default_toast_compression'`,
    );
    const { rows } = await client.query(
      `SELECT attcompression FROM pg_attribute WHERE attrelid = '"WebhookEvent"'::regclass AND attname = 'payload'`,
    );
    // 'l' is lz4; '' is the server's default (pglz).
    expect(rows[0].attcompression).toBe(settings[0].hasLz4 ? "l" : "");
    if (databaseKind === "postgresql") expect(settings[0].hasLz4).toBe(true);
  });

  it("leaves webhook payloads out of ANALYZE's statistics", async () => {
    const { rows } = await client.query(
      `SELECT attstattarget FROM pg_attribute WHERE attrelid = '"WebhookEvent"'::regclass AND attname = 'payload'`,
    );
    expect(Number(rows[0].attstattarget)).toBe(0);
  });

  it("created every table of schema v1 and of sign-in", async () => {
    const { rows } = await client.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    expect(rows.map((row) => row.table_name)).toEqual(
      expect.arrayContaining([
        "Account",
        "Chat",
        "Message",
        "Session",
        "ShopifyCustomer",
        "ShopifySession",
        "User",
        "Verification",
        "WebhookEvent",
      ]),
    );
  });
});
