import { db } from "./db";

/** How long the health check waits for the database before calling it down. */
export const DATABASE_CHECK_TIMEOUT_MS = 2_000;

export type DatabaseStatus = { status: "up"; latencyMs: number } | { status: "down" };

/** Runs `SELECT 1` against the database, bounded by a timeout. */
export async function databaseStatus(): Promise<DatabaseStatus> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("database check timed out")), DATABASE_CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([db().$queryRaw`SELECT 1`, timeout]);
    return { status: "up", latencyMs: Math.round(performance.now() - started) };
  } catch {
    return { status: "down" };
  } finally {
    clearTimeout(timer);
  }
}
