/** The outcome of {@link checkTimestamp}. */
export type CheckTimestampResult =
  | { ok: true; timestamp: Date }
  | { ok: false; reason: "malformed-header" | "stale-timestamp"; detail: string };

/** A Unix time in whole seconds, as signed timestamps are written. */
export const UNIX_SECONDS_PATTERN = /^\d{1,12}$/;

/**
 * Reads a Unix time in seconds and checks it lies within `toleranceSeconds` of `now`, in the past
 * or the future: an old delivery may be a replay, one from the future a forged clock.
 *
 * @example
 * checkTimestamp("1614265330", { now: Date.now(), toleranceSeconds: 300 });
 */
export function checkTimestamp(
  value: string,
  { now, toleranceSeconds }: { now: Date | number | undefined; toleranceSeconds: number },
): CheckTimestampResult {
  if (!UNIX_SECONDS_PATTERN.test(value)) {
    return { ok: false, reason: "malformed-header", detail: "The timestamp is not a Unix time in seconds" };
  }
  const seconds = Number(value);
  const nowSeconds = Math.floor(Number(now ?? Date.now()) / 1000);
  if (!Number.isFinite(nowSeconds)) {
    return { ok: false, reason: "stale-timestamp", detail: "The current time is not a valid date" };
  }
  const skew = nowSeconds - seconds;
  if (Math.abs(skew) > toleranceSeconds) {
    const direction = skew > 0 ? "old" : "in the future";
    return {
      ok: false,
      reason: "stale-timestamp",
      detail: `The timestamp is ${Math.abs(skew)} s ${direction}`,
    };
  }
  return { ok: true, timestamp: new Date(seconds * 1000) };
}
