// Signs app proxy queries for tests the way Shopify's documented reference does, written apart from
// the code under test: every parameter but `signature` as `key=value` (repeated keys' values joined
// by ","), those strings sorted by code unit and concatenated, HMAC-SHA256 in hex.
import { createHmac } from "node:crypto";

export type Pairs = ReadonlyArray<readonly [string, string]>;

/** The canonical string by the simplest route: an object of arrays, then sorted strings. */
export function referenceCanonicalString(pairs: Pairs): string {
  const values: Record<string, string[]> = Object.create(null);
  for (const [key, value] of pairs) {
    if (key === "signature") continue;
    values[key] ??= [];
    values[key].push(value);
  }
  const strings = Object.keys(values).map((key) => `${key}=${values[key]!.join(",")}`);
  strings.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return strings.join("");
}

export function referenceSignature(pairs: Pairs, secret: string): string {
  return createHmac("sha256", secret).update(referenceCanonicalString(pairs), "utf8").digest("hex");
}

/** The pairs with their signature appended, as a query string (percent-encoded by URLSearchParams). */
export function signedQuery(pairs: Pairs, secret: string): string {
  const query = new URLSearchParams(pairs.map(([key, value]) => [key, value]));
  query.append("signature", referenceSignature(pairs, secret));
  return query.toString();
}

/** The Unix time, in seconds, of `now` milliseconds. */
export const seconds = (now: number): string => String(Math.floor(now / 1000));
