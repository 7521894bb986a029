/** What a secret is replaced with in logs. */
export const REDACTED = "[Redacted]";

/**
 * Headers that carry credentials or signatures. A signature is as good as a secret for replaying a
 * delivery, so signature headers are redacted too.
 */
export const SENSITIVE_HEADERS: readonly string[] = [
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
  "x-auth-token",
  "x-csrf-token",
  "x-shopify-access-token",
  "x-shopify-hmac-sha256",
  "shopify-hmac-sha256",
  "x-hub-signature",
  "x-hub-signature-256",
  "stripe-signature",
  "webhook-signature",
  "svix-signature",
];

/**
 * Query parameters that carry signatures (Shopify app proxy `signature`, OAuth `hmac`), OAuth
 * artefacts or credentials.
 */
export const SENSITIVE_QUERY_PARAMS: ReadonlySet<string> = new Set([
  "signature",
  "hmac",
  "token",
  "code",
  "state",
  "access_token",
  "id_token",
  "refresh_token",
  "session",
  "password",
]);

// Names an app invents (visitorKey, api_key, client_secret ...) are redacted too, as for headers.
const SENSITIVE_QUERY_PATTERN = /token|secret|signature|hmac|password|session|key$/i;

/** Whether a query parameter's value must never reach a log. */
export function isSensitiveQueryParam(name: string): boolean {
  return SENSITIVE_QUERY_PARAMS.has(name.toLowerCase()) || SENSITIVE_QUERY_PATTERN.test(name);
}

const sensitiveHeaderSet = new Set(SENSITIVE_HEADERS);
// Providers invent new header names (x-slack-signature, x-twilio-signature, x-api-key-v2 ...): any
// name that looks like it carries a credential is redacted too, not only the listed ones.
const SENSITIVE_HEADER_PATTERN = /auth|token|secret|signature|hmac|cookie|api-?key|password|session/i;

/** Whether a header's value must never reach a log. */
export function isSensitiveHeader(name: string): boolean {
  return sensitiveHeaderSet.has(name.toLowerCase()) || SENSITIVE_HEADER_PATTERN.test(name);
}

/**
 * A copy of a parsed query object with sensitive parameters' values replaced by `[Redacted]`.
 *
 * @example
 * redactQuery({ shop: "a", signature: "abc" }); // { shop: "a", signature: "[Redacted]" }
 */
export function redactQuery(query: unknown): unknown {
  if (typeof query !== "object" || query === null) return query;
  const redacted: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(query)) {
    redacted[name] = isSensitiveQueryParam(name) ? REDACTED : value;
  }
  return redacted;
}

/**
 * pino `redact` paths: sensitive headers in a top-level `headers` object and one level down
 * (`request.headers`, `req.headers`, `response.headers`, ...).
 */
export const LOG_REDACT_PATHS: readonly string[] = SENSITIVE_HEADERS.flatMap((name) => [
  `headers["${name}"]`,
  `*.headers["${name}"]`,
]);

/**
 * A copy of `headers` with sensitive values replaced by `[Redacted]`; names compared case-insensitively.
 *
 * @example
 * redactHeaders({ authorization: "Bearer abc" }); // { authorization: "[Redacted]" }
 */
export function redactHeaders<Value>(
  headers: Record<string, Value>,
): Record<string, Value | typeof REDACTED> {
  const redacted: Record<string, Value | typeof REDACTED> = {};
  for (const [name, value] of Object.entries(headers)) {
    redacted[name] = isSensitiveHeader(name) ? REDACTED : value;
  }
  return redacted;
}

/**
 * `url` with the values of sensitive query parameters replaced by `[Redacted]`; everything else is
 * kept byte for byte so the log still shows what was requested.
 *
 * @example
 * redactUrl("https://shop.test/proxy?shop=a&signature=abc"); // "https://shop.test/proxy?shop=a&signature=[Redacted]"
 */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf("?");
  if (queryStart === -1) return url;
  const query = url
    .slice(queryStart + 1)
    .split("&")
    .map((pair) => {
      const separator = pair.indexOf("=");
      const rawName = separator === -1 ? pair : pair.slice(0, separator);
      return isSensitiveQueryParam(decodeName(rawName)) ? `${rawName}=${REDACTED}` : pair;
    })
    .join("&");
  return `${url.slice(0, queryStart)}?${query}`;
}

function decodeName(rawName: string): string {
  try {
    return decodeURIComponent(rawName.replaceAll("+", " "));
  } catch {
    // Malformed percent-encoding: compare the raw name rather than fail the log line.
    return rawName;
  }
}

// A JSON Web Token: three base64url parts, the first a JSON object (`{"` is `eyJ`).
const JWT_PATTERN = /eyJ[\w-]*\.[\w-]+\.[\w-]*/g;

/**
 * `text` with every JSON Web Token in it replaced by `[Redacted]`: libraries quote the token
 * they refused in their errors' messages (`Failed to parse session token '<jwt>'`).
 *
 * @example
 * redactTokens("bad token 'eyJhbGciOi.eyJzdWIi.c2ln'"); // "bad token '[Redacted]'"
 */
export function redactTokens(text: string): string {
  return text.replace(JWT_PATTERN, REDACTED);
}
