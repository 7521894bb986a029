import { route } from "@sprocket/server";
import { createMemoryStore, createRateLimiter } from "@sprocket/server/rate-limit";
import { pino } from "pino";
import { describe, expect, it } from "vitest";

const logger = pino({ level: "silent" });

describe("createRateLimiter", () => {
  it("allows `limit` hits per key and window, then refuses until the window ends", async () => {
    const store = createMemoryStore();
    let now = 1_000_000;
    const clocked = { hit: (key: string, windowMs: number) => store.hit(key, windowMs, now) };
    const limiter = createRateLimiter({ limit: 2, windowMs: 10_000, store: clocked });
    const realNow = Date.now;
    Date.now = () => now;
    try {
      expect((await limiter.check("u1")).isAllowed).toBe(true);
      expect(await limiter.check("u1")).toEqual({
        isAllowed: true,
        limit: 2,
        remaining: 0,
        resetSeconds: 10,
      });
      expect(await limiter.check("u1")).toMatchObject({ isAllowed: false, remaining: 0 });
      expect((await limiter.check("u2")).isAllowed).toBe(true);
      now += 9_001;
      expect(await limiter.check("u1")).toMatchObject({ isAllowed: false, resetSeconds: 1 });
      now += 1_000;
      expect(await limiter.check("u1")).toMatchObject({ isAllowed: true, remaining: 1 });
    } finally {
      Date.now = realNow;
    }
  });

  it("keeps two limiters on one store apart by name", async () => {
    const store = createMemoryStore();
    const a = createRateLimiter({ limit: 1, windowMs: 60_000, store, name: "a" });
    const b = createRateLimiter({ limit: 1, windowMs: 60_000, store, name: "b" });
    expect((await a.check("k")).isAllowed).toBe(true);
    expect((await b.check("k")).isAllowed).toBe(true);
    expect((await a.check("k")).isAllowed).toBe(false);
  });

  it("as a hook, answers 429 with Retry-After over the limit and RateLimit headers always", async () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000 });
    const handler = route(async ({ reply }) => reply.send("ok"), {
      logger,
      onRequest: limiter.hook(({ request }) => request.headers["x-user"]),
    });
    const call = (user?: string) =>
      handler(
        new Request("https://app.test/chat", { method: "POST", headers: user ? { "x-user": user } : {} }),
      );
    const first = await call("u1");
    expect(first.status).toBe(200);
    expect(first.headers.get("ratelimit-remaining")).toBe("0");
    const second = await call("u1");
    expect(second.status).toBe(429);
    expect(second.headers.get("retry-after")).toBe("60");
    expect((await second.json()).error.code).toBe("TOO_MANY_REQUESTS");
    // No key, no limit.
    expect((await call()).status).toBe(200);
    expect((await call()).status).toBe(200);
  });

  it("refuses nonsense limits when created", () => {
    expect(() => createRateLimiter({ limit: 0, windowMs: 1000 })).toThrow(RangeError);
    expect(() => createRateLimiter({ limit: 1, windowMs: 0.5 })).toThrow(RangeError);
  });
});
