import { PrismaPg } from "@prisma/adapter-pg";
import { config } from "./config";
import { PrismaClient } from "./generated/prisma/client";

// One client per server process, created on first use. `next dev` re-evaluates modules on every
// change, so the client lives on globalThis instead of opening a new pool each time.
const globalForPrisma = globalThis as { sprocketPrisma?: PrismaClient };

/** The demo's Prisma client, on PostgreSQL through @prisma/adapter-pg. */
export function db(): PrismaClient {
  const { databaseUrl, databasePoolMax } = config();
  globalForPrisma.sprocketPrisma ??= new PrismaClient({
    adapter: new PrismaPg({ connectionString: databaseUrl, max: databasePoolMax }),
  });
  return globalForPrisma.sprocketPrisma;
}
