import { type LoggerSource, logsItsOwnErrors } from "../_internal/log-stream-errors.js";
import { HttpError } from "../errors/http-error.js";
import type { TextSource } from "./text-source.js";

/** How an answer ended: see `openAIResponseStream` for what each one means. */
export type AnswerStatus = "complete" | "aborted" | "error";

/** The second argument of `onComplete`. */
export interface AnswerEnd {
  status: AnswerStatus;
  /** Why the answer stopped, for `"aborted"` and `"error"`. */
  error?: unknown;
}

/** The callbacks of an answer; each is called at most once, and their errors are only logged. */
export interface AnswerCallbacks {
  onComplete?: (content: string, end: AnswerEnd) => unknown;
  onError?: (event: { error: unknown; content: string }) => unknown;
  onAbort?: (event: { reason: unknown; content: string }) => unknown;
}

export interface RelayOptions extends AnswerCallbacks {
  /** The request's logger, read only when something is logged (it is made on first use). */
  log: LoggerSource;
  /** Milliseconds without upstream activity before the answer fails; `Infinity` never. */
  idleTimeout: number;
  keepGenerating: boolean;
  signal: AbortSignal | undefined;
}

const ignore = () => {};

/**
 * Reads `source` and relays its text as UTF-8 bytes as it arrives, the deltas of each upstream read
 * enqueued together. The returned
 * promise resolves with the body at the first text, so the status is committed only then; it
 * rejects with an `HttpError` when the answer failed (502, 504 on the idle timeout), ended empty
 * (502) or lost its client (499) before any text. Every ending is decided once, by the first event
 * that ends the answer; later ones (a read settling after an abort) are ignored.
 *
 * @example
 * const body = await relayAnswer(source, { log: { logger }, idleTimeout: 60_000, keepGenerating: false, signal: undefined });
 * return new Response(body, { headers: ANSWER_HEADERS });
 */
export function relayAnswer(source: TextSource, options: RelayOptions): Promise<ReadableStream<Uint8Array>> {
  const { log, idleTimeout, keepGenerating, signal } = options;
  const encoder = new TextEncoder();
  let content = "";
  let body: ReadableStreamDefaultController<Uint8Array> | undefined;
  // An error waiting for the client to read what was already queued (see `pull`).
  let pendingBodyError: { error: unknown } | undefined;
  let isClientGone = false;
  let ended: AnswerStatus | undefined;
  let lastActivity = Date.now();
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let settleBody!: { resolve: (body: ReadableStream<Uint8Array>) => void; reject: (error: unknown) => void };
  const bodyReady = new Promise<ReadableStream<Uint8Array>>((resolve, reject) => {
    settleBody = { resolve, reject };
  });

  // The text of one upstream read, sent as one chunk (see `send`).
  let batch = "";
  const emit = (text: string): void => {
    content += text;
    batch += text;
  };
  /**
   * Enqueues the deltas of one upstream read as one chunk: behind a framework's response pipeline
   * (Next.js) each chunk costs more than parsing its events, so a read of many events is one write.
   */
  const send = (isLast = false): void => {
    if (batch === "") return;
    let text = batch;
    batch = "";
    // A read that ends in a high surrogate: its pair starts the next read, and encoded apart each
    // half would reach the client as U+FFFD. It waits for the next write (the last one sends it).
    const end = text.charCodeAt(text.length - 1);
    if (!isLast && end >= 0xd800 && end <= 0xdbff) {
      batch = text.slice(-1);
      text = text.slice(0, -1);
      if (text === "") return;
    }
    if (isClientGone) return;
    if (body) {
      body.enqueue(encoder.encode(text));
      return;
    }
    const first = encoder.encode(text);
    settleBody.resolve(
      logsItsOwnErrors(
        new ReadableStream<Uint8Array>({
          start(controller) {
            body = controller;
            controller.enqueue(first);
          },
          // Called when the queue is empty: a failure waits until the text before it was read.
          pull(controller) {
            if (pendingBodyError) controller.error(pendingBodyError.error);
          },
          cancel(reason) {
            disconnect(reason ?? new DOMException("The client closed the response", "AbortError"), true);
          },
        }),
      ),
    );
  };

  const endBody = (status: AnswerStatus, error: unknown, isClientLeaving = false): void => {
    if (isClientGone) return;
    if (!body) {
      settleBody.reject(rejectionFor(status, error));
      return;
    }
    if (status === "complete") {
      body.close();
      return;
    }
    // The body is sent as it is (logsItsOwnErrors), so its failure is logged here, as route()
    // logs any other body's: a model's error, the idle timeout, an abort the app made (the SDK
    // stream's controller, a signal given to the model's call). The client leaving is logged by
    // `disconnect`.
    if (!isClientLeaving) {
      log.logger.error(
        { err: error, characters: content.length },
        "Response stream failed after the response started",
      );
    }
    // The client must see a failed read, not a clean end that looks like a whole answer.
    if ((body.desiredSize ?? 0) > 0) body.error(error);
    else pendingBodyError = { error };
  };

  const finish = (status: AnswerStatus, error?: unknown): void => {
    if (ended) return;
    ended = status;
    clearTimeout(idleTimer);
    signal?.removeEventListener("abort", onSignalAbort);
    if (status !== "complete") source.abort(error);
    endBody(status, error);
    if (isClientGone && status === "error") {
      log.logger.error(
        { err: error, characters: content.length },
        "The model's answer failed after the client left",
      );
    }
    if (content.length > 0) {
      invoke(log, "onComplete", () =>
        options.onComplete?.(content, error === undefined ? { status } : { status, error }),
      );
    }
    if (status === "error") invoke(log, "onError", () => options.onError?.({ error, content }));
    if (status === "aborted") invoke(log, "onAbort", () => options.onAbort?.({ reason: error, content }));
  };

  /** The client left: the response body was cancelled, or the caller's `signal` aborted. */
  const disconnect = (reason: unknown, isCancelled: boolean): void => {
    if (ended || isClientGone) return;
    if (!body) settleBody.reject(rejectionFor("aborted", reason));
    else if (!isCancelled) endBody("aborted", reason, true);
    isClientGone = true;
    // With the reason: a `signal` the app passed may be its own deadline rather than the client.
    if (keepGenerating) {
      log.logger.info(
        { err: reason, characters: content.length },
        "The client left; the model's answer goes on to be saved",
      );
    } else {
      log.logger.info(
        { err: reason, characters: content.length },
        "The client left; stopped the model's answer",
      );
      finish("aborted", reason);
    }
  };

  function onSignalAbort(): void {
    disconnect(signal?.reason, false);
  }

  const checkIdle = (): void => {
    if (ended) return;
    const idle = Date.now() - lastActivity;
    if (idle < idleTimeout) {
      idleTimer = setTimeout(checkIdle, idleTimeout - idle);
      return;
    }
    const seconds = Math.round(idleTimeout / 100) / 10;
    finish("error", new HttpError("GATEWAY_TIMEOUT", `The model sent nothing for ${seconds} s`));
  };

  const pump = async (): Promise<void> => {
    try {
      for (;;) {
        const piece = await source.next();
        if (ended) return;
        // Set per read rather than re-arming a timer: one clock read per chunk is the cheapest.
        lastActivity = Date.now();
        if (piece.done) {
          try {
            source.end(emit);
          } finally {
            send(true);
          }
          break;
        }
        let isMore = false;
        try {
          isMore = source.take(piece.value, emit);
        } finally {
          // Text taken before a failure in the same read still reaches the client before it.
          send(!isMore);
        }
        if (!isMore) break;
      }
      if (ended) return;
      if (content.length > 0) finish("complete");
      else finish("error", new HttpError("BAD_GATEWAY", "The model ended its answer without any text"));
    } catch (error) {
      finish(isAbortError(error) ? "aborted" : "error", error);
    }
  };

  if (Number.isFinite(idleTimeout)) idleTimer = setTimeout(checkIdle, idleTimeout);
  if (signal?.aborted) disconnect(signal.reason, false);
  else signal?.addEventListener("abort", onSignalAbort, { once: true });
  if (!ended) void pump();
  return bodyReady;
}

/** What the route answers when an answer ends before its first text. */
function rejectionFor(status: AnswerStatus, error: unknown): HttpError {
  if (status === "aborted") {
    return new HttpError("CLIENT_CLOSED_REQUEST", "The client left before the answer started", {
      cause: error,
    });
  }
  if (error instanceof HttpError) return error;
  return new HttpError("BAD_GATEWAY", "The model failed before answering", { cause: error });
}

function isAbortError(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === "AbortError";
}

/** Runs a callback without letting it break the stream: its error, thrown or rejected, is logged. */
function invoke(log: LoggerSource, name: string, callback: () => unknown): void {
  const report = (error: unknown) =>
    log.logger.error({ err: error }, `openAIResponseStream ${name} callback failed`);
  try {
    const result = callback();
    // No await: saving the answer must not hold the response.
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === "function") {
      (result as PromiseLike<unknown>).then(ignore, report);
    }
  } catch (error) {
    report(error);
  }
}
