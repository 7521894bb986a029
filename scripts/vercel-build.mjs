// The demo's build on Vercel (`pnpm run vercel-build` in apps/demo, after Vercel's install): the
// workspace packages' dist/, the Prisma client, the pending migrations, then `next build`.
// Migrations go through @sprocket/dev (Prisma's schema engine compiled to Wasm, recording them in
// Prisma's `_prisma_migrations` table), to DIRECT_DATABASE_URL, else DATABASE_URL: a pooler in
// transaction mode cannot run them. SKIP_MIGRATIONS=1 builds without touching the database.
import { join } from "node:path";
import { buildPackages, prismaOfflineEnv } from "./lib/bootstrap.mjs";
import { buildDemo, DEMO_DIR, SCHEMA_PATH } from "./lib/demo-app.mjs";
import { root, run } from "./lib/process.mjs";

await buildPackages();
await run(process.execPath, [join(DEMO_DIR, "node_modules", "prisma", "build", "index.js"), "generate"], {
  cwd: DEMO_DIR,
  env: prismaOfflineEnv(),
});

if (process.env.SKIP_MIGRATIONS === "1") {
  console.log("[sprocket] SKIP_MIGRATIONS=1: no migrations applied");
} else {
  const databaseUrl = process.env.DIRECT_DATABASE_URL || process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.error(
      "[sprocket] set DIRECT_DATABASE_URL (or DATABASE_URL) to apply migrations, or SKIP_MIGRATIONS=1",
    );
    process.exit(1);
  }
  const { applyMigrations } = await import(join(root, "packages", "dev", "dist", "index.js"));
  const applied = await applyMigrations({ databaseUrl, schemaPath: SCHEMA_PATH });
  console.log(
    `[sprocket] ${applied.length ? `applied migrations: ${applied.join(", ")}` : "no pending migrations"}`,
  );
}

await buildDemo();
