// Gives each integration run a fresh, migrated database: a new database on the server named by
// TEST_DATABASE_URL (the real-PostgreSQL leg), else an in-memory embedded PostgreSQL.
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { applyMigrations, startEmbeddedPostgres } from "@sprocket/dev";
import pg from "pg";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseKind: "embedded" | "postgresql";
  }
}

export const schemaPath = fileURLToPath(new URL("../prisma/schema.prisma", import.meta.url));

export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL;
  let databaseUrl: string;
  let teardown: () => Promise<void>;
  if (serverUrl) {
    const name = `sprocket_test_${randomBytes(6).toString("hex")}`;
    await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    teardown = () => withClient(serverUrl, (client) => client.query(`DROP DATABASE ${name} WITH (FORCE)`));
  } else {
    const embedded = await startEmbeddedPostgres();
    databaseUrl = embedded.url;
    teardown = embedded.stop;
  }
  await applyMigrations({ databaseUrl, schemaPath });
  project.provide("databaseUrl", databaseUrl);
  project.provide("databaseKind", serverUrl ? "postgresql" : "embedded");
  return teardown;
}

async function withClient(url: string, work: (client: pg.Client) => Promise<unknown>) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
