/** Where hit counts live: in memory for one instance, or a shared database for many. */
export interface RateLimitStore {
  /**
   * Counts one hit for `key` in its current window of `windowMs` and returns the count so far and
   * when the window ends (epoch ms). Must be atomic: concurrent hits never share a count.
   */
  hit(key: string, windowMs: number, now?: number): Promise<{ count: number; resetAt: number }>;
}

/** The outcome of one check. */
export interface RateLimitResult {
  isAllowed: boolean;
  limit: number;
  remaining: number;
  /** Whole seconds until the window resets (at least 1), as `Retry-After` and `RateLimit-Reset` send it. */
  resetSeconds: number;
}
