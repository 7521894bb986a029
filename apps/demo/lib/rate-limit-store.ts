// Rate-limit counters in PostgreSQL, so every app instance (serverless functions included) counts
// against one limit. One atomic statement per hit: concurrent hits never read the same count.
import type { RateLimitStore } from "@sprocket/server/rate-limit";
import type { PrismaClient } from "./generated/prisma/client";

// Windows that ended a day ago are deleted now and then, by the hits themselves: no cron needed.
const SWEEP_PROBABILITY = 0.01;
const SWEEP_AGE_MS = 86_400_000;

/**
 * A {@link RateLimitStore} on the `RateLimitWindow` table.
 *
 * @example
 * const limiter = createRateLimiter({ limit: 20, windowMs: 60_000, store: createPrismaRateLimitStore(db()) });
 */
export function createPrismaRateLimitStore(prisma: PrismaClient): RateLimitStore {
  return {
    async hit(key, windowMs, now = Date.now()) {
      const current = new Date(now);
      const resetAt = new Date(now + windowMs);
      // Parameters, not string building: $queryRaw's tagged template sends every value as a bind parameter.
      const [row] = await prisma.$queryRaw<{ count: number; resetAt: Date }[]>`
        INSERT INTO "RateLimitWindow" ("key", "resetAt", "count") VALUES (${key}, ${resetAt}, 1)
        ON CONFLICT ("key") DO UPDATE SET
          "count" = CASE WHEN "RateLimitWindow"."resetAt" <= ${current} THEN 1 ELSE "RateLimitWindow"."count" + 1 END,
          "resetAt" = CASE WHEN "RateLimitWindow"."resetAt" <= ${current} THEN EXCLUDED."resetAt" ELSE "RateLimitWindow"."resetAt" END
        RETURNING "count", "resetAt"`;
      if (!row) throw new Error("The rate-limit counter returned no row");
      if (Math.random() < SWEEP_PROBABILITY) {
        void prisma.rateLimitWindow
          .deleteMany({ where: { resetAt: { lt: new Date(now - SWEEP_AGE_MS) } } })
          .catch(() => {});
      }
      return { count: Number(row.count), resetAt: row.resetAt.getTime() };
    },
  };
}
