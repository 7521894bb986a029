// The demo's database: DATABASE_URL when set, else the embedded PostgreSQL in a project-local folder.
import { join } from "node:path";
import { SCHEMA_PATH } from "./demo-app.mjs";
import { root } from "./process.mjs";

export const DEFAULT_DATA_DIR = join(root, ".data", "pglite");
/** A fixed port, so `psql` and other tools can find the embedded database between runs. */
export const DEFAULT_EMBEDDED_PORT = 54329;

const devTools = () => import(join(root, "packages", "dev", "dist", "index.js"));

/**
 * Starts the embedded database unless DATABASE_URL names one, then applies pending migrations.
 * Resolves to `{ url, stop }`; `stop` is a no-op for an external database. A taken `port` falls back
 * to any free one, unless `exactPort` is set (then it is an error).
 */
export async function startDemoDatabase({
  dataDir = DEFAULT_DATA_DIR,
  port = DEFAULT_EMBEDDED_PORT,
  exactPort = false,
} = {}) {
  const { startEmbeddedPostgres, applyMigrations } = await devTools();
  let database;
  if (process.env.DATABASE_URL) {
    database = { url: process.env.DATABASE_URL, stop: async () => {}, isEmbedded: false };
  } else {
    const embedded = await startEmbeddedPostgres({ dataDir, port }).catch((error) => {
      if (error?.code !== "EADDRINUSE" || exactPort) throw error;
      return startEmbeddedPostgres({ dataDir, port: 0 });
    });
    database = { ...embedded, isEmbedded: true };
  }
  try {
    const migrationUrl = process.env.DIRECT_DATABASE_URL || database.url;
    const applied = await applyMigrations({ databaseUrl: migrationUrl, schemaPath: SCHEMA_PATH });
    if (applied.length) console.log(`[sprocket] applied migrations: ${applied.join(", ")}`);
  } catch (error) {
    await database.stop();
    throw error;
  }
  return database;
}
