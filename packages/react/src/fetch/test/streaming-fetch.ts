// A fetch whose answers the test writes by hand: each request waits until the test answers it,
// and a streamed body's chunks arrive only when the test pushes them, through a real
// `ReadableStream` inside a real `Response`. Aborting the request's signal fails the pending
// answer or the body, as the platform's fetch does.

const encoder = new TextEncoder();

export interface StreamingBody {
  /** The body stream the `Response` carries. */
  readonly stream: ReadableStream<Uint8Array>;
  /** Queues a chunk: text is encoded as UTF-8, bytes go as they are. */
  push(chunk: string | Uint8Array): void;
  close(): void;
  fail(error: Error): void;
  /** Resolves once the reader has taken every pushed chunk and waits for the next one. */
  drained(): Promise<void>;
}

export interface SentRequest {
  /** The URL the hook asked for, after the provider resolved it. */
  readonly url: string;
  readonly init: RequestInit;
  readonly method: string;
  readonly headers: Headers;
  readonly signal: AbortSignal;
  /** Answers with a body streamed chunk by chunk. */
  respondWithStream(init?: ResponseInit): StreamingBody;
  /** Answers with a whole body. */
  respond(body: BodyInit | null, init?: ResponseInit): void;
  /** Fails the request as a network error does. */
  fail(error: Error): void;
}

export interface StreamingFetch {
  fetch: typeof globalThis.fetch;
  requests: SentRequest[];
  /** The request sent `index`-th (0-based), once it has been sent. */
  request(index: number): Promise<SentRequest>;
}

/**
 * A fetch the test answers request by request.
 *
 * @example
 * const server = createStreamingFetch();
 * render(<SprocketProvider fetch={server.fetch}><Chat /></SprocketProvider>);
 * const body = (await server.request(0)).respondWithStream();
 * body.push("Hel");
 */
export function createStreamingFetch(): StreamingFetch {
  const requests: SentRequest[] = [];
  const waiting = new Map<number, (request: SentRequest) => void>();
  const fetch = (input: RequestInfo | URL, init: RequestInit = {}) =>
    new Promise<Response>((resolve, reject) => {
      const signal = init.signal ?? new AbortController().signal;
      const onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      const answer = (response: Response) => {
        signal.removeEventListener("abort", onAbort);
        resolve(response);
      };
      const request: SentRequest = {
        url: String(input),
        init,
        method: init.method ?? "GET",
        headers: new Headers(init.headers),
        signal,
        respondWithStream(responseInit) {
          const body = createStreamingBody(signal);
          answer(new Response(body.stream, responseInit));
          return body;
        },
        respond(body, responseInit) {
          answer(new Response(body, responseInit));
        },
        fail(error) {
          signal.removeEventListener("abort", onAbort);
          reject(error);
        },
      };
      requests.push(request);
      waiting.get(requests.length - 1)?.(request);
    });
  return {
    fetch: fetch as typeof globalThis.fetch,
    requests,
    request(index) {
      const sent = requests[index];
      if (sent) return Promise.resolve(sent);
      return new Promise((resolve) => waiting.set(index, resolve));
    },
  };
}

function createStreamingBody(signal: AbortSignal): StreamingBody {
  const queue: Uint8Array[] = [];
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let isReaderWaiting = false;
  let onDrained: Array<() => void> = [];
  const settleDrained = () => {
    if (!isReaderWaiting || queue.length > 0) return;
    for (const resolve of onDrained) resolve();
    onDrained = [];
  };
  // What ends the body once the queued chunks are delivered: a close or a failure.
  let ending: (() => void) | undefined;
  const deliver = () => {
    const chunk = queue.shift();
    if (chunk === undefined) return;
    isReaderWaiting = false;
    controller.enqueue(chunk);
    if (queue.length === 0) ending?.();
  };
  const end = (how: () => void) => {
    if (queue.length === 0) how();
    else ending = how;
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      start(streamController) {
        controller = streamController;
      },
      // Called only while a read waits (high-water mark 0): the reader has taken everything so far.
      pull() {
        isReaderWaiting = true;
        if (queue.length > 0) deliver();
        else settleDrained();
      },
    },
    { highWaterMark: 0 },
  );
  signal.addEventListener("abort", () => controller.error(signal.reason), { once: true });
  return {
    stream,
    push(chunk) {
      queue.push(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
      if (isReaderWaiting) deliver();
    },
    close() {
      end(() => controller.close());
    },
    fail(error) {
      end(() => controller.error(error));
    },
    drained() {
      return new Promise((resolve) => {
        onDrained.push(resolve);
        settleDrained();
      });
    },
  };
}
