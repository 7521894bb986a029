import { HttpError } from "../errors/http-error.js";
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

/** An upstream answer, read one piece at a time. */
export interface TextSource {
  /**
   * Reads the next piece the upstream sent and hands its text deltas (never empty) to `emit`.
   * Resolves `false` once the answer has ended; rejects when the upstream failed.
   */
  read(emit: (text: string) => void): Promise<boolean>;
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
const ignore = () => {};

/**
 * Adapts any {@link AnswerSource}, or a promise of one (the openai SDK's `create()` unawaited), to
 * one reading interface, so the relay never asks which SDK made it.
 *
 * @example
 * const source = createTextSource(await fetch(url, init), { onMalformed, abortController: undefined });
 * while (await source.read((text) => process.stdout.write(text))) {}
 */
export function createTextSource(
  input: AnswerSource | PromiseLike<AnswerSource>,
  options: TextSourceOptions,
): TextSource {
  if (isPromiseLike(input)) return deferredSource(input, options);
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
      return iterableSource(input, controller ?? options.abortController);
    }
  }
  throw new TypeError(
    "openAIResponseStream() takes the openai SDK's stream, a streamText() result, a fetch Response or " +
      "ReadableStream of OpenAI's server-sent events, or an async iterable of strings",
  );
}

/** OpenAI's wire format, parsed here: the fast path, and tolerant of a malformed event. */
function serverSentEventSource(
  body: ReadableStream<Uint8Array>,
  { onMalformed }: TextSourceOptions,
): TextSource {
  const reader = body.getReader();
  // stream: true keeps a character split across chunks whole instead of two U+FFFD.
  const decoder = new TextDecoder("utf-8");
  let emit: (text: string) => void = ignore;
  let failure: unknown;
  let isDone = false;
  const parser = createServerSentEventParser((data) => {
    if (isDone) return;
    const event = parseChatCompletionEvent(data);
    if (event.type === "text") {
      if (event.text.length > 0) emit(event.text);
    } else if (event.type === "done") {
      isDone = true;
    } else if (event.type === "error") {
      failure ??= new Error(`The model reported an error: ${describe(event.error)}`, { cause: event.error });
    } else {
      onMalformed(data);
    }
  });
  const abort = (reason: unknown) => {
    reader.cancel(reason).catch(ignore);
  };
  return {
    async read(next) {
      if (isDone) return false;
      const { done, value } = await reader.read();
      emit = next;
      parser.push(done ? decoder.decode() : decoder.decode(value, { stream: true }));
      if (failure !== undefined) throw failure;
      // Nothing after [DONE] matters: release the connection now rather than wait for its end.
      if (isDone && !done) abort(undefined);
      return !(done || isDone);
    },
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
    async read() {
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
    async read(emit) {
      const { done, value } = await iterator.next();
      if (done) return false;
      if (value.type === "text-delta" && value.text) emit(value.text);
      else if (value.type === "error") throw value.error;
      else if (value.type === "abort")
        throw new DOMException("The model's request was aborted", "AbortError");
      return true;
    },
    abort: (reason) => stopIterator(iterator, abortController, reason),
  };
}

function iterableSource(
  iterable: AsyncIterable<string | ChatCompletionChunkLike>,
  abortController: AbortController | undefined,
): TextSource {
  const iterator = iterable[Symbol.asyncIterator]();
  return {
    async read(emit) {
      const { done, value } = await iterator.next();
      if (done) {
        // The openai SDK ends its iteration quietly when its controller is aborted; that is no
        // complete answer.
        if (abortController?.signal.aborted) {
          throw new DOMException("The model's request was aborted", "AbortError");
        }
        return false;
      }
      const text = typeof value === "string" ? value : chunkText(value);
      if (text.length > 0) emit(text);
      return true;
    },
    abort: (reason) => stopIterator(iterator, abortController, reason),
  };
}

function deferredSource(input: PromiseLike<AnswerSource>, options: TextSourceOptions): TextSource {
  let source: TextSource | undefined;
  let abortReason: { reason: unknown } | undefined;
  const resolved = Promise.resolve(input).then((value) => {
    source = createTextSource(value, options);
    if (abortReason) source.abort(abortReason.reason);
    return source;
  });
  resolved.catch(ignore);
  return {
    async read(emit) {
      return (source ?? (await resolved)).read(emit);
    },
    abort(reason) {
      abortReason ??= { reason };
      source?.abort(reason);
      options.abortController?.abort(reason);
    },
  };
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
