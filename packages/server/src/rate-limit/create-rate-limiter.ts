import { HttpError } from "../errors/http-error.js";
import type { OnRequestHook, RouteContext } from "../route/types.js";
import { createMemoryStore } from "./memory-store.js";
import type { RateLimitResult, RateLimitStore } from "./types.js";

/** Options for {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** Hits allowed per key in one window. */
  limit: number;
  /** The window's length in milliseconds. */
  windowMs: number;
  /** Where counts live. Default: this process's memory ({@link createMemoryStore}). */
  store?: RateLimitStore;
  /** Namespaces keys, so two limiters can share a store. Default: "default". */
  name?: string;
}

/** A fixed-window rate limiter; its `hook` plugs into `route(handler, { onRequest })`. */
export interface RateLimiter {
  /** Counts a hit for `key` and says whether it is within the limit. */
  check(key: string): Promise<RateLimitResult>;
  /**
   * An `onRequest` hook limiting by the key `keyOf` returns (e.g. the user id, else the IP); no key
   * means no limit. Over the limit it answers 429 `TOO_MANY_REQUESTS` with `Retry-After`; every
   * answer carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`.
   */
  hook(keyOf: (context: RouteContext) => string | undefined | Promise<string | undefined>): OnRequestHook;
}

/**
 * Limits how often each key (a user, a token, an IP) may do something: `limit` hits per `windowMs`.
 * Fixed windows: cheap, one atomic counter per key, and a burst of at most twice the limit across
 * a window boundary, which is acceptable for cost control.
 *
 * @example
 * const chatLimit = createRateLimiter({ limit: 20, windowMs: 60_000 });
 * export const POST = appRoute(handler, { onRequest: chatLimit.hook(({ request }) => userIdOf(request)) });
 */
export function createRateLimiter({
  limit,
  windowMs,
  store = createMemoryStore(),
  name = "default",
}: RateLimiterOptions): RateLimiter {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`limit must be a positive integer, got ${limit}`);
  if (!Number.isInteger(windowMs) || windowMs < 1) {
    throw new RangeError(`windowMs must be a positive whole number of milliseconds, got ${windowMs}`);
  }
  const check = async (key: string): Promise<RateLimitResult> => {
    const now = Date.now();
    const { count, resetAt } = await store.hit(`${name}:${key}`, windowMs, now);
    return {
      isAllowed: count <= limit,
      limit,
      remaining: Math.max(0, limit - count),
      resetSeconds: Math.max(1, Math.ceil((resetAt - now) / 1000)),
    };
  };
  return {
    check,
    hook: (keyOf) => async (context) => {
      const key = await keyOf(context);
      if (key === undefined) return;
      const result = await check(key);
      const headers = {
        "ratelimit-limit": String(result.limit),
        "ratelimit-remaining": String(result.remaining),
        "ratelimit-reset": String(result.resetSeconds),
      };
      if (!result.isAllowed) {
        throw new HttpError("TOO_MANY_REQUESTS", "Too many requests: try again later", {
          headers: { ...headers, "retry-after": String(result.resetSeconds) },
        });
      }
      context.reply.headers(headers);
    },
  };
}
