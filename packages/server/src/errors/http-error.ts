/**
 * Every error code the toolkit answers with, its HTTP status and the message callers see when none
 * is given. The one place a code gets its status: add a code here, nowhere else.
 */
const HTTP_ERRORS = {
  BAD_REQUEST: { status: 400, message: "Bad Request" },
  INVALID_JSON: { status: 400, message: "Request body is not valid JSON" },
  VALIDATION_FAILED: { status: 400, message: "Request failed validation" },
  INVALID_FILTER: { status: 400, message: "Invalid filter" },
  INVALID_QUERY: { status: 400, message: "Invalid query" },
  UNAUTHORIZED: { status: 401, message: "Unauthorized" },
  INVALID_SIGNATURE: { status: 401, message: "Invalid signature" },
  STALE_TIMESTAMP: { status: 401, message: "Stale timestamp" },
  FORBIDDEN: { status: 403, message: "Forbidden" },
  CORS_ORIGIN_DENIED: { status: 403, message: "Origin not allowed" },
  NOT_FOUND: { status: 404, message: "Not Found" },
  METHOD_NOT_ALLOWED: { status: 405, message: "Method Not Allowed" },
  CONFLICT: { status: 409, message: "Conflict" },
  PAYLOAD_TOO_LARGE: { status: 413, message: "Payload Too Large" },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: "Unsupported Media Type" },
  TOO_MANY_REQUESTS: { status: 429, message: "Too Many Requests" },
  // nginx's status for a client that hung up first: it is logged, never seen by that client.
  CLIENT_CLOSED_REQUEST: { status: 499, message: "Client Closed Request" },
  INTERNAL_SERVER_ERROR: { status: 500, message: "Internal Server Error" },
  NO_REPLY: { status: 500, message: "The route handler finished without sending a reply" },
  REPLY_ALREADY_SENT: { status: 500, message: "A reply was already sent for this request" },
  NOT_CONFIGURED: { status: 500, message: "Not configured" },
  BAD_GATEWAY: { status: 502, message: "Bad Gateway" },
  SERVICE_UNAVAILABLE: { status: 503, message: "Service Unavailable" },
  GATEWAY_TIMEOUT: { status: 504, message: "Gateway Timeout" },
} as const satisfies Record<string, { status: number; message: string }>;

/** A stable, machine-readable error code; each maps to one HTTP status. */
export type HttpErrorCode = keyof typeof HTTP_ERRORS;

/** Options for {@link HttpError}. */
export interface HttpErrorOptions {
  /** The error that caused this one; logged, never sent to the caller. */
  cause?: unknown;
  /** Structured data sent to the caller, e.g. validation issues. */
  details?: unknown;
  /** Overrides the status from the code table (400-599). Default: the code's status. */
  status?: number;
  /** Extra headers for the error response, e.g. `retry-after` or `www-authenticate`. */
  headers?: HeadersInit;
}

// Symbol.for, not instanceof alone: bundlers can load this module twice (server layers), and an
// error from one copy must still be recognised by the other.
const HTTP_ERROR_BRAND = Symbol.for("sprocket.http-error");

/**
 * An error with an HTTP status and a stable code, rendered by the route's error boundary as
 * `{ "error": { "code", "message", "requestId", "details"? } }`.
 *
 * @example
 * throw new HttpError("NOT_FOUND", "Customer not found");
 */
export class HttpError extends Error {
  override readonly name = "HttpError";
  readonly code: HttpErrorCode;
  readonly status: number;
  readonly details: unknown;
  readonly headers: HeadersInit | undefined;

  constructor(code: HttpErrorCode, message?: string, options: HttpErrorOptions = {}) {
    const known = HTTP_ERRORS[code];
    if (!known) throw new TypeError(`Unknown HttpError code: ${String(code)}`);
    const { cause, details, status = known.status, headers } = options;
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new TypeError(`HttpError status must be an integer from 400 to 599, got ${status}`);
    }
    super(message ?? known.message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.status = status;
    this.details = details;
    this.headers = headers;
    Object.defineProperty(this, HTTP_ERROR_BRAND, { value: true });
  }
}

/**
 * Whether `value` is an {@link HttpError}, also across duplicated copies of this package.
 *
 * @example
 * try { await verify(request) } catch (error) { if (isHttpError(error) && error.status === 401) ... }
 */
export function isHttpError(value: unknown): value is HttpError {
  return (
    value instanceof HttpError ||
    (typeof value === "object" &&
      value !== null &&
      (value as Record<symbol, unknown>)[HTTP_ERROR_BRAND] === true)
  );
}
