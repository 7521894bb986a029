/**
 * The name-value pairs of a query string, exactly as `new URLSearchParams(query)` reads them
 * (WHATWG application/x-www-form-urlencoded: split on "&", empty pieces skipped, split at the
 * first "=", "+" as space, percent-decoded as UTF-8). A leading "?" is dropped.
 *
 * Why not URLSearchParams itself: Node 20 decodes it in JavaScript byte by byte, which costs more
 * than the HMAC of the same query. Here a piece without "%" or "+" is sliced as it is and one with
 * "%" goes through the native `decodeURIComponent`; a piece that function refuses (a stray "%",
 * bytes that are not UTF-8) is left to URLSearchParams, whose lenient reading is the standard.
 */
export function decodeQuery(query: string): [string, string][] {
  const pairs: [string, string][] = [];
  let start = query.charCodeAt(0) === 0x3f /* ? */ ? 1 : 0;
  while (start <= query.length) {
    let end = query.indexOf("&", start);
    if (end === -1) end = query.length;
    if (end > start) {
      const piece = query.slice(start, end);
      const equals = piece.indexOf("=");
      const name = equals === -1 ? piece : piece.slice(0, equals);
      const value = equals === -1 ? "" : piece.slice(equals + 1);
      const decodedName = decodeComponent(name);
      const decodedValue = decodeComponent(value);
      if (decodedName === undefined || decodedValue === undefined) {
        // The "&" keeps a leading "?" of the piece: URLSearchParams drops one only at the start.
        for (const pair of new URLSearchParams(`&${piece}`)) pairs.push(pair);
      } else {
        pairs.push([decodedName, decodedValue]);
      }
    }
    start = end + 1;
  }
  return pairs;
}

/** One name or value decoded; `undefined` when only URLSearchParams' lenient reading will do. */
export function decodeComponent(text: string): string | undefined {
  const spaced = text.includes("+") ? text.replaceAll("+", " ") : text;
  if (!spaced.includes("%")) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return undefined;
  }
}
