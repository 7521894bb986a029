export { createRateLimiter, type RateLimiter, type RateLimiterOptions } from "./create-rate-limiter.js";
export { createMemoryStore } from "./memory-store.js";
export type { RateLimitResult, RateLimitStore } from "./types.js";
