#!/usr/bin/env node
// `sprocket-dev`: the database and model commands a Sprocket app needs during development and deployment.
import { parseArgs } from "node:util";
import { startEmbeddedPostgres } from "./embedded-postgres.js";
import { startLocalModelServer } from "./local-model/index.js";
import { applyMigrations, createMigration, pendingSchemaChanges } from "./migrations.js";

const USAGE = `usage:
  sprocket-dev migrate create <name> [--schema prisma/schema.prisma]
      write a migration for the schema's changes since the last one (no database needed)
  sprocket-dev migrate deploy [--schema prisma/schema.prisma]
      apply pending migrations to DIRECT_DATABASE_URL, else DATABASE_URL
  sprocket-dev migrate check [--schema prisma/schema.prisma]
      exit 1 when schema.prisma has changes no migration contains
  sprocket-dev db serve [--dir .data/pglite] [--port 54329]
      serve an embedded PostgreSQL over the wire protocol until Ctrl-C
  sprocket-dev model [--port 4010] [--host 127.0.0.1] [--tokens-per-second 30]
      serve an OpenAI-compatible local model (POST /v1/chat/completions) until Ctrl-C;
      prompts may hold [[fail-before-first-token]], [[fail-mid-stream]], [[stall]], [[fast]], [[tokens=N]]`;

class UsageError extends Error {}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    schema: { type: "string", default: "prisma/schema.prisma" },
    dir: { type: "string", default: ".data/pglite" },
    port: { type: "string" },
    host: { type: "string", default: "127.0.0.1" },
    "tokens-per-second": { type: "string", default: "30" },
    help: { type: "boolean", short: "h" },
  },
});
const [group, command, name] = positionals;
const schemaPath = values.schema;

try {
  if (values.help || !group) {
    console.log(USAGE);
  } else if (group === "migrate" && command === "create") {
    if (!name) throw new UsageError("migrate create needs a name");
    const created = await createMigration({ schemaPath, name });
    console.log(created ? `created ${created.path}` : "schema.prisma has no changes to migrate");
  } else if (group === "migrate" && command === "deploy") {
    const databaseUrl = process.env.DIRECT_DATABASE_URL || process.env.DATABASE_URL;
    if (!databaseUrl) throw new UsageError("set DATABASE_URL (or DIRECT_DATABASE_URL)");
    const applied = await applyMigrations({ schemaPath, databaseUrl });
    console.log(applied.length ? `applied ${applied.join(", ")}` : "no pending migrations");
  } else if (group === "migrate" && command === "check") {
    const sql = await pendingSchemaChanges({ schemaPath });
    if (sql) {
      console.error(`schema.prisma has changes no migration contains:\n${sql}`);
      process.exitCode = 1;
    } else console.log("migrations match schema.prisma");
  } else if (group === "db" && command === "serve") {
    const db = await startEmbeddedPostgres({ dataDir: values.dir, port: Number(values.port ?? "54329") });
    console.log(`embedded PostgreSQL listening: ${db.url}`);
    const stop = () => void db.stop().then(() => process.exit(0));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  } else if (group === "model" && !command) {
    const tokensPerSecond = Number(values["tokens-per-second"]);
    if (!(tokensPerSecond > 0))
      throw new UsageError("--tokens-per-second takes a positive number (or Infinity)");
    const model = await startLocalModelServer({
      port: Number(values.port ?? "4010"),
      host: values.host,
      tokensPerSecond,
    });
    console.log(`local model listening: ${model.baseURL} (OpenAI-compatible; any API key)`);
    const stop = () => void model.stop().then(() => process.exit(0));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  } else {
    throw new UsageError(`unknown command: ${positionals.join(" ")}`);
  }
} catch (error) {
  if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
  else console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
// The Wasm engine and pg pools can hold the event loop open; every command but the servers is done here.
const isServing = (group === "db" && command === "serve") || (group === "model" && !command);
if (!isServing || process.exitCode) process.exit();
