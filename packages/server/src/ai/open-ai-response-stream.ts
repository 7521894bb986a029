import { type DeferredResponse, toDeferredResponse } from "../route/deferred-response.js";
import { type AnswerCallbacks, relayAnswer } from "./relay-answer.js";
import { type AnswerSource, createTextSource, type TextSource } from "./text-source.js";

/**
 * The answer's headers. `no-transform` keeps proxies from compressing (and so buffering) it, and
 * `X-Accel-Buffering: no` turns off nginx's response buffering; no Content-Length, as the length is
 * unknown until the end.
 */
export const ANSWER_HEADERS: Readonly<Record<string, string>> = {
  "content-type": "text/plain; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  "x-accel-buffering": "no",
};

/** A model that sends nothing for this long has failed. */
const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

export interface OpenAIResponseStreamOptions extends AnswerCallbacks {
  /**
   * Persists the answer: called exactly once for every answer that produced any text, when it ends,
   * with the text produced and `{ status, error? }`: `"complete"`, `"aborted"` (the client left)
   * or `"error"` (the model failed or went idle). Not called when no text came (the route answered
   * 502, 504 or 499 instead). A returned promise is not awaited; its rejection is logged.
   */
  onComplete?: AnswerCallbacks["onComplete"];
  /** Called once when the answer fails (before or after its first text), besides `onComplete`. */
  onError?: AnswerCallbacks["onError"];
  /** Called once when the answer stops because the client left, besides `onComplete`. */
  onAbort?: AnswerCallbacks["onAbort"];
  /**
   * Keep reading the model after the client leaves, so `onComplete` saves the whole answer with
   * status `"complete"` (or `"error"`). Default: false (the model's request is aborted).
   */
  keepGenerating?: boolean;
  /** Milliseconds the model may send nothing before the answer fails. `Infinity` disables it. Default: 60000. */
  idleTimeout?: number;
  /**
   * An abort here is a client disconnect, e.g. `request.raw.signal`. Default: the request's own
   * signal, which `route()`'s `reply.send()` hands over.
   */
  signal?: AbortSignal;
  /**
   * Aborted when the answer stops early (the client left, the idle timeout). The ai SDK's request
   * stops only through the `abortSignal` given to `streamText()`: pass this controller's signal
   * there. Default: none.
   */
  abortController?: AbortController;
}

/**
 * Streams a model's answer to the client as plain UTF-8 text, the way Gadget's
 * `openAIResponseStream` does: `await reply.send(openAIResponseStream(stream, { onComplete }))`.
 * Each text delta is sent as it arrives. The status is committed at the first text: a model that
 * fails, or ends without text, before it answers 502 `BAD_GATEWAY` (504 `GATEWAY_TIMEOUT` when it
 * stays idle), through the route's error boundary, never as an empty 200.
 *
 * What it takes:
 * - the openai SDK's stream (`await openai.chat.completions.create({ stream: true, ... })`): its
 *   chunks are iterated and aborting goes through its `controller`. The SDK throws on a malformed
 *   event, which ends the answer with `"error"`. Pass the `create()` promise unawaited to have an
 *   HTTP error from OpenAI answered as 502 instead of thrown in the handler. Build the client with
 *   `fetch: rawEventFetch()` to have the stream's raw events parsed here instead (the fast path
 *   below), with the same endings as the SDK's iteration.
 * - a fetch `Response` or `ReadableStream` of OpenAI's server-sent events (`data: {...}`,
 *   `data: [DONE]`), e.g. `openai.chat.completions.create({...}).asResponse()`: the fast path,
 *   parsed here. A malformed event is logged and skipped, an `{"error": ...}` event fails the
 *   answer, a non-2xx response answers 502; cancelling the body aborts the request.
 * - the ai SDK's `streamText()` result: its `fullStream` is read (text deltas, and `error` parts
 *   fail the answer, which `textStream` would hide). Its request stops only through the
 *   `abortSignal` given to `streamText`: pass `abortController` here and its signal there.
 * - any `AsyncIterable<string>`: stopped through its iterator's `return()`.
 *
 * How it ends (callbacks fire once each; their errors are logged, never thrown):
 * - complete: the body closes; `onComplete(text, { status: "complete" })`.
 * - the client leaves (the body is cancelled, or `signal` aborts): the model's request is aborted;
 *   `onComplete(partial, { status: "aborted" })` and `onAbort`. With `keepGenerating`, the model is
 *   read to its end instead, and `onComplete(whole, { status: "complete" })`.
 * - the model fails or stays idle for `idleTimeout` after the first text: the body errors (the
 *   client sees a failed read after the text already sent); `onComplete(partial, { status: "error" })`
 *   and `onError`.
 * - before the first text, failure or emptiness answers 502/504 and calls `onError` only; a client
 *   gone answers 499 and calls `onAbort` only.
 *
 * @example
 * // app/chat/route.ts
 * import { route } from "@sprocket/server";
 * import { openAIResponseStream } from "@sprocket/server/ai";
 *
 * export const POST = route(async ({ request, reply, api, connections }) => {
 *   const stream = await connections.openai.chat.completions.create({ model, messages, stream: true });
 *   const onComplete = (content: string) => void api.message.create({ role: "assistant", content });
 *   await reply.send(openAIResponseStream(stream, { onComplete }));
 * });
 */
export function openAIResponseStream(
  input: AnswerSource | PromiseLike<AnswerSource>,
  options: OpenAIResponseStreamOptions = {},
): DeferredResponse {
  const { keepGenerating = false, idleTimeout = DEFAULT_IDLE_TIMEOUT_MS, signal, abortController } = options;
  if (!(idleTimeout > 0))
    throw new RangeError(`idleTimeout must be a positive number of milliseconds, got ${idleTimeout}`);
  let isStarted = false;
  return {
    // `context.logger` is read only when something is logged: the request's logger is made on first
    // use. Not async: the Response follows the first text by one turn, not three.
    [toDeferredResponse](context) {
      if (isStarted) return Promise.reject(new TypeError("An openAIResponseStream can be sent once"));
      isStarted = true;
      let source: TextSource;
      try {
        source = createTextSource(input, {
          abortController,
          onMalformed: (data) =>
            context.logger.warn(
              { event: data.slice(0, 200) },
              "Skipped a malformed event in the model's stream",
            ),
        });
      } catch (error) {
        return Promise.reject(error);
      }
      // Without a signal of its own, the request's: the client leaving stops the model, also where
      // the framework never cancels a body handed to a closed response.
      return relayAnswer(source, {
        ...options,
        log: context,
        idleTimeout,
        keepGenerating,
        signal: signal ?? context.signal,
      }).then((body) => new Response(body, { headers: ANSWER_HEADERS }));
    },
  };
}
