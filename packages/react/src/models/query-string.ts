/** The query's keys in the order they are written, so equal queries give equal URLs and cache keys. */
const QUERY_KEYS = ["filter", "sort", "select", "first", "after", "last", "before"] as const;

/**
 * Keys whose objects mean the same in any key order (a filter's keys are ANDed; a selection is a
 * set), so they are sorted. A sort's keys are not: its first key sorts first.
 */
const ORDER_FREE_KEYS: ReadonlySet<string> = new Set(["filter", "select"]);

/**
 * `query` as canonical JSON: known keys only, in a fixed order, without undefined or null values,
 * and with the keys of filters and selections sorted. Empty string for an empty query.
 *
 * @example
 * stableQuery({ first: 10, filter: { b: 1, a: 2 } }); // '{"filter":{"a":2,"b":1},"first":10}'
 */
export function stableQuery(query: object | undefined): string {
  const input = (query ?? {}) as Record<string, unknown>;
  // Gadget's full-text `search` has no counterpart here; ignoring it would answer every record.
  if (input.search !== undefined && input.search !== null && input.search !== "") {
    throw new TypeError(
      "`search` is not supported: filter instead, e.g. { filter: { title: { startsWith: text } } }",
    );
  }
  const output: Record<string, unknown> = {};
  for (const key of QUERY_KEYS) {
    const value = input[key];
    if (value === undefined || value === null) continue;
    output[key] = ORDER_FREE_KEYS.has(key) ? sortKeys(value) : value;
  }
  return Object.keys(output).length === 0 ? "" : JSON.stringify(output);
}

/**
 * The `?query=` part of a model URL for a {@link stableQuery} string, or "" when it is empty.
 *
 * @example
 * `/api/models/chat${queryParameter(stableQuery({ first: 10 }))}`; // "/api/models/chat?query=%7B%22first%22%3A10%7D"
 */
export function queryParameter(json: string): string {
  return json === "" ? "" : `?query=${encodeURIComponent(json)}`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  // As JSON writes it (an ISO string), before it would be taken for an object without keys.
  if (value instanceof Date) return value.toJSON();
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value).filter(([, item]) => item !== undefined);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, item]) => [key, sortKeys(item)]));
}
