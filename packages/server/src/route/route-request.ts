import type { LoggerSource } from "../_internal/log-stream-errors.js";
import { declaredLength, readLimitedBody } from "../_internal/read-limited-body.js";
import { searchParamsToObject } from "../_internal/search-params-to-object.js";
import { HttpError } from "../errors/http-error.js";
import { serializeRequest } from "../logger/serialize-request.js";
import { parseBody } from "./parse-body.js";
import type { RouteParams, RouteRequest } from "./types.js";

/** Inputs of {@link createRouteRequest} besides the Web `Request`. */
export interface CreateRouteRequestOptions {
  id: string;
  params: RouteParams;
  /** Where `request.log` comes from: the request's logger, made on first use. */
  log: LoggerSource;
}

const METHODS_WITHOUT_BODY = new Set(["GET", "HEAD"]);

/**
 * The route context's request with query, headers and client IP decoded, and no body yet:
 * {@link readRouteBody} reads it, once the context provider (which may refuse the request, such as
 * an app proxy's signature check) has run.
 *
 * @example
 * const request = createRouteRequest(raw, { id: "abc", params: {}, log: { logger } });
 * await readRouteBody(request, 1_048_576);
 */
export function createRouteRequest(
  raw: Request,
  { id, params, log }: CreateRouteRequestOptions,
): RouteRequest {
  const url = raw.url;
  // Headers and the client IP are read from the Request when first used: a streamed answer's
  // route reads neither before its first byte.
  let headers: Readonly<Record<string, string>> | undefined;
  let ip: { value: string | undefined } | undefined;
  const request: RouteRequest = {
    raw,
    id,
    method: raw.method,
    url,
    get headers() {
      headers ??= Object.fromEntries(raw.headers);
      return headers;
    },
    // Declared read-only, but assignable as the plain properties they were.
    set headers(value) {
      headers = value;
    },
    query: url.includes("?") ? searchParamsToObject(new URL(url).searchParams) : Object.create(null),
    params,
    // Fastify's `request.log`: the same logger as the context's.
    get log() {
      return log.logger;
    },
    get ip() {
      ip ??= { value: clientIp(raw.headers) };
      return ip.value;
    },
    set ip(value) {
      ip = { value };
    },
    body: undefined,
    rawBody: undefined,
  };
  // Whatever key a handler logs the request under (`{ ctx: { request } }`), or if it stringifies it,
  // only the redacted form comes out: never the body, credentials or signatures.
  Object.defineProperty(request, "toJSON", { value: () => serializeRequest(request), enumerable: false });

  return request;
}

/**
 * Reads the body (at most `bodyLimit` bytes, from a clone so `raw` stays readable) into
 * `request.rawBody` and parses it by content type into `request.body`.
 *
 * @example
 * await readRouteBody(request, 1_048_576);
 */
export async function readRouteBody(request: RouteRequest, bodyLimit: number): Promise<void> {
  const rawBody = await readRawBody(request.raw, bodyLimit);
  if (rawBody === undefined) return;
  // Read-only to handlers; set here, once, before any hook or handler runs.
  (request as { rawBody: Uint8Array | undefined }).rawBody = rawBody;
  request.body = await parseBody(rawBody, request.raw.headers.get("content-type"));
}

async function readRawBody(raw: Request, bodyLimit: number): Promise<Uint8Array | undefined> {
  if (METHODS_WITHOUT_BODY.has(raw.method) || raw.body === null) return undefined;
  const contentLength = declaredLength(raw.headers);
  // Declared empty (a POST without a body, as `fetch` sends one): nothing to clone or wait for.
  if (contentLength === 0) return new Uint8Array();
  if (contentLength > bodyLimit) {
    // Declared too large: answer without reading a byte.
    throw tooLarge(bodyLimit);
  }
  let result: Awaited<ReturnType<typeof readLimitedBody>>;
  try {
    result = await readLimitedBody(raw.clone().body!, bodyLimit);
  } catch (error) {
    throw new HttpError("BAD_REQUEST", "The request body could not be read", { cause: error });
  }
  if (!result.ok) {
    // The handler will not run, so release the other branch of the clone too: that cancels the upload.
    raw.body?.cancel().catch(() => {});
    throw tooLarge(bodyLimit);
  }
  return result.bytes;
}

function tooLarge(bodyLimit: number): HttpError {
  return new HttpError("PAYLOAD_TOO_LARGE", `Request body exceeds the limit of ${bodyLimit} bytes`);
}

/**
 * The last `x-forwarded-for` address: the one the proxy in front of the app saw. Proxies append
 * the address they received from, so every entry to its left is whatever the client sent and
 * worth nothing to a rate limit; Vercel replaces the header with the client's address alone.
 */
function clientIp(headers: Headers): string | undefined {
  const forwardedFor = headers.get("x-forwarded-for")?.split(",").at(-1)?.trim();
  if (forwardedFor) return forwardedFor;
  return headers.get("x-real-ip")?.trim() || undefined;
}
