/**
 * The configured secrets as a list, newest first: a string is split on commas, entries are
 * trimmed, empty ones dropped. Anything that is not a string or an array of strings gives `[]`.
 *
 * @example
 * resolveSecrets("new-secret, old-secret"); // ["new-secret", "old-secret"]
 */
export function resolveSecrets(secrets: unknown): string[] {
  // The usual case, one secret, without the general case's split: this runs per request.
  if (typeof secrets === "string" && !secrets.includes(",")) {
    const secret = secrets.trim();
    return secret === "" ? [] : [secret];
  }
  const list = typeof secrets === "string" ? secrets.split(",") : Array.isArray(secrets) ? secrets : [];
  const resolved: string[] = [];
  for (const secret of list) {
    if (typeof secret !== "string") return [];
    const trimmed = secret.trim();
    if (trimmed !== "") resolved.push(trimmed);
  }
  return resolved;
}
