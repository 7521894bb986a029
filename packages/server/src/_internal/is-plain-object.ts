/**
 * Whether `value` is an object literal (prototype `Object.prototype` or null), so class instances,
 * arrays, dates and boxed values arriving where plain data is expected are refused rather than
 * walked.
 *
 * @example
 * isPlainObject({ a: 1 }); // true
 * isPlainObject(new Date()); // false
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
