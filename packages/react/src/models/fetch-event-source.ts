import type { EventSourceConstructor, EventSourceLike } from "./live-connection.js";

/** `EventSource.CONNECTING`, `.OPEN` and `.CLOSED`. */
const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 2;

/** Ends a line of a server-sent event stream (HTML's "event stream" format). */
const LINE_END = /\r\n|\r|\n/;

/**
 * An `EventSource` that reads the stream through `fetch`, so the request carries the auth source's
 * headers (a bearer token), which the browser's `EventSource` cannot send. Hand-written rather than
 * a library: the live connection needs only `open`, named events and `error`, and the request must
 * go through the provider's fetch to get its headers and its one retry on a refused token.
 *
 * Unlike the browser's, it does not reconnect by itself: when the stream ends or fails it becomes
 * `CLOSED` and fires `error`, and the live connection opens a new one after its back-off and
 * refreshes every live read, as after any reconnect.
 *
 * @example
 * const EventSource = createFetchEventSource(config.fetch, config.baseUrl);
 * const source = new EventSource("/api/models/_live?models=chat");
 */
export function createFetchEventSource(
  fetch: (path: string, init?: RequestInit) => Promise<Response>,
  baseUrl: string,
): EventSourceConstructor {
  return class FetchEventSource implements EventSourceLike {
    readyState = CONNECTING;
    private readonly listeners = new Map<string, Set<(event: MessageEvent) => void>>();
    private readonly controller = new AbortController();

    constructor(url: string) {
      // The live hooks pass the endpoint resolved against baseUrl; the provider's fetch adds the
      // credentials to app paths only, so the path goes back to relative.
      const path = baseUrl && url.startsWith(`${baseUrl}/`) ? url.slice(baseUrl.length) : url;
      void this.read(path).catch(() => this.fail());
    }

    addEventListener(type: string, listener: (event: MessageEvent) => void): void {
      const listeners = this.listeners.get(type) ?? new Set();
      listeners.add(listener);
      this.listeners.set(type, listeners);
    }

    close(): void {
      this.readyState = CLOSED;
      this.controller.abort();
    }

    private emit(type: string, data?: string): void {
      const event = new MessageEvent(type, { data });
      for (const listener of this.listeners.get(type) ?? []) listener(event);
    }

    private fail(): void {
      if (this.readyState === CLOSED) return;
      this.readyState = CLOSED;
      this.emit("error");
    }

    private async read(path: string): Promise<void> {
      const { signal } = this.controller;
      const response = await fetch(path, { headers: { accept: "text/event-stream" }, signal });
      if (!response.ok || !response.body || signal.aborted) {
        await response.body?.cancel();
        return this.fail();
      }
      this.readyState = OPEN;
      this.emit("open");
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      signal.addEventListener("abort", () => reader.cancel().catch(() => {}));
      let rest = "";
      let type = "";
      let data: string[] = [];
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        const lines = (rest + chunk.value).split(LINE_END);
        // The last piece may be half a line: it waits for the rest.
        rest = lines.pop() ?? "";
        for (const line of lines) {
          if (line === "") {
            if (data.length > 0 && !signal.aborted) this.emit(type || "message", data.join("\n"));
            type = "";
            data = [];
            continue;
          }
          const colon = line.indexOf(":");
          if (colon === 0) continue; // a comment, such as a keep-alive
          const field = colon === -1 ? line : line.slice(0, colon);
          const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
          if (field === "event") type = value;
          else if (field === "data") data.push(value);
        }
      }
      this.fail();
    }
  };
}
