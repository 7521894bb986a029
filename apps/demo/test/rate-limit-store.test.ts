// The PostgreSQL rate-limit store: atomic under concurrent hits, windows that reset, on both legs.
import { createRateLimiter } from "@sprocket/server/rate-limit";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createPrismaRateLimitStore } from "@/lib/rate-limit-store";
import { databaseKind } from "./database";

const prisma = db();
const store = createPrismaRateLimitStore(prisma);
const run = Math.random().toString(36).slice(2, 8);
afterAll(async () => {
  await prisma.rateLimitWindow.deleteMany({ where: { key: { startsWith: run } } });
  await prisma.$disconnect();
});

describe(`the PostgreSQL rate-limit store (${databaseKind})`, () => {
  it("gives 20 concurrent hits 20 distinct counts in one window", async () => {
    const hits = await Promise.all(Array.from({ length: 20 }, () => store.hit(`${run}:burst`, 60_000)));
    expect(hits.map((hit) => hit.count).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    expect(new Set(hits.map((hit) => hit.resetAt)).size).toBe(1);
  });

  it("starts a new window once the old one has ended", async () => {
    const now = Date.now();
    expect((await store.hit(`${run}:window`, 1_000, now)).count).toBe(1);
    expect((await store.hit(`${run}:window`, 1_000, now + 500)).count).toBe(2);
    const next = await store.hit(`${run}:window`, 1_000, now + 1_000);
    expect(next).toEqual({ count: 1, resetAt: now + 2_000 });
  });

  it("limits through createRateLimiter across two limiter instances, as two app instances would", async () => {
    const one = createRateLimiter({ limit: 3, windowMs: 60_000, store, name: run });
    const two = createRateLimiter({ limit: 3, windowMs: 60_000, store, name: run });
    const results = [await one.check("u"), await two.check("u"), await one.check("u"), await two.check("u")];
    expect(results.map((result) => result.isAllowed)).toEqual([true, true, true, false]);
  });
});
