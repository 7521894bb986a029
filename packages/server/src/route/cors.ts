import type { CorsOptions } from "./types.js";

/** Methods a preflight allows unless `methods` is given (the common default of the `cors` package). */
const DEFAULT_METHODS: readonly string[] = ["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"];
/** Always readable cross-origin: callers quote it when reporting a failed request. */
const ALWAYS_EXPOSED_HEADERS: readonly string[] = ["x-request-id"];

/** {@link CorsOptions} validated and turned into header values once, when the route is defined. */
export interface ResolvedCors {
  isAnyOrigin: boolean;
  isAllowed: (origin: string, request: Request) => boolean | Promise<boolean>;
  methods: string;
  allowedHeaders: string | undefined;
  exposedHeaders: string;
  credentials: boolean;
  maxAge: string | undefined;
}

/** What CORS means for one request. */
export interface CorsResult {
  /** Added to whatever the route answers, errors included. */
  headers: Headers;
  /** Set for preflights, which the route answers itself without running the handler. */
  preflight?: "allowed" | "denied";
}

/**
 * Validates CORS options and precomputes header values; throws a `TypeError` on invalid options so
 * a mistake shows up when the route module loads, not on the first browser request.
 *
 * @example
 * const cors = resolveCors({ origin: ["https://shop.example"], credentials: true });
 */
export function resolveCors(options: CorsOptions): ResolvedCors {
  const {
    origin,
    methods = DEFAULT_METHODS,
    allowedHeaders,
    exposedHeaders = [],
    credentials = false,
  } = options;
  const { maxAge } = options;
  if (origin === "*" && credentials) {
    // Browsers reject `*` with credentials (Fetch standard, CORS check); reflecting is what works.
    throw new TypeError('cors: origin "*" cannot be combined with credentials; use origin: true to reflect');
  }
  if (maxAge !== undefined && !(Number.isInteger(maxAge) && maxAge >= 0)) {
    throw new TypeError(`cors.maxAge must be a whole number of seconds, got ${maxAge}`);
  }
  for (const [name, list] of Object.entries({ methods, allowedHeaders, exposedHeaders })) {
    if (
      list !== undefined &&
      !(Array.isArray(list) && list.every((item) => typeof item === "string" && item))
    ) {
      throw new TypeError(`cors.${name} must be an array of non-empty strings`);
    }
  }
  return {
    isAnyOrigin: origin === "*",
    isAllowed: originMatcher(origin),
    methods: methods.map((method) => method.toUpperCase()).join(", "),
    allowedHeaders: allowedHeaders?.join(", "),
    exposedHeaders: unique([...exposedHeaders, ...ALWAYS_EXPOSED_HEADERS]).join(", "),
    credentials,
    maxAge: maxAge === undefined ? undefined : String(maxAge),
  };
}

/**
 * The CORS headers for `request` and, for a preflight, whether it is allowed.
 *
 * @example
 * const { headers, preflight } = await evaluateCors(cors, request);
 */
export async function evaluateCors(cors: ResolvedCors, request: Request): Promise<CorsResult> {
  const headers = new Headers();
  // The answer differs by origin unless every origin gets `*`: shared caches must key on it.
  if (!cors.isAnyOrigin) headers.set("vary", "Origin");
  const origin = request.headers.get("origin");
  if (origin === null) return { headers };
  const isPreflight = request.method === "OPTIONS" && request.headers.has("access-control-request-method");
  if (!(await cors.isAllowed(origin, request))) {
    return isPreflight ? { headers, preflight: "denied" } : { headers };
  }
  headers.set("access-control-allow-origin", cors.isAnyOrigin ? "*" : origin);
  if (cors.credentials) headers.set("access-control-allow-credentials", "true");
  if (!isPreflight) {
    headers.set("access-control-expose-headers", cors.exposedHeaders);
    return { headers };
  }
  headers.set("access-control-allow-methods", cors.methods);
  const requestedHeaders = request.headers.get("access-control-request-headers");
  if (cors.allowedHeaders !== undefined) {
    headers.set("access-control-allow-headers", cors.allowedHeaders);
  } else if (requestedHeaders) {
    headers.set("access-control-allow-headers", requestedHeaders);
    headers.append("vary", "Access-Control-Request-Headers");
  }
  if (cors.maxAge !== undefined) headers.set("access-control-max-age", cors.maxAge);
  return { headers, preflight: "allowed" };
}

function originMatcher(origin: CorsOptions["origin"]): ResolvedCors["isAllowed"] {
  if (origin === true) {
    // Sandboxed iframes and file: pages send the literal origin "null"; reflecting it would let any
    // of them in, so it has to be listed explicitly.
    return (requestOrigin) => requestOrigin !== "null";
  }
  if (typeof origin === "function") return origin;
  if (origin instanceof RegExp) {
    return (requestOrigin) => {
      origin.lastIndex = 0;
      return origin.test(requestOrigin);
    };
  }
  if (origin === "*") return () => true;
  const origins = typeof origin === "string" ? [origin] : origin;
  if (!Array.isArray(origins) || origins.length === 0) {
    throw new TypeError("cors.origin must be true, an origin, an array of origins, a RegExp or a function");
  }
  for (const allowed of origins) assertOrigin(allowed);
  const allowedSet = new Set(origins);
  return (requestOrigin) => allowedSet.has(requestOrigin);
}

function assertOrigin(value: unknown): void {
  if (value === "null") return;
  let serialized: string | undefined;
  try {
    serialized = typeof value === "string" ? new URL(value).origin : undefined;
  } catch {
    serialized = undefined;
  }
  if (serialized !== value) {
    throw new TypeError(
      `cors.origin entries must be origins like "https://shop.example" (scheme, host, port; no path or trailing slash), got ${JSON.stringify(value)}`,
    );
  }
}

function unique(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.filter((name) => {
    const key = name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
