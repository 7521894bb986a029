// `npm run db:migration -- <name>`: writes a migration for the demo's schema changes (no database needed).
import { join } from "node:path";
import { bootstrap } from "./lib/bootstrap.mjs";
import { SCHEMA_PATH } from "./lib/demo-app.mjs";
import { root } from "./lib/process.mjs";

const name = process.argv[2];
if (!name) {
  console.error("usage: npm run db:migration -- <name>");
  process.exit(1);
}
await bootstrap();
const { createMigration } = await import(join(root, "packages", "dev", "dist", "index.js"));
const created = await createMigration({ schemaPath: SCHEMA_PATH, name });
console.log(created ? `created ${created.path}` : "schema.prisma has no changes to migrate");
process.exit(0);
