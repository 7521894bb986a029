import { HttpError } from "../errors/http-error.js";
import { directAnswers } from "./direct-answers.js";
import {
  type ChatCompletionChunkLike,
  chunkText,
  parseChatCompletionEvent,
} from "./parse-chat-completion-chunk.js";
import { createServerSentEventParser } from "./parse-server-sent-events.js";

/** The openai SDK's chat-completions stream (`Stream<ChatCompletionChunk>`), typed by shape. */
export interface OpenAIChatCompletionStream extends AsyncIterable<ChatCompletionChunkLike> {
  /** Aborting it cancels the HTTP request. */
  controller: AbortController;
}

/** The ai SDK's `streamText()` result, typed by shape: its `fullStream` (or only a `textStream`). */
export type StreamTextResultLike =
  | { fullStream: AsyncIterable<{ type: string; text?: string; error?: unknown }> }
  | { textStream: AsyncIterable<string> };

/** Anything `openAIResponseStream` relays; see its documentation for what each one does. */
export type AnswerSource =
  | Response
  | ReadableStream<Uint8Array>
  | OpenAIChatCompletionStream
  | StreamTextResultLike
  | AsyncIterable<string | ChatCompletionChunkLike>;

/**
 * An upstream answer, read one piece at a time. Reading is split in two so the relay awaits the
 * upstream's own promise (a reader's `read()`, an iterator's `next()`) with no wrapper around it:
 * a promise fewer per chunk is most of the cost of relaying one.
 */
export interface TextSource {
  /** The upstream's next piece. Rejects when the upstream failed. */
  next(): Promise<IteratorResult<unknown>>;
  /**
   * Hands the text deltas of `piece` (never empty) to `emit`. Returns false when the piece ends the
   * answer (`[DONE]`); throws when it reports a failure.
   */
  take(piece: unknown, emit: (text: string) => void): boolean;
  /** At the upstream's end: hands over what was held back, and throws if the end was an abort. */
  end(emit: (text: string) => void): void;
  /** Stops the upstream (cancels its request where it can). Safe to call twice; never throws. */
  abort(reason: unknown): void;
}

interface TextSourceOptions {
  /** Called with the payload of an SSE event that is not JSON; the event is skipped. */
  onMalformed: (data: string) => void;
  /** Aborted with the source: the ai SDK's request stops only through its `abortSignal`. */
  abortController: AbortController | undefined;
}

const ERROR_EXCERPT_BYTES = 2048;
/** How long a model's body may stay open after its `[DONE]` before it is cancelled. */
const RELEASE_AFTER_DONE_MS = 1000;
const ignore = () => {};

/** The fetch signature the openai SDK's `fetch` option takes. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * Streaming responses fetched through {@link rawEventFetch}, by the abort signal the openai SDK gave
 * the request: the SDK's stream object keeps that signal's controller, so the relay finds the raw
 * response from the stream. Weak, so a response nobody relays is not kept.
 */
const rawResponses = new WeakMap<AbortSignal, Response>();

/**
 * The runtime's own `fetch`, also where a framework has wrapped `globalThis.fetch`: Next.js patches
 * it for its data cache and keeps the original as `_nextOriginalFetch`. Read at each call, as the
 * patch may come after this module loads.
 */
export function runtimeFetch(): FetchLike {
  const current = globalThis.fetch as typeof fetch & { _nextOriginalFetch?: typeof fetch };
  return typeof current._nextOriginalFetch === "function" ? current._nextOriginalFetch : current;
}

/**
 * A `fetch` for the openai SDK's client that lets `openAIResponseStream` read the stream's raw
 * server-sent events with Sprocket's parser instead of iterating the SDK's stream object, which
 * costs several times as much per chunk. Everything else is the SDK's: retries, errors, headers.
 * The answer behaves as with the SDK's iteration: a non-JSON event fails it, an `{"error": ...}`
 * event fails it, the client leaving aborts the request through the stream's `controller`. A stream
 * already iterated, or a client built without it, is iterated as before.
 *
 * By default it fetches with the runtime's own `fetch`, not the one Next.js patches into
 * `globalThis` for its data cache: a model's streamed POST is never cached, and through that patch
 * the SDK's request reached its first byte 1 to 2 ms later (`bench/README.md`). Pass a fetch, such
 * as `rawEventFetch(fetch)`, to go through Next.js's (for its fetch tracing, say).
 *
 * @example
 * const openai = new OpenAI({ apiKey, fetch: rawEventFetch() });
 * const stream = await openai.chat.completions.create({ model, messages, stream: true });
 * await reply.send(openAIResponseStream(stream)); // reads the raw events
 */
export function rawEventFetch(fetchImplementation?: FetchLike): FetchLike {
  return async (input, init) => {
    const response = await (fetchImplementation ?? runtimeFetch())(input, init);
    if (init?.signal && response.ok && response.body) registerRawResponse(init.signal, response);
    return response;
  };
}

/** Leaves the raw `response` of the request `signal` aborts for the relay to find (once). */
export function registerRawResponse(signal: AbortSignal, response: Response): void {
  rawResponses.set(signal, response);
}

/**
 * Adapts any {@link AnswerSource}, or a promise of one (the openai SDK's `create()` unawaited), to
 * one reading interface, so the relay never asks which SDK made it.
 *
 * @example
 * const source = createTextSource(await fetch(url, init), { onMalformed, abortController: undefined });
 * const print = (text: string) => process.stdout.write(text);
 * for (let piece = await source.next(); !piece.done; piece = await source.next()) {
 *   if (!source.take(piece.value, print)) break;
 * }
 */
export function createTextSource(
  input: AnswerSource | PromiseLike<AnswerSource>,
  options: TextSourceOptions,
): TextSource {
  if (isPromiseLike(input)) {
    const direct = directAnswers.get(input);
    if (direct) return directSource(input, direct, options);
    return deferredSource(
      Promise.resolve(input).then((value) => createTextSource(value, options)),
      options,
    );
  }
  if (input instanceof Response) return responseSource(input, options);
  if (input instanceof ReadableStream) return serverSentEventSource(input, options);
  if (typeof input === "object" && input !== null) {
    if ("fullStream" in input && isAsyncIterable(input.fullStream)) {
      return streamPartSource(input.fullStream, options.abortController);
    }
    if ("textStream" in input && isAsyncIterable(input.textStream)) {
      return iterableSource(input.textStream, options.abortController);
    }
    if (isAsyncIterable(input)) {
      const controller = "controller" in input ? (input.controller as AbortController) : undefined;
      const raw = controller && takeRawResponse(controller.signal);
      if (raw) return serverSentEventSource(raw, { ...options, sdkController: controller });
      return iterableSource(input, controller ?? options.abortController);
    }
  }
  throw new TypeError(
    "openAIResponseStream() takes the openai SDK's stream, a streamText() result, a fetch Response or " +
      "ReadableStream of OpenAI's server-sent events, or an async iterable of strings",
  );
}

/** The unread body of the openai SDK stream's response, when its client fetched through {@link rawEventFetch}. */
function takeRawResponse(signal: AbortSignal): ReadableStream<Uint8Array> | undefined {
  const response = rawResponses.get(signal);
  rawResponses.delete(signal);
  // Locked or used: someone iterated the SDK's stream already, so it is iterated on.
  if (!response?.body || response.bodyUsed || response.body.locked) return undefined;
  return response.body;
}

/**
 * OpenAI's wire format, parsed here: the fast path, and tolerant of a malformed event. With
 * `sdkController` (the raw events behind the openai SDK's stream object), it behaves as the SDK's
 * iteration does instead: an event that is not JSON fails the answer, and stopping aborts the
 * SDK's controller.
 */
function serverSentEventSource(
  body: ReadableStream<Uint8Array>,
  { onMalformed, sdkController }: TextSourceOptions & { sdkController?: AbortController },
): TextSource {
  const reader = body.getReader();
  // stream: true keeps a character split across chunks whole instead of two U+FFFD.
  const decoder = new TextDecoder("utf-8");
  let emit: (text: string) => void = ignore;
  let failure: unknown;
  let isDone = false;
  const parser = createServerSentEventParser((data) => {
    // Nothing after [DONE] or a failure reaches the answer, even within the same chunk.
    if (isDone || failure !== undefined) return;
    const event = parseChatCompletionEvent(data);
    if (event.type === "text") {
      if (event.text.length > 0) emit(event.text);
    } else if (event.type === "done") {
      isDone = true;
    } else if (event.type === "error") {
      failure ??= new Error(`The model reported an error: ${describe(event.error)}`, { cause: event.error });
    } else if (!sdkController) {
      onMalformed(data);
    } else {
      // The SDK throws JSON.parse's error for an event that is not JSON and skips other JSON.
      failure = jsonParseError(data);
    }
  });
  const abort = (reason: unknown) => {
    reader.cancel(reason).catch(ignore);
    sdkController?.abort(reason);
  };
  /**
   * Nothing after [DONE] matters, and the body's end is usually in the same read or the next: read
   * it rather than cancel, which costs an abort and its exception per answer. A body that goes on
   * after [DONE], or stays open, is cancelled.
   */
  const release = () => {
    const timer = setTimeout(() => abort(undefined), RELEASE_AFTER_DONE_MS);
    (timer as { unref?: () => void }).unref?.();
    reader.read().then(
      ({ done }) => {
        clearTimeout(timer);
        if (!done) abort(undefined);
      },
      () => clearTimeout(timer),
    );
  };
  const push = (text: string, next: (text: string) => void) => {
    emit = next;
    parser.push(text);
    if (failure !== undefined) throw failure;
  };
  return {
    next: () => reader.read(),
    take(piece, next) {
      push(decoder.decode(piece as Uint8Array, { stream: true }), next);
      if (isDone) release();
      return !isDone;
    },
    end: (next) => push(decoder.decode(), next),
    abort,
  };
}

function responseSource(response: Response, options: TextSourceOptions): TextSource {
  if (response.ok && response.body) {
    const type = response.headers.get("content-type") ?? "";
    if (!type.includes("json")) return serverSentEventSource(response.body, options);
  }
  // The failure is read on the first read, so it reaches the relay (and its idle timeout) like any other.
  return {
    async next() {
      const excerpt = await readExcerpt(response);
      if (response.ok) {
        throw new Error(
          `The model answered ${response.headers.get("content-type")}, not a stream: call it with stream: true (${excerpt})`,
        );
      }
      throw new HttpError("BAD_GATEWAY", `The model provider answered HTTP ${response.status}`, {
        cause: new Error(`HTTP ${response.status} from the model provider: ${excerpt}`),
      });
    },
    take: () => false,
    end: ignore,
    abort: (reason) => {
      response.body?.cancel(reason).catch(ignore);
    },
  };
}

/** The ai SDK's parts: text deltas, and failures it would otherwise only hand to its `onError`. */
function streamPartSource(
  parts: AsyncIterable<{ type: string; text?: string; error?: unknown }>,
  abortController: AbortController | undefined,
): TextSource {
  const iterator = parts[Symbol.asyncIterator]();
  return {
    next: () => iterator.next(),
    take(piece, emit) {
      const part = piece as { type: string; text?: string; error?: unknown };
      if (part.type === "text-delta" && part.text) emit(part.text);
      else if (part.type === "error") throw part.error;
      else if (part.type === "abort") throw new DOMException("The model's request was aborted", "AbortError");
      return true;
    },
    end: ignore,
    abort: (reason) => stopIterator(iterator, abortController, reason),
  };
}

function iterableSource(
  iterable: AsyncIterable<string | ChatCompletionChunkLike>,
  abortController: AbortController | undefined,
): TextSource {
  const iterator = iterable[Symbol.asyncIterator]();
  return {
    next: () => iterator.next(),
    take(piece, emit) {
      const text = typeof piece === "string" ? piece : chunkText(piece as ChatCompletionChunkLike);
      if (text.length > 0) emit(text);
      return true;
    },
    end() {
      // The openai SDK ends its iteration quietly when its controller is aborted; that is no
      // complete answer.
      if (abortController?.signal.aborted)
        throw new DOMException("The model's request was aborted", "AbortError");
    },
    abort: (reason) => stopIterator(iterator, abortController, reason),
  };
}

/** The source `ready` resolves to, read as one from now on: a source not made yet. */
function deferredSource(ready: Promise<TextSource>, options: TextSourceOptions): TextSource {
  let source: TextSource | undefined;
  let abortReason: { reason: unknown } | undefined;
  const resolved = ready.then((value) => {
    source = value;
    if (abortReason) source.abort(abortReason.reason);
    return source;
  });
  resolved.catch(ignore);
  return {
    next: () => (source ? source.next() : resolved.then((ready) => ready.next())),
    // Only called after next() resolved, so the source exists.
    take: (piece, emit) => (source as TextSource).take(piece, emit),
    end: (emit) => source?.end(emit),
    abort(reason) {
      abortReason ??= { reason };
      source?.abort(reason);
      options.abortController?.abort(reason);
    },
  };
}

/**
 * A `create()` promise of `withDirectStreaming`: its response's raw events are read as soon as the
 * response arrives, and stopping before then aborts the request itself.
 */
function directSource(
  answer: PromiseLike<AnswerSource>,
  { response, controller }: { response: Promise<Response>; controller: AbortController },
  options: TextSourceOptions,
): TextSource {
  const ready = response.then((): TextSource | Promise<TextSource> => {
    const body = takeRawResponse(controller.signal);
    if (body) return serverSentEventSource(body, { ...options, sdkController: controller });
    // The raw body was taken before (the answer was awaited, and its stream handed over or read):
    // the SDK's stream is iterated instead, which fails like the SDK's own if the body is in use.
    return Promise.resolve(answer).then((stream) => createTextSource(stream, options));
  });
  return deferredSource(ready, { ...options, abortController: controller });
}

function stopIterator(
  iterator: AsyncIterator<unknown>,
  abortController: AbortController | undefined,
  reason: unknown,
): void {
  // The controller first: an iterator's return() waits behind a pending next(), an abort does not.
  abortController?.abort(reason);
  try {
    Promise.resolve(iterator.return?.()).catch(ignore);
  } catch {
    // A broken return() must not stop the abort.
  }
}

async function readExcerpt(response: Response): Promise<string> {
  if (!response.body) return "(no body)";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    while (text.length < ERROR_EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    reader.cancel().catch(ignore);
  }
  return text.slice(0, ERROR_EXCERPT_BYTES);
}

function describe(error: unknown): string {
  if (typeof error === "object" && error !== null && "message" in error) return String(error.message);
  return JSON.stringify(error) ?? String(error);
}

function jsonParseError(data: string): unknown {
  try {
    JSON.parse(data);
    return undefined;
  } catch (error) {
    return error;
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<AnswerSource> {
  // A Response is not thenable, but an SDK's promise may also be an object with other methods.
  return (
    typeof value === "object" && value !== null && typeof (value as PromiseLike<unknown>).then === "function"
  );
}

function isAsyncIterable(value: unknown): value is AsyncIterable<never> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === "function"
  );
}
