/** How often and when a failing handler runs again. */
export interface WebhookRetryPolicy {
  /** Runs in all, the first included, before the event is `dead`. Default: 8. */
  maxAttempts?: number;
  /** The wait after failed attempt `attempt` (1-based), in ms. Default: {@link webhookRetryDelay}. */
  delayMs?: (attempt: number) => number;
  /**
   * How long a claimed event stays locked to its instance, in ms: an instance that dies mid-run
   * releases it after this long. Longer than the slowest handler. Default: 5 minutes.
   */
  lockMs?: number;
}

/**
 * Default runs before an event is dead: the seven waits between them add up to 63.5 minutes with
 * the default delays (on a drain that runs at least that often; a daily cron stretches them).
 */
export const WEBHOOK_MAX_ATTEMPTS = 8;
/** Default lock on a claimed event. */
export const WEBHOOK_LOCK_MS = 5 * 60_000;
const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 6 * 3_600_000;

/**
 * The default backoff: 30 s after the first failure, doubling each time, at most 6 hours
 * (30 s, 1 min, 2 min, 4 min, ...). No jitter: a drain claims one event at a time.
 *
 * @example
 * webhookRetryDelay(3); // 120_000
 */
export function webhookRetryDelay(attempt: number): number {
  return Math.min(BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1), MAX_DELAY_MS);
}

export interface ResolvedRetryPolicy {
  maxAttempts: number;
  delayMs: (attempt: number) => number;
  lockMs: number;
}

export function resolveRetryPolicy(policy: WebhookRetryPolicy = {}, caller: string): ResolvedRetryPolicy {
  const {
    maxAttempts = WEBHOOK_MAX_ATTEMPTS,
    delayMs = webhookRetryDelay,
    lockMs = WEBHOOK_LOCK_MS,
  } = policy;
  if (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1) {
    throw new TypeError(`${caller}: retry.maxAttempts must be a positive integer`);
  }
  if (typeof delayMs !== "function") throw new TypeError(`${caller}: retry.delayMs must be a function`);
  if (!Number.isFinite(lockMs) || lockMs <= 0)
    throw new TypeError(`${caller}: retry.lockMs must be positive`);
  // A delay that is not a number of ms (NaN, negative, a string) would store an invalid date: such
  // an attempt waits the default delay instead.
  const checkedDelayMs = (attempt: number) => {
    const ms = delayMs(attempt);
    return typeof ms === "number" && Number.isFinite(ms) && ms >= 0 ? ms : webhookRetryDelay(attempt);
  };
  return { maxAttempts, delayMs: checkedDelayMs, lockMs };
}
