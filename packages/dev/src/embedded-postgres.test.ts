import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmbeddedPostgres } from "@sprocket/dev";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});
const tempDataDir = () => {
  const folder = mkdtempSync(join(tmpdir(), "sprocket-pglite-"));
  folders.push(folder);
  return join(folder, "data");
};

async function query(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("startEmbeddedPostgres", () => {
  it("serves PostgreSQL over the wire protocol to a standard client", async () => {
    const db = await startEmbeddedPostgres();
    try {
      expect(db.url).toMatch(
        /^postgresql:\/\/postgres:postgres@127\.0\.0\.1:\d+\/postgres\?sslmode=disable$/,
      );
      const [row] = await query(db.url, "SELECT version() AS version, 1 + 1 AS two");
      expect(row.version).toMatch(/^PostgreSQL/);
      expect(row.two).toBe(2);
    } finally {
      await db.stop();
    }
  });

  it("keeps data in its folder across a stop and a start", async () => {
    const dataDir = tempDataDir();
    const first = await startEmbeddedPostgres({ dataDir });
    await query(first.url, "CREATE TABLE kept (value text); INSERT INTO kept VALUES ('still here')");
    await first.stop();
    const second = await startEmbeddedPostgres({ dataDir });
    try {
      expect(await query(second.url, "SELECT value FROM kept")).toEqual([{ value: "still here" }]);
    } finally {
      await second.stop();
    }
  });

  it("refuses a folder another live process holds, and takes over one a dead process left", async () => {
    const dataDir = tempDataDir();
    const { writeFileSync } = await import("node:fs");
    // PID 1 is always alive (and never this test): the folder is in use.
    writeFileSync(`${dataDir}.lock`, "1");
    await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(/in use by process 1/);
    // A PID far above any real one: its owner is gone.
    writeFileSync(`${dataDir}.lock`, "2147483646");
    const db = await startEmbeddedPostgres({ dataDir });
    await db.stop();
  });

  it("serves several pooled connections at once", async () => {
    const db = await startEmbeddedPostgres({ maxConnections: 4 });
    const pool = new pg.Pool({ connectionString: db.url, max: 4 });
    try {
      const rows = await Promise.all(
        Array.from({ length: 8 }, (_, index) => pool.query(`SELECT ${index}::int AS n`)),
      );
      expect(rows.map((result) => result.rows[0].n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    } finally {
      await pool.end();
      await db.stop();
    }
  });
});
