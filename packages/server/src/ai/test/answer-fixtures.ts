import { pino } from "pino";

const encoder = new TextEncoder();

/** One `chat.completion.chunk` event carrying `content`, as OpenAI sends it. */
export function sseChunk(content: string): string {
  const chunk = {
    id: "chatcmpl-test",
    object: "chat.completion.chunk",
    created: 1,
    model: "test",
    choices: [{ index: 0, delta: { content }, logprobs: null, finish_reason: null }],
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/** A whole OpenAI stream for these deltas: role chunk, one chunk each, finish chunk, `[DONE]`. */
export function sseAnswer(deltas: readonly string[]): string {
  const role = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { role: "assistant", content: "" } }] })}\n\n`;
  const finish = `data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] })}\n\n`;
  return `${role}${deltas.map(sseChunk).join("")}${finish}data: [DONE]\n\n`;
}

/**
 * A byte stream the test writes to by hand, recording whether (and why) its reader cancelled it:
 * a stand-in for a model's HTTP response body.
 */
export function manualStream() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let cancelled!: (reason: unknown) => void;
  const cancellation = new Promise<unknown>((resolve) => {
    cancelled = resolve;
  });
  const stream = new ReadableStream<Uint8Array>({
    start(streamController) {
      controller = streamController;
    },
    cancel(reason) {
      cancelled(reason);
    },
  });
  return {
    stream,
    /** Resolves with the reason when the relay cancels the stream (aborting the request). */
    cancellation,
    write: (text: string | Uint8Array) =>
      controller.enqueue(typeof text === "string" ? encoder.encode(text) : text),
    close: () => controller.close(),
    fail: (error: unknown) => controller.error(error),
  };
}

/** A pino logger whose lines the test can read. */
export function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

/** A promise and its resolver, for waiting on a callback. */
export function deferred<Value = void>() {
  let resolve!: (value: Value) => void;
  const promise = new Promise<Value>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

/** Records each call of the answer callbacks, and resolves `ended` at the first. */
export function recordEndings() {
  const calls: { name: string; args: unknown[] }[] = [];
  const ended = deferred();
  const record =
    (name: string) =>
    (...args: unknown[]) => {
      calls.push({ name, args });
      ended.resolve();
    };
  return {
    calls,
    ended: ended.promise,
    callbacks: { onComplete: record("onComplete"), onError: record("onError"), onAbort: record("onAbort") },
  };
}
