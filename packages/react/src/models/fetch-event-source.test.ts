import { describe, expect, it, vi } from "vitest";
import { createFetchEventSource } from "./fetch-event-source.js";

function streamOf(controllerOut: { current?: ReadableStreamDefaultController<string> }) {
  return new ReadableStream<string>({
    start(controller) {
      controllerOut.current = controller;
    },
  }).pipeThrough(new TextEncoderStream());
}

describe("createFetchEventSource", () => {
  it("opens through the given fetch with a path relative to baseUrl, and parses named events", async () => {
    const live: { current?: ReadableStreamDefaultController<string> } = {};
    const fetch = vi.fn(async () => new Response(streamOf(live)));
    const EventSource = createFetchEventSource(fetch, "https://app.example.com");
    const source = new EventSource("https://app.example.com/api/models/_live?models=chat");
    const events: string[] = [];
    source.addEventListener("open", () => events.push("open"));
    source.addEventListener("change", (event) => events.push(`change ${event.data}`));
    source.addEventListener("message", (event) => events.push(`message ${event.data}`));
    await vi.waitFor(() => expect(events).toEqual(["open"]));
    expect(source.readyState).toBe(1);
    expect(fetch).toHaveBeenCalledWith("/api/models/_live?models=chat", expect.anything());

    live.current?.enqueue(': keep-alive\n\nevent: change\ndata: {"model"');
    live.current?.enqueue(':"chat"}\r\n\r\ndata: first\ndata: second\n\n');
    // A split line waits for its rest; a comment is skipped; data lines join with "\n".
    await vi.waitFor(() =>
      expect(events).toEqual(["open", 'change {"model":"chat"}', "message first\nsecond"]),
    );
    source.close();
    expect(source.readyState).toBe(2);
  });

  it("becomes CLOSED and fires error when the stream ends or is refused, so its owner reopens it", async () => {
    const live: { current?: ReadableStreamDefaultController<string> } = {};
    const fetch = vi
      .fn()
      .mockResolvedValueOnce(new Response(streamOf(live)))
      .mockResolvedValueOnce(new Response("no", { status: 401 }));
    const EventSource = createFetchEventSource(fetch, "");
    const ended = new EventSource("/api/models/_live?models=chat");
    const endedErrors = vi.fn();
    ended.addEventListener("error", endedErrors);
    await vi.waitFor(() => expect(ended.readyState).toBe(1));
    live.current?.close();
    await vi.waitFor(() => expect(endedErrors).toHaveBeenCalledTimes(1));
    expect(ended.readyState).toBe(2);

    const refused = new EventSource("/api/models/_live?models=chat");
    const refusedEvents: string[] = [];
    refused.addEventListener("open", () => refusedEvents.push("open"));
    refused.addEventListener("error", () => refusedEvents.push(`error ${refused.readyState}`));
    await vi.waitFor(() => expect(refusedEvents).toEqual(["error 2"]));
  });
});
