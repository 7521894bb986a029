import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyMigrations, createMigration, pendingSchemaChanges, startEmbeddedPostgres } from "@sprocket/dev";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";

const folder = mkdtempSync(join(tmpdir(), "sprocket-migrations-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const schemaPath = join(folder, "schema.prisma");
const migrationsDir = join(folder, "migrations");

const header = `datasource db {\n  provider = "postgresql"\n}\n`;
const v1 = `${header}\nmodel Note {\n  id   Int    @id @default(autoincrement())\n  text String\n}\n`;
const v2 = v1.replace("  text String\n", "  text String\n  pinned Boolean @default(false)\n");

describe("migrations", () => {
  it("creates, checks and applies migrations without a database server", async () => {
    writeFileSync(schemaPath, v1);
    const first = await createMigration({
      schemaPath,
      name: "Create notes!",
      now: new Date("2026-01-02T03:04:05Z"),
    });
    expect(first?.name).toBe("20260102030405_create_notes");
    expect(first?.sql).toContain('CREATE TABLE "Note"');
    expect(readFileSync(join(migrationsDir, "migration_lock.toml"), "utf8")).toContain(
      'provider = "postgresql"',
    );
    // Each migration keeps the schema it migrates to; the next one is the diff from it.
    expect(readFileSync(join(first!.path, "schema.prisma"), "utf8")).toBe(v1);
    expect(await pendingSchemaChanges({ schemaPath })).toBe("");
    expect(await createMigration({ schemaPath, name: "nothing" })).toBeUndefined();

    writeFileSync(schemaPath, v2);
    expect(await pendingSchemaChanges({ schemaPath })).toContain('ADD COLUMN     "pinned"');
    const second = await createMigration({ schemaPath, name: "pin", now: new Date("2026-01-03T00:00:00Z") });
    expect(second?.sql).toMatch(/ALTER TABLE "Note" ADD COLUMN\s+"pinned" BOOLEAN NOT NULL DEFAULT false/);
    expect(readdirSync(migrationsDir).sort()).toEqual([
      "20260102030405_create_notes",
      "20260103000000_pin",
      "migration_lock.toml",
    ]);

    const db = await startEmbeddedPostgres();
    try {
      expect(await applyMigrations({ databaseUrl: db.url, schemaPath })).toEqual([
        "20260102030405_create_notes",
        "20260103000000_pin",
      ]);
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      await client.query(`INSERT INTO "Note" (text) VALUES ('hi')`);
      const { rows } = await client.query(`SELECT text, pinned FROM "Note"`);
      await client.end();
      expect(rows).toEqual([{ text: "hi", pinned: false }]);
    } finally {
      await db.stop();
    }
  });

  it("rejects a migration name with no letters or digits", async () => {
    await expect(createMigration({ schemaPath, name: "--" })).rejects.toThrow(/letters or digits/);
    expect(existsSync(join(migrationsDir, "--"))).toBe(false);
  });
});
