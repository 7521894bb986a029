/**
 * Incoming ids reused only when they look like ids: anything else (long, or with spaces, quotes or
 * newlines) could forge log lines or bloat every log entry.
 */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The id for this request: an incoming `x-request-id` (from a proxy or the caller) when it is safe
 * to log, else a fresh UUID.
 *
 * @example
 * resolveRequestId(request.headers.get("x-request-id"));
 */
export function resolveRequestId(incoming: string | null): string {
  return incoming !== null && REQUEST_ID_PATTERN.test(incoming) ? incoming : crypto.randomUUID();
}
