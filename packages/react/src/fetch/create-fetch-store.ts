import { fetchErrorFrom } from "./fetch-error.js";
import { requestFrame } from "./request-frame.js";

/** The options of `useFetch` and of a fetch store: `fetch`'s own, and how to read the answer. */
export interface FetchOptions extends RequestInit {
  /** Parse the answer as JSON, and send `accept: application/json` unless another accept is set. Default: false. */
  json?: boolean;
  /**
   * `true`: `data` is the answer's `ReadableStream`, to read as it arrives. `"string"` (UTF-8) or
   * an encoding label such as `"utf-16le"`: `data` is the text received so far, and `streaming` is
   * true until the answer ends. Default: false, `data` is the whole text once it has arrived.
   */
  stream?: boolean | string;
  /** Send when the component mounts. Default: true for GET requests, false for other methods. */
  sendImmediately?: boolean;
  /** Called once with the whole text when a text stream (`stream: "string"`) ends without error. */
  onStreamComplete?: (text: string) => void;
}

/** Where a request stands and what it answered. */
export interface FetchState<T> {
  /** The answer: parsed JSON, the text (so far, when streaming), or the body stream. Kept until the next answer. */
  data?: T;
  /** Whether a request was sent and its answer's headers have not arrived yet. */
  fetching: boolean;
  /** Whether a text stream is still arriving. */
  streaming: boolean;
  /** Why the last request failed: a {@link FetchError} for a non-2xx answer, else what `fetch` threw. Aborts are not errors. */
  error?: Error;
  /** The last answer's `Response`, once its headers have arrived. */
  response?: Response;
}

export interface FetchStoreConfig {
  /** Sends a request; `useFetch` passes the provider's fetch, which applies `baseUrl` and the auth source. */
  fetch: (path: string, init?: RequestInit) => Promise<Response>;
  path: string;
  options?: FetchOptions;
  /** The initial `fetching`, true when the owner sends at once so the first render shows it. Default: false. */
  fetching?: boolean;
}

/**
 * A streaming text's publish is followed by at least this many times its rendering cost, plus a
 * millisecond, without one: so no more than one frame in two at 60 Hz (at most 30 commits a
 * second, where the goal is 60), whatever the display's rate.
 */
const SPACING = 16;

/** A request and its state, outside any framework: subscribe, read the state, send, abort. */
export interface FetchStore<T = unknown, U = T> {
  /** The current state. The same object until something changed, as `useSyncExternalStore` needs. */
  getState(): FetchState<T>;
  /** Calls `listener` after each change of state; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /**
   * Sends the request, aborting the one in flight. `options` are merged over the store's (headers
   * merge name by name). Resolves to the answer: the JSON, the text, the body stream, or for a text
   * stream a `ReadableStream<string>` of the text once the headers arrive. Resolves to undefined
   * when aborted (by a newer send, `abort()`, the `signal` in the options or an unmount), which is
   * no error. Rejects with the error the state shows.
   */
  send(options?: Partial<FetchOptions>): Promise<U | undefined>;
  /** Aborts the request in flight, keeping the data received so far. */
  abort(): void;
  /** Replaces the path, fetch and options used by the next `send` (and the current stream's `onStreamComplete`). */
  configure(config: FetchStoreConfig): void;
}

/**
 * Creates a fetch store. While a text stream arrives, the state changes at most once per animation
 * frame: the first text at once, then what arrived since at the frame after the one that paints
 * it, and the whole text together with `streaming: false` when the stream ends. Changes are
 * sixteen times their rendering cost plus a millisecond apart: every other frame for a short text.
 *
 * @example
 * const store = createFetchStore({ fetch, path: "/chat", options: { method: "POST", stream: "string" } });
 * store.subscribe(() => render(store.getState().data));
 * await store.send({ body: JSON.stringify({ message: "Hi" }) });
 */
export function createFetchStore<T = unknown, U = T>(config: FetchStoreConfig): FetchStore<T, U> {
  let state: FetchState<T> = { fetching: !!config.fetching, streaming: false };
  let controller: AbortController | undefined;
  const listeners = new Set<() => void>();
  // Frame coalescing: `isFrameOpen` while a change was published in the current frame; `flush`
  // publishes the text a later chunk left waiting for the next frame. Any publish clears it.
  let isFrameOpen = false;
  let flush: (() => void) | undefined;
  // Bumped by each send, so a frame or timer left from an earlier answer does nothing.
  let chain = 0;

  const publish = (change: Partial<FetchState<T>>) => {
    flush = undefined;
    state = { ...state, ...change };
    for (const listener of listeners) listener();
  };
  // `painting`: the change was published outside a frame's callbacks, so the coming frame paints
  // it. That frame's callbacks come before its paint: publishing there too would be a second
  // commit in the same frame, and would hold the first text's paint back by its render.
  const openFrame = (painting?: boolean) => {
    const link = chain;
    isFrameOpen = true;
    requestFrame(() => {
      if (link !== chain) return;
      if (!flush) {
        isFrameOpen = false;
        return;
      }
      if (painting) return openFrame();
      const start = performance.now();
      flush();
      // What the publish cost, timed to the first task after this frame: the render, the DOM
      // update, and the browser's style, layout and paint of the text, which grow with it. The
      // next frame is asked for once SPACING times that has passed, so a long text takes a bounded
      // share of the main thread, and no frame is asked for meanwhile (each costs a rendering
      // update), while a short text still shows every frame. A newer send bumps `chain`, so that
      // a timer left from this answer opens no frame for the next.
      setTimeout(() => {
        const now = performance.now();
        setTimeout(() => link === chain && openFrame(), start + (now - start + 1) * SPACING - now);
      });
    });
  };

  const store: FetchStore<T, U> = {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    configure(next) {
      config = next;
    },
    abort() {
      if (!controller) return;
      // Text that arrived but waits for its frame: a Stop shows everything received.
      flush?.();
      controller.abort();
      controller = undefined;
      if (state.fetching || state.streaming) publish({ fetching: false, streaming: false });
    },
    async send(callOptions = {}) {
      controller?.abort();
      const request = new AbortController();
      const { signal } = request;
      controller = request;
      chain++;
      isFrameOpen = false;
      const {
        json,
        stream,
        sendImmediately,
        onStreamComplete,
        signal: callerSignal,
        ...init
      } = {
        ...config.options,
        ...callOptions,
      };
      // The caller's own signal (a Stop button's) aborts as abort() does, this request only.
      callerSignal?.addEventListener("abort", () => controller === request && store.abort(), { once: true });
      const headers = new Headers(config.options?.headers);
      for (const [name, value] of new Headers(callOptions.headers)) headers.set(name, value);
      if (json && !headers.has("accept")) headers.set("accept", "application/json");
      publish({ fetching: true, streaming: false, error: undefined });
      try {
        callerSignal?.throwIfAborted();
        // Made before sending, so that an unknown encoding label fails without a request.
        const decoder =
          !json && typeof stream === "string" && new TextDecoder(stream === "string" ? "utf-8" : stream);
        const response = await config.fetch(config.path, { ...init, headers, signal });
        if (!response.ok) throw await fetchErrorFrom(response);
        if (decoder) return readText(response, decoder, signal, callOptions.onStreamComplete) as U;
        const data = json ? await response.json() : stream ? response.body : await response.text();
        // A fetch that ignores the signal must not let a stale answer overwrite a newer one.
        signal.throwIfAborted();
        publish({ data, response, fetching: false });
        return data;
      } catch (error) {
        // Aborted by a newer send, abort(), the caller's signal or an unmount: no answer, and
        // nothing went wrong.
        if (signal.aborted || callerSignal?.aborted) {
          if (controller === request) store.abort();
          return;
        }
        publish({ error: error as Error, fetching: false });
        throw error;
      }
    },
  };

  /**
   * Publishes the text as it is decoded, in the background, and returns at once a stream of the
   * same text. That stream costs nothing until read: on its first read it gets the text so far,
   * then each chunk, so the answer is never duplicated with `tee()` for callers that ignore it.
   */
  function readText(
    response: Response,
    decoder: TextDecoder,
    signal: AbortSignal,
    onComplete: FetchOptions["onStreamComplete"],
  ): ReadableStream<string> {
    let text = "";
    let view: ReadableStreamDefaultController<string> | undefined;
    let ended: { error?: unknown } | undefined;
    const end = (error?: unknown) => {
      ended = error === undefined ? {} : { error };
      if (!view) return;
      if (error === undefined) view.close();
      else view.error(error);
    };
    const body = response.body?.getReader();
    // Some fetch implementations ignore the signal; cancelling the view ends the loop all the same.
    signal.addEventListener("abort", () => body?.cancel().catch(() => {}));
    publish({ data: text as T, response, fetching: false, streaming: true });
    void (async () => {
      try {
        for (let chunk = await body?.read(); chunk && !chunk.done; chunk = await body?.read()) {
          signal.throwIfAborted();
          const decoded = decoder.decode(chunk.value, { stream: true });
          if (!decoded) continue; // a character split across chunks waits for its last byte
          text += decoded;
          view?.enqueue(decoded);
          if (isFrameOpen) {
            flush = () => publish({ data: text as T });
          } else {
            publish({ data: text as T });
            openFrame(true);
          }
        }
        signal.throwIfAborted();
        const rest = decoder.decode();
        text += rest;
        if (rest) view?.enqueue(rest);
        end();
        publish({ data: text as T, streaming: false });
        // The latest callback, so an inline function in a component is not stale.
        (onComplete ?? config.options?.onStreamComplete)?.(text);
      } catch (error) {
        end(error);
        if (!signal.aborted) publish({ data: text as T, error: error as Error, streaming: false });
      }
    })();
    return new ReadableStream<string>(
      {
        pull(controller) {
          if (view) return;
          view = controller;
          if (text) controller.enqueue(text);
          if (ended) end(ended.error);
        },
        cancel() {
          view = undefined;
        },
      },
      // No pull until someone reads, so an unread stream holds no reference and no copy of the text.
      { highWaterMark: 0 },
    );
  }

  return store;
}
