import type { Logger } from "pino";
import { type HttpErrorCode, isHttpError } from "../errors/http-error.js";

/**
 * Codes that would tell an attacker which check failed; callers get a plain 401 `UNAUTHORIZED`
 * and the real code goes to the log.
 */
const MASKED_AS_UNAUTHORIZED: ReadonlySet<HttpErrorCode> = new Set(["INVALID_SIGNATURE", "STALE_TIMESTAMP"]);
const JSON_TYPE = "application/json; charset=utf-8";

/** Inputs of {@link renderError} besides the error. */
export interface RenderErrorOptions {
  requestId: string;
  /** In production a 500's code and message are masked; in development they explain the bug. */
  isProduction: boolean;
}

/**
 * The response for anything thrown on a route: a thrown `Response` as it is (Shopify's
 * `authenticate.*` style), an `HttpError` as `{ "error": { code, message, requestId, details? } }`,
 * anything else as a masked 500. Pure: logging is {@link logError}'s job.
 *
 * @example
 * return renderError(error, { requestId, isProduction: process.env.NODE_ENV === "production" });
 */
export function renderError(error: unknown, { requestId, isProduction }: RenderErrorOptions): Response {
  if (error instanceof Response) return error;
  if (!isHttpError(error) || (isProduction && error.status === 500)) {
    return errorResponse(500, { code: "INTERNAL_SERVER_ERROR", message: "Internal Server Error", requestId });
  }
  if (MASKED_AS_UNAUTHORIZED.has(error.code)) {
    return errorResponse(401, { code: "UNAUTHORIZED", message: "Unauthorized", requestId }, error.headers);
  }
  const body: ErrorBody = { code: error.code, message: error.message, requestId };
  if (error.details !== undefined) body.details = error.details;
  return errorResponse(error.status, body, error.headers);
}

/**
 * Logs what {@link renderError} answers: unexpected errors and 5xx at `error` with the stack,
 * masked authentication failures at `warn` with their real code, other 4xx at `info` without the
 * cause (a JSON parse error quotes the body).
 *
 * @example
 * logError(logger, error);
 */
export function logError(logger: Logger, error: unknown): void {
  if (error instanceof Response) {
    logger.debug({ status: error.status }, "Route threw a Response; sent as is");
  } else if (!isHttpError(error) || error.status >= 500) {
    logger.error({ err: error }, isHttpError(error) ? error.message : "Unhandled error in route");
  } else if (MASKED_AS_UNAUTHORIZED.has(error.code)) {
    logger.warn({ code: error.code, status: 401 }, `Request rejected as unauthorized: ${error.message}`);
  } else {
    logger.info({ code: error.code, status: error.status }, `Request rejected: ${error.message}`);
  }
}

interface ErrorBody {
  code: HttpErrorCode;
  message: string;
  requestId: string;
  details?: unknown;
}

function errorResponse(status: number, error: ErrorBody, extraHeaders?: HeadersInit): Response {
  const headers = new Headers(extraHeaders);
  headers.set("content-type", JSON_TYPE);
  return new Response(JSON.stringify({ error }), { status, headers });
}
