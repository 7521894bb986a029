import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { pino } from "pino";
import { config } from "./config";
import { PrismaClient } from "./generated/prisma/client";

// One pool and one client per server process, created on first use. `next dev` re-evaluates
// modules on every change, so they live on globalThis instead of opening a new pool each time.
let poolLogger: ReturnType<typeof pino> | undefined;
const globalForPrisma = globalThis as { sprocketPrisma?: PrismaClient; sprocketPool?: pg.Pool };

/**
 * The demo's connection pool: Prisma's adapter runs on it, and the webhook inbox sends the
 * statements every delivery takes to it directly. `allowExitOnIdle`: a command that is done with
 * the database exits without ending the pool first.
 */
export function pgPool(): pg.Pool {
  if (globalForPrisma.sprocketPool === undefined) {
    const { databaseUrl, databasePoolMax } = config();
    const pool = new pg.Pool({ connectionString: databaseUrl, max: databasePoolMax, allowExitOnIdle: true });
    // An idle connection the server dropped (a restart, a managed database's idle timeout) is
    // reported here and removed from the pool; with no listener it would end the process. The
    // next query opens a new connection.
    pool.on("error", (error) => {
      poolLogger ??= pino();
      poolLogger.warn({ err: error }, "An idle database connection failed");
    });
    globalForPrisma.sprocketPool = pool;
  }
  return globalForPrisma.sprocketPool;
}

/** The demo's Prisma client, on PostgreSQL through @prisma/adapter-pg, on {@link pgPool}. */
export function db(): PrismaClient {
  globalForPrisma.sprocketPrisma ??= new PrismaClient({ adapter: new PrismaPg(pgPool()) });
  return globalForPrisma.sprocketPrisma;
}
