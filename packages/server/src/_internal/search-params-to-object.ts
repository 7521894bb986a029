/** A decoded query string or form: one string per name, or an array when the name repeats. */
export type ParamRecord = Record<string, string | string[]>;

/**
 * `params` as a null-prototype object (so `__proto__` or `constructor` in a query cannot reach
 * `Object.prototype`), with repeated names collected into arrays in order.
 *
 * @example
 * searchParamsToObject(new URLSearchParams("a=1&a=2&b=3")); // { a: ["1", "2"], b: "3" }
 */
export function searchParamsToObject(params: URLSearchParams): ParamRecord {
  const record: ParamRecord = Object.create(null);
  for (const [name, value] of params) {
    const existing = record[name];
    if (existing === undefined) record[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else record[name] = [existing, value];
  }
  return record;
}
