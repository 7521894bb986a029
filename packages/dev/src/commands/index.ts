// `sprocket-dev`: the database, model and Shopify commands a Sprocket app needs during development
// and deployment. `main` runs one command and resolves to its exit status; `cli.ts` is the bin.
import { parseArgs } from "node:util";
import { startEmbeddedPostgres } from "../embedded-postgres.js";
import { startLocalModelServer } from "../local-model/index.js";
import { applyMigrations, createMigration, pendingSchemaChanges } from "../migrations.js";
import { deleteOfflineSession, isShopDomain, storeOfflineSession } from "../shopify-session/index.js";

export const USAGE = `usage:
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
      prompts may hold [[fail-before-first-token]], [[fail-mid-stream]], [[stall]], [[fast]], [[tokens=N]]
  sprocket-dev shopify session --shop my-store.myshopify.com --token shpat_... [--scope read_products,...]
                               [--database-url URL]
      store the shop's offline session (offline_{shop}) in the ShopifySession table, replacing one;
      token: --token, else SHOPIFY_ACCESS_TOKEN; database: --database-url, else
      DIRECT_DATABASE_URL, else DATABASE_URL
  sprocket-dev shopify session --delete --shop my-store.myshopify.com [--database-url URL]
      delete the shop's offline session

exit status: 0 done, 1 failed, 2 bad arguments`;

/** Something text can be written to: `process.stdout`, or a collector in tests. */
export interface TextSink {
  write(text: string): unknown;
}

/** What a command reads from and writes to, so it can run inside a test. */
export interface CommandEnvironment {
  stdout: TextSink;
  stderr: TextSink;
  /** Default: `process.env`. */
  env?: Record<string, string | undefined>;
}

class UsageError extends Error {}

const OPTIONS = {
  schema: { type: "string", default: "prisma/schema.prisma" },
  dir: { type: "string", default: ".data/pglite" },
  port: { type: "string" },
  host: { type: "string", default: "127.0.0.1" },
  "tokens-per-second": { type: "string", default: "30" },
  shop: { type: "string" },
  token: { type: "string" },
  scope: { type: "string" },
  "database-url": { type: "string" },
  delete: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/**
 * Whether `argv` starts a server (`db serve`, `model`) that keeps running after `main` resolves.
 *
 * @example
 * if (!isServerCommand(argv) || exitCode) process.exit();
 */
export function isServerCommand(argv: readonly string[]): boolean {
  let positionals: string[];
  try {
    ({ positionals } = parseArgs({ args: [...argv], allowPositionals: true, options: OPTIONS }));
  } catch {
    return false;
  }
  const [group, command] = positionals;
  return (group === "db" && command === "serve") || (group === "model" && command === undefined);
}

/**
 * The `sprocket-dev` command: parses `argv` (without `node` and the script), runs it, and resolves
 * to the exit status. Servers keep running after it resolves, until SIGINT or SIGTERM. Never
 * prints an access token.
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
 */
export async function main(argv: readonly string[], io: CommandEnvironment): Promise<number> {
  const env = io.env ?? process.env;
  const print = (line: string) => io.stdout.write(`${line}\n`);
  try {
    let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
    try {
      parsed = parseArgs({ args: [...argv], allowPositionals: true, options: OPTIONS });
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    const { positionals, values } = parsed;
    const [group, command, name] = positionals;
    const schemaPath = values.schema;
    if (values.help || !group) {
      print(USAGE);
    } else if (group === "migrate" && command === "create") {
      if (!name) throw new UsageError("migrate create needs a name");
      const created = await createMigration({ schemaPath, name });
      print(created ? `created ${created.path}` : "schema.prisma has no changes to migrate");
    } else if (group === "migrate" && command === "deploy") {
      const databaseUrl = env.DIRECT_DATABASE_URL || env.DATABASE_URL;
      if (!databaseUrl) throw new UsageError("set DATABASE_URL (or DIRECT_DATABASE_URL)");
      const applied = await applyMigrations({ schemaPath, databaseUrl });
      print(applied.length ? `applied ${applied.join(", ")}` : "no pending migrations");
    } else if (group === "migrate" && command === "check") {
      const sql = await pendingSchemaChanges({ schemaPath });
      if (sql) {
        io.stderr.write(`schema.prisma has changes no migration contains:\n${sql}\n`);
        return 1;
      }
      print("migrations match schema.prisma");
    } else if (group === "db" && command === "serve") {
      const db = await startEmbeddedPostgres({ dataDir: values.dir, port: Number(values.port ?? "54329") });
      print(`embedded PostgreSQL listening: ${db.url}`);
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
      print(`local model listening: ${model.baseURL} (OpenAI-compatible; any API key)`);
      const stop = () => void model.stop().then(() => process.exit(0));
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    } else if (group === "shopify" && command === "session" && !name) {
      const shop = values.shop;
      if (!shop) throw new UsageError("shopify session needs --shop my-store.myshopify.com");
      if (!isShopDomain(shop)) {
        throw new UsageError(
          `--shop must be the shop's *.myshopify.com domain in lower case, e.g. my-store.myshopify.com; got ${JSON.stringify(shop)}`,
        );
      }
      const databaseUrl = values["database-url"] || env.DIRECT_DATABASE_URL || env.DATABASE_URL;
      if (!databaseUrl)
        throw new UsageError("give --database-url, or set DATABASE_URL (or DIRECT_DATABASE_URL)");
      const id = `offline_${shop}`;
      if (values.delete) {
        if (values.token !== undefined || values.scope !== undefined) {
          throw new UsageError("--delete takes no --token or --scope");
        }
        const deleted = await deleteOfflineSession({ databaseUrl, shop });
        print(deleted ? `deleted ${id}` : `no session ${id} to delete`);
      } else {
        const accessToken = values.token ?? env.SHOPIFY_ACCESS_TOKEN;
        if (!accessToken?.trim() || /\s/.test(accessToken)) {
          throw new UsageError(
            "shopify session needs --token (or SHOPIFY_ACCESS_TOKEN): the Admin API access token",
          );
        }
        await storeOfflineSession({ databaseUrl, shop, accessToken, scope: values.scope });
        const scope = values.scope?.trim() ? ` with scope ${values.scope.trim()}` : "";
        print(`stored ${id}${scope} (offline, access token not shown)`);
      }
    } else {
      throw new UsageError(`unknown command: ${positionals.join(" ")}`);
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
