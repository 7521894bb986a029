/**
 * Codes for answers that carry no error body of their own, taken from the server's code table so a
 * bare 401 from a proxy reads the same as one from the app.
 */
const CODES_BY_STATUS: Readonly<Record<number, string>> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  413: "PAYLOAD_TOO_LARGE",
  429: "TOO_MANY_REQUESTS",
  500: "INTERNAL_SERVER_ERROR",
  502: "BAD_GATEWAY",
  503: "SERVICE_UNAVAILABLE",
  504: "GATEWAY_TIMEOUT",
};

/** Status of errors raised before any answer arrived (network down, CORS refused). */
export const NO_RESPONSE_STATUS = 0;

/**
 * A failed model request: the server's `{ error: { code, message, requestId, details } }`, or a code
 * of the client's own: `NETWORK_ERROR` (status 0) when no answer arrived, `INVALID_RESPONSE` when
 * the answer was not the protocol's JSON.
 *
 * @example
 * try {
 *   await api.chat.findOne(id);
 * } catch (error) {
 *   if (error instanceof ApiError && error.code === "NOT_FOUND") notFound();
 * }
 */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly code: string;
  /** The HTTP status, or 0 when no answer arrived. */
  readonly status: number;
  /** The server's id for the request, to find it in the logs; undefined when it sent none. */
  readonly requestId: string | undefined;
  readonly details: unknown;

  constructor({
    code,
    status,
    message,
    requestId,
    details,
    cause,
  }: {
    code: string;
    status: number;
    message: string;
    requestId?: string | undefined;
    details?: unknown;
    cause?: unknown;
  }) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.status = status;
    this.requestId = requestId;
    this.details = details;
  }
}

/**
 * The {@link ApiError} a non-2xx `response` stands for, from its JSON error body when it has one.
 *
 * @example
 * if (!response.ok) throw await apiErrorFrom(response);
 */
export async function apiErrorFrom(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => undefined);
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  const requestId = error?.requestId ?? response.headers.get("x-request-id") ?? undefined;
  return new ApiError({
    code:
      typeof error?.code === "string" ? error.code : (CODES_BY_STATUS[response.status] ?? "INVALID_RESPONSE"),
    status: response.status,
    message:
      typeof error?.message === "string" ? error.message : `Request failed with status ${response.status}`,
    requestId: typeof requestId === "string" ? requestId : undefined,
    details: error?.details,
  });
}

/**
 * Whether sending the same request again may succeed: no answer, a timeout, rate limiting or a
 * server error. A refused filter or a missing record stays so, and retrying only adds load.
 *
 * @example
 * useSWR(key, fetcher, { shouldRetryOnError: isRetryable });
 */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  return (
    error.status === NO_RESPONSE_STATUS || error.status === 408 || error.status === 429 || error.status >= 500
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
