import type { Logger } from "pino";
import { resolveRequestId } from "../route/request-id.js";
import { createLogger, lineLoggerOf } from "./create-logger.js";

/** The message of the one line each request writes when its status is known. */
export const REQUEST_COMPLETED_MESSAGE = "request completed";

// The id of each request a handler is already logging. A handler wrapped in another one (a
// webhookRoute inside withRequestLog, a route() calling a wrapped handler with its raw request)
// reuses the outer id and leaves the line to the outer handler: one line per request.
const requestsInFlight = new WeakMap<Request, string>();

/** What a handler gets from {@link startRequestLog}. */
export interface RequestLog {
  requestId: string;
  /** `logger` bound to `requestId`, made on first use: most requests log nothing but their line. */
  readonly logger: Logger;
  /**
   * Writes the request's completion line with `status` (once; later calls do nothing), unless an
   * outer handler owns the line.
   */
  complete(status: number): void;
}

/**
 * Starts the log of one request: its id (an incoming safe `x-request-id`, else a new UUID), a
 * logger bound to it, and `complete(status)`, which writes the one line with `method`, `path`
 * (never the query string: signatures and tokens travel there), `status` and `durationMs`.
 *
 * @example
 * const log = startRequestLog(request, logger);
 * log.complete(response.status);
 */
export function startRequestLog(request: Request, logger: Logger): RequestLog {
  const outerId = requestsInFlight.get(request);
  if (outerId !== undefined) {
    return { requestId: outerId, logger: logger.child({ requestId: outerId }), complete: () => {} };
  }
  const startedAt = performance.now();
  const requestId = resolveRequestId(request.headers.get("x-request-id"));
  requestsInFlight.set(request, requestId);
  let bound: Logger | undefined;
  let isComplete = false;
  return {
    requestId,
    get logger() {
      bound ??= logger.child({ requestId });
      return bound;
    },
    complete(status) {
      if (isComplete) return;
      isComplete = true;
      const durationMs = Math.round((performance.now() - startedAt) * 100) / 100;
      // Through the logger without the toolkit's redaction: these fields are the line's own and
      // hold no secret (the path never has the query), and redaction walked every line for
      // headers it cannot have. `requestId` first, where the bound logger puts it.
      lineLoggerOf(logger).info(
        { requestId, method: request.method, path: pathOf(request.url), status, durationMs },
        REQUEST_COMPLETED_MESSAGE,
      );
    },
  };
}

/**
 * The path of a request's URL, without query or fragment. Cut from the string rather than parsed:
 * a Request's URL is already serialised, so its path is the one `new URL()` would give, at a tenth
 * of the cost on every request. A URL that is not absolute (some test doubles) is cut the same way.
 */
function pathOf(url: string): string {
  const cut = url.search(/[?#]/);
  const end = cut === -1 ? url.length : cut;
  // A "://" inside the query or fragment of a URL that is not absolute is not its scheme.
  const scheme = url.indexOf("://");
  const start = scheme === -1 || scheme > end ? 0 : url.indexOf("/", scheme + 3);
  if (start === -1 || start > end) return "/";
  return url.slice(start, end);
}

/** Options of {@link withRequestLog}. */
export interface WithRequestLogOptions {
  /** Default: a pino logger on stdout with the toolkit's redaction. */
  logger?: Logger;
}

/**
 * Wraps a plain Web handler (a cron route, a framework's handler) so that it writes the same one
 * line per request as `route()`: `requestId`, `method`, `path`, `status`, `durationMs`, and
 * answers with `x-request-id`. The line is written when the `Response` is handed over, so for a
 * streamed body that is when the status is committed, not when the stream ends. A throw is logged
 * as status 500 and rethrown for the framework to answer.
 *
 * @example
 * export const GET = withRequestLog(async (request) => Response.json(await drain()));
 */
export function withRequestLog<Rest extends unknown[]>(
  handler: (request: Request, ...rest: Rest) => Response | Promise<Response>,
  { logger }: WithRequestLogOptions = {},
): (request: Request, ...rest: Rest) => Promise<Response> {
  const baseLogger = createLogger(logger);
  return async (request, ...rest) => {
    const log = startRequestLog(request, baseLogger);
    let response: Response;
    try {
      response = await handler(request, ...rest);
    } catch (error) {
      log.logger.error({ err: error }, "Request handler failed");
      log.complete(500);
      throw error;
    }
    const withId = withHeader(response, "x-request-id", log.requestId);
    log.complete(withId.status);
    return withId;
  };
}

/** Sets a header, on a copy when the response's headers are immutable (`Response.redirect()`, fetched ones). */
function withHeader(response: Response, name: string, value: string): Response {
  try {
    response.headers.set(name, value);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    copy.headers.set(name, value);
    return copy;
  }
}
