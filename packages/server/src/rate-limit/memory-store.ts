import type { RateLimitStore } from "./types.js";

/**
 * Counters in this process's memory: exact for one instance, and a per-instance limit when several
 * run (serverless platforms start many). Expired windows are swept as new ones open, so memory
 * stays bounded by the keys active in one window.
 *
 * @example
 * const limiter = createRateLimiter({ limit: 20, windowMs: 60_000, store: createMemoryStore() });
 */
export function createMemoryStore(): RateLimitStore {
  const windows = new Map<string, { count: number; resetAt: number }>();
  let nextSweep = 0;
  return {
    async hit(key, windowMs, now = Date.now()) {
      if (now >= nextSweep) {
        for (const [name, window] of windows) if (window.resetAt <= now) windows.delete(name);
        nextSweep = now + windowMs;
      }
      let window = windows.get(key);
      if (!window || window.resetAt <= now) {
        window = { count: 0, resetAt: now + windowMs };
        windows.set(key, window);
      }
      window.count++;
      return { count: window.count, resetAt: window.resetAt };
    },
  };
}
