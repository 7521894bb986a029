const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
// Paths echo caller-chosen keys; a long one is cut so one request cannot bloat every log line.
const MAX_KEY_LENGTH = 64;

/**
 * `key` as it appears in a message: quoted, and cut to a readable length.
 *
 * @example
 * quote("title"); // "\"title\""
 */
export function quote(key: string): string {
  return JSON.stringify(key.length > MAX_KEY_LENGTH ? `${key.slice(0, MAX_KEY_LENGTH)}…` : key);
}

/**
 * `path` extended by a property: `filter.title`, or `filter["first name"]` when the key is not an
 * identifier.
 *
 * @example
 * appendKey("filter.OR[1]", "chat"); // "filter.OR[1].chat"
 */
export function appendKey(path: string, key: string): string {
  return IDENTIFIER.test(key) && key.length <= MAX_KEY_LENGTH ? `${path}.${key}` : `${path}[${quote(key)}]`;
}

/**
 * `path` extended by an array index.
 *
 * @example
 * appendIndex("filter.OR", 1); // "filter.OR[1]"
 */
export function appendIndex(path: string, index: number): string {
  return `${path}[${index}]`;
}
