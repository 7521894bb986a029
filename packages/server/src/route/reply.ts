import { asyncIterableToStream } from "../_internal/async-iterable-to-stream.js";
import { isSelfLogging, type LoggerSource, logStreamErrors } from "../_internal/log-stream-errors.js";
import { HttpError } from "../errors/http-error.js";
import { isDeferredResponse, toDeferredResponse } from "./deferred-response.js";
import type { HeaderValue, Reply } from "./types.js";

const TEXT_TYPE = "text/plain; charset=utf-8";
const JSON_TYPE = "application/json; charset=utf-8";
const BINARY_TYPE = "application/octet-stream";
/** Redirect statuses that carry a Location (RFC 9110 §15.4); 300, 304, 305 and 306 do not redirect. */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Statuses whose responses carry no body (RFC 9110 §15.3.5, §15.3.6, §15.4.5); `Response` throws on one. */
const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([204, 205, 304]);

/** A reply and the promise of the `Response` its first `send` produces. */
export interface ReplyController {
  reply: Reply;
  /** Resolves as soon as the reply is sent: before the handler returns when it streams. */
  ready: Promise<Response>;
  /**
   * The last `send` of a deferred body, while the reply is unsent: a handler that returns without
   * awaiting it must still have its answer (or its failure) reach the client.
   */
  pendingSend(): Promise<Reply> | undefined;
}

/**
 * A Fastify-shaped reply for one request. The `Response` is built in `send`, once, and handed to
 * `ready` immediately, so a streamed body reaches the client while the handler is still running.
 *
 * @example
 * const { reply, ready } = createReply({ method: "GET", log: { logger }, renderError });
 * await reply.code(201).send({ ok: true });
 * const response = await ready;
 */
export function createReply({
  method,
  log,
  renderError,
  signal,
}: {
  method: string;
  log: LoggerSource;
  /** The request's signal, which a deferred body is given: it aborts when the client leaves. */
  signal?: AbortSignal;
  /** The answer to `send(error)`: the route's error boundary's. */
  renderError: (error: unknown) => Response;
}): ReplyController {
  let statusCode = 200;
  let isSent = false;
  let isSending = false;
  let deferredSend: Promise<Reply> | undefined;
  // Made by the first header set: most replies set none, and then the Response is sent as it is.
  let headers: Headers | undefined;
  // Not Promise.withResolvers: Node 20 lacks it.
  let resolve!: (response: Response) => void;
  const ready = new Promise<Response>((settle) => {
    resolve = settle;
  });

  const setHeader = (name: string, value: HeaderValue | null | undefined): void => {
    headers ??= new Headers();
    // As Fastify: no value is an empty one (a header copied from a request that lacked it).
    if (value === undefined || value === null) {
      headers.set(name, "");
    } else if (typeof value === "object") {
      headers.delete(name);
      for (const item of value) headers.append(name, item);
    } else if (name.toLowerCase() === "set-cookie") {
      headers.append(name, String(value));
    } else {
      headers.set(name, String(value));
    }
  };

  const reply: Reply = {
    get sent() {
      return isSent;
    },
    get statusCode() {
      return statusCode;
    },
    // Settable, as Fastify's is.
    set statusCode(code) {
      reply.code(code);
    },
    code(code) {
      // Fastify takes a status given as digits, such as a header's or a config's string.
      const status = typeof code === "string" && /^\d{3}$/.test(code) ? Number(code) : code;
      if (typeof status !== "number" || !Number.isInteger(status) || status < 200 || status > 599) {
        throw new RangeError(`reply.code() takes an integer from 200 to 599, got ${String(code)}`);
      }
      statusCode = status;
      return reply;
    },
    status(code) {
      return reply.code(code);
    },
    header(name, value) {
      setHeader(name, value);
      return reply;
    },
    headers(values) {
      for (const [name, value] of Object.entries(values)) {
        if (value !== undefined) setHeader(name, value);
      }
      return reply;
    },
    getHeader(name) {
      return headers?.get(name) ?? undefined;
    },
    getHeaders() {
      if (headers === undefined) return {};
      const all: Record<string, string | string[]> = Object.fromEntries(headers);
      // Each cookie its own value, as Fastify gives them.
      const cookies = headers.getSetCookie();
      if (cookies.length > 0) all["set-cookie"] = cookies;
      return all;
    },
    hasHeader(name) {
      return headers?.has(name) ?? false;
    },
    removeHeader(name) {
      headers?.delete(name);
      return reply;
    },
    type(contentType) {
      headers ??= new Headers();
      headers.set("content-type", contentType);
      return reply;
    },
    send(body) {
      if (isSent || isSending) {
        const error = new HttpError("REPLY_ALREADY_SENT", "reply.send() was called after the reply was sent");
        log.logger.error({ err: error }, error.message);
        throw error;
      }
      // Fastify's error reply, a send like any other: the reply's status when it is an error
      // status, else the error's 4xx `statusCode` (or `status`), else 500; rendered as the route's
      // boundary renders a thrown error, which logs it and keeps a 5xx's message to the log.
      if (body instanceof Error) {
        const response = renderError(errorReply(body, statusCode));
        isSent = true;
        resolve(response);
        return Promise.resolve(reply);
      }
      if (isDeferredResponse(body)) {
        // The request's logger itself is made only if the body logs something.
        const sending = body[toDeferredResponse]({
          get logger() {
            return log.logger;
          },
          signal,
        }).then((deferred) => {
          const response = buildResponse(deferred, {
            log,
            method,
            statusCode,
            headers,
          });
          isSent = true;
          resolve(response);
          return reply;
        });
        isSending = true;
        deferredSend = sending;
        // A failed deferred body leaves the reply unsent, so the handler or the boundary can answer.
        sending.catch(() => {
          isSending = false;
        });
        return sending;
      }
      // Built before marking as sent: a body that cannot be serialised leaves the reply unsent, so
      // the error boundary can still answer.
      const response = buildResponse(body, {
        log,
        method,
        statusCode,
        headers,
      });
      isSent = true;
      resolve(response);
      return Promise.resolve(reply);
    },
    redirect(first: string | URL | number, second?: string | URL | number) {
      // Fastify 4 (Gadget's routes) takes the status first; Fastify 5 takes it second.
      const [url, code = 302] = typeof first === "number" ? [second, first] : [first, second];
      if (typeof url !== "string" && !(url instanceof URL)) {
        throw new TypeError("reply.redirect() takes the URL to redirect to");
      }
      if (typeof code !== "number" || !REDIRECT_STATUSES.has(code)) {
        throw new RangeError(`reply.redirect() takes 301, 302, 303, 307 or 308, got ${code}`);
      }
      // Header values are bytes: percent-encode what is not printable ASCII (as browsers do).
      const location = String(url).replace(/[^\x21-\x7e]/gu, (character) => encodeURIComponent(character));
      return reply.code(code).header("location", location).send();
    },
  };
  return { reply, ready, pendingSend: () => (isSent ? undefined : deferredSend) };
}

/** The error `reply.send(error)` answers with, for the route's boundary to render. */
function errorReply(error: Error, replyStatus: number): Error {
  if (error instanceof HttpError) return error;
  const own =
    (error as { statusCode?: unknown; status?: unknown }).statusCode ??
    (error as { status?: unknown }).status;
  const status =
    replyStatus >= 400
      ? replyStatus
      : typeof own === "number" && Number.isInteger(own) && own >= 400 && own <= 599
        ? own
        : 500;
  if (status >= 500) return new HttpError("INTERNAL_SERVER_ERROR", undefined, { status, cause: error });
  return new HttpError("BAD_REQUEST", error.message, { status, cause: error });
}

interface ResponseState {
  log: LoggerSource;
  method: string;
  statusCode: number;
  /** The reply's headers; undefined when none were set. */
  headers: Headers | undefined;
}

function buildResponse(body: unknown, { log, method, statusCode, headers }: ResponseState): Response {
  if (body instanceof Response) {
    // Sent as it is when nothing would change it and it cannot be shared: a streamed answer that
    // logs its own failures (made for this request), no reply headers to merge, headers that may be
    // added to (not fetched, which also drops their encoding), and a status and method that keep
    // the body. One copy fewer on the way to an answer's first byte.
    if (
      headers === undefined &&
      body.body !== null &&
      isSelfLogging(body.body) &&
      !body.url &&
      method !== "HEAD" &&
      !NULL_BODY_STATUSES.has(body.status)
    ) {
      return body;
    }
    const merged = new Headers(headers);
    // The Response's own headers describe its body, so they win over the reply's.
    for (const [name, value] of body.headers) {
      if (name === "set-cookie") merged.append(name, value);
      else merged.set(name, value);
    }
    // A fetched Response's body is already decoded: its encoding and length no longer describe it.
    if (body.url) {
      merged.delete("content-encoding");
      merged.delete("content-length");
    }
    return finish(body.body, { log, method, statusCode: body.status, headers: merged }, body.statusText);
  }
  const { payload, contentType } = toPayload(body);
  const responseHeaders = new Headers(headers);
  const declared = responseHeaders.get("content-type");
  // As Fastify: a value serialised as JSON under a type the reply set to something else would be
  // mislabelled (`type("text/html").send({ ... })`), so it is refused (the boundary answers 500).
  if (contentType === JSON_TYPE && declared !== null && !isJsonMediaType(declared)) {
    throw new TypeError(
      `reply.send() got a value to send as JSON, but the reply's content-type is ${declared}: send a string or bytes`,
    );
  }
  if (contentType && declared === null) responseHeaders.set("content-type", contentType);
  return finish(payload, { log, method, statusCode, headers: responseHeaders });
}

function isJsonMediaType(contentType: string): boolean {
  const type = (contentType.split(";")[0] ?? "").trim().toLowerCase();
  return type === "application/json" || type.endsWith("+json");
}

function finish(
  payload: BodyInit | null,
  { log, method, statusCode, headers }: ResponseState & { headers: Headers },
  statusText?: string,
) {
  if (NULL_BODY_STATUSES.has(statusCode)) {
    discard(payload);
    headers.delete("content-type");
    headers.delete("content-length");
    return new Response(null, { status: statusCode, statusText, headers });
  }
  if (method === "HEAD") {
    discard(payload);
    return new Response(null, { status: statusCode, statusText, headers });
  }
  return new Response(payload instanceof ReadableStream ? logStreamErrors(payload, log) : payload, {
    status: statusCode,
    statusText,
    headers,
  });
}

function discard(payload: BodyInit | null): void {
  // Cancelling tells the producer (an upstream response, a generator) that nobody will read it.
  if (payload instanceof ReadableStream) payload.cancel().catch(() => {});
}

function toPayload(body: unknown): { payload: BodyInit | null; contentType?: string } {
  if (body === undefined) return { payload: null };
  if (typeof body === "string") return { payload: body, contentType: TEXT_TYPE };
  if (body instanceof ReadableStream) return { payload: body, contentType: BINARY_TYPE };
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
    return { payload: body as BufferSource as BodyInit, contentType: BINARY_TYPE };
  }
  if (body instanceof Blob) return { payload: body, contentType: body.type || BINARY_TYPE };
  // The Response constructor sets their content types (with the multipart boundary).
  if (body instanceof FormData || body instanceof URLSearchParams) return { payload: body };
  if (isAsyncIterable(body)) return { payload: asyncIterableToStream(body), contentType: BINARY_TYPE };
  const json = JSON.stringify(body);
  if (json === undefined) throw new TypeError(`reply.send() cannot serialise a ${typeof body} as JSON`);
  return { payload: json, contentType: JSON_TYPE };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<string | Uint8Array> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === "function"
  );
}
