import { redactHeaders, redactUrl } from "./redaction.js";

/** What a request looks like in logs: no body, secrets redacted. */
export interface SerializedRequest {
  id?: string;
  method: string;
  url: string;
  headers: Record<string, unknown>;
  ip?: string;
}

/**
 * pino serializer for `request` and `req`: accepts the route context's request or a Web `Request`
 * and logs method, URL and headers with secrets redacted, never the body. Anything else passes
 * through untouched.
 *
 * @example
 * pino({ serializers: { request: serializeRequest } }).info({ request }, "incoming");
 */
export function serializeRequest(value: unknown): unknown {
  if (value instanceof Request) {
    return {
      method: value.method,
      url: redactUrl(value.url),
      headers: redactHeaders(Object.fromEntries(value.headers)),
    } satisfies SerializedRequest;
  }
  if (!isRequestLike(value)) return value;
  const serialized: SerializedRequest = {
    method: value.method,
    url: redactUrl(value.url),
    headers: redactHeaders(value.headers),
  };
  if (typeof value.id === "string") serialized.id = value.id;
  if (typeof value.ip === "string") serialized.ip = value.ip;
  return serialized;
}

interface RequestLike {
  id?: unknown;
  method: string;
  url: string;
  headers: Record<string, unknown>;
  ip?: unknown;
}

function isRequestLike(value: unknown): value is RequestLike {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Partial<RequestLike>;
  return (
    typeof candidate.method === "string" &&
    typeof candidate.url === "string" &&
    typeof candidate.headers === "object" &&
    candidate.headers !== null
  );
}
