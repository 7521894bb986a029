/** The query parameter holding an app proxy request's signature; the only one left out of what is signed. */
export const APP_PROXY_SIGNATURE_PARAMETER = "signature";

/**
 * The query's parameters by name, each with its values in the order received. A `Map`, not an
 * object: a parameter named `__proto__` or `constructor` is just a name.
 */
export function groupParameters(parameters: Iterable<readonly [string, string]>): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of parameters) {
    const values = grouped.get(key);
    if (values) values.push(value);
    else grouped.set(key, [value]);
  }
  return grouped;
}

/** {@link appProxyCanonicalString} over parameters already grouped by {@link groupParameters}. */
export function canonicalStringOfGroups(grouped: ReadonlyMap<string, readonly string[]>): string {
  const pieces: string[] = [];
  for (const [key, values] of grouped) {
    if (key !== APP_PROXY_SIGNATURE_PARAMETER) pieces.push(`${key}=${values.join(",")}`);
  }
  // Shopify's reference sorts the whole `key=value` strings by code unit, which is what the default
  // sort does. Not `localeCompare` (it folds case and skips punctuation) and not by key alone
  // (`a-b=1` sorts before `a=1`).
  return pieces.sort().join("");
}

/**
 * The string Shopify signs for an app proxy request: every parameter but `signature` written as
 * `key=value` (decoded; a repeated key's values joined by `,` in the order received), the strings
 * sorted by UTF-16 code unit and concatenated with no separator. Pure; never throws.
 *
 * @example
 * appProxyCanonicalString(new URLSearchParams("shop=a.myshopify.com&extra=1&extra=2&signature=x"));
 * // "extra=1,2shop=a.myshopify.com"
 */
export function appProxyCanonicalString(parameters: Iterable<readonly [string, string]>): string {
  return canonicalStringOfGroups(groupParameters(parameters));
}
