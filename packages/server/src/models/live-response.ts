import type { LiveChange, LiveFeed } from "./live-feed.js";

/** Options for {@link liveResponse}. */
export interface LiveResponseOptions {
  /** The models whose changes the subscriber hears. */
  models: ReadonlySet<string>;
  /** Aborts when the client goes away. */
  signal: AbortSignal;
  /** Milliseconds between keep-alive comments, so proxies keep an idle stream open. Default: 15000. */
  heartbeatMs?: number;
}

const encoder = new TextEncoder();
// How long a browser's EventSource waits before reconnecting after the stream ends.
const RECONNECT_MS = 2_000;

/**
 * A server-sent event stream of the feed's changes to `models`: `event: change` with
 * `{ model, action }`, a `: ping` comment as heartbeat, ended when the client disconnects.
 *
 * @example
 * return liveResponse(feed, { models: new Set(["chat"]), signal: request.signal });
 */
export function liveResponse(
  feed: LiveFeed,
  { models, signal, heartbeatMs = 15_000 }: LiveResponseOptions,
): Response {
  let stop = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop();
        }
      };
      send(`retry: ${RECONNECT_MS}\n: connected\n\n`);
      const unsubscribe = feed.subscribe((change: LiveChange) => {
        if (models.has(change.model)) send(`event: change\ndata: ${JSON.stringify(change)}\n\n`);
      });
      const heartbeat = setInterval(() => send(": ping\n\n"), heartbeatMs);
      heartbeat.unref?.();
      stop = () => {
        clearInterval(heartbeat);
        unsubscribe();
        signal.removeEventListener("abort", close);
      };
      const close = () => {
        stop();
        try {
          controller.close();
        } catch {
          // Already closed or cancelled.
        }
      };
      if (signal.aborted) close();
      else signal.addEventListener("abort", close, { once: true });
    },
    cancel() {
      stop();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      // nginx and some hosts buffer responses unless told not to, which would hold events back.
      "x-accel-buffering": "no",
    },
  });
}
