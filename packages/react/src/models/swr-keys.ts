/** The first element of every SWR key these hooks use, so other keys in a shared cache are left alone. */
export const KEY_PREFIX = "sprocket";

/** The reads whose cached results a write to their model makes stale. */
export const FIND_OPERATIONS = [
  "findMany",
  "findFirst",
  "maybeFindFirst",
  "findOne",
  "maybeFindOne",
] as const;

export type FindOperation = (typeof FIND_OPERATIONS)[number];

/**
 * An SWR key of a model read: `["sprocket", endpoint, model, operation, ...arguments]`, where
 * `endpoint` is the resolved endpoint URL (so two apps in one cache never share an entry) and the
 * arguments are strings (an id, a stable query), so SWR's hash and actions' key filters both see them.
 */
export type FindKey = readonly [typeof KEY_PREFIX, string, string, FindOperation, ...string[]];

/**
 * The SWR key of a read.
 *
 * @example
 * findKey("/api/models", "chat", "findMany", '{"first":10}');
 * // ["sprocket", "/api/models", "chat", "findMany", '{"first":10}']
 */
export function findKey(
  endpoint: string,
  model: string,
  operation: FindOperation,
  ...args: string[]
): FindKey {
  return [KEY_PREFIX, endpoint, model, operation, ...args];
}

/**
 * Whether `key` (as SWR's key filters receive it) is a read of `model` at `endpoint`.
 *
 * @example
 * mutate((key) => isFindKeyOf(key, "/api/models", "chat"));
 */
export function isFindKeyOf(key: unknown, endpoint: string, model: string): key is FindKey {
  return (
    Array.isArray(key) &&
    key[0] === KEY_PREFIX &&
    key[1] === endpoint &&
    key[2] === model &&
    (FIND_OPERATIONS as readonly unknown[]).includes(key[3])
  );
}

/**
 * The endpoint URL keys and live streams use: `endpoint` resolved against the provider's `baseUrl`.
 *
 * @example
 * resolveEndpoint("https://app.example.com", "/api/models"); // "https://app.example.com/api/models"
 */
export function resolveEndpoint(baseUrl: string, endpoint: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(endpoint)) return endpoint;
  return `${baseUrl}${endpoint.startsWith("/") ? "" : "/"}${endpoint}`;
}
