import type { Logger } from "pino";

/**
 * The method a body implements to decide its `Response` later: `reply.send()` awaits it. A stream
 * whose status depends on its first chunk (an AI answer: 200 once a token arrives, 502 when the
 * model fails first) cannot be a plain `ReadableStream`, because a status is committed with the
 * first byte. `Symbol.for`, so a body built by another copy of this package is still recognised.
 */
export const toDeferredResponse: unique symbol = Symbol.for("sprocket.reply.deferred-response");

/** What `reply.send()` gives a deferred body. */
export interface DeferredResponseContext {
  /**
   * The request's logger (bound to its request id), for what goes wrong after the response starts.
   * Made when first read: read it where something is logged, not ahead, so a request that logs
   * nothing makes none.
   */
  readonly logger: Logger;
  /**
   * Aborts when the client goes away before the answer is sent (the request's own signal), so a
   * body that generates its answer can stop the work nobody will read.
   */
  readonly signal?: AbortSignal;
}

/**
 * A body that produces its `Response` when it knows its status. `reply.send(body)` awaits
 * `body[toDeferredResponse]({ logger })`:
 * - it resolves with a `Response`, which is sent as a `Response` passed to `send` is (its status and
 *   headers win over the reply's);
 * - it rejects (with an `HttpError`, typically), and `send` rejects with that error while the reply
 *   stays unsent: the error boundary answers it, or the handler catches it and sends something else.
 *
 * Until it settles, a second `send` throws `REPLY_ALREADY_SENT`.
 *
 * @example
 * const later: DeferredResponse = {
 *   [toDeferredResponse]: async ({ logger }) => new Response(await firstChunk()),
 * };
 * await reply.send(later);
 */
export interface DeferredResponse {
  [toDeferredResponse](context: DeferredResponseContext): Promise<Response>;
}

/** Whether `value` is a {@link DeferredResponse}. @example isDeferredResponse(body) */
export function isDeferredResponse(value: unknown): value is DeferredResponse {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Partial<DeferredResponse>)[toDeferredResponse] === "function"
  );
}
