// @vitest-environment node
// Framework-free, on a runtime with no requestAnimationFrame: frames fall back to timers.
import { createFetchStore, type FetchState } from "@sprocket/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { stubFrames } from "./test/frames.js";
import { createStreamingFetch } from "./test/streaming-fetch.js";

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function until<T>(
  store: { subscribe(listener: () => void): () => void; getState(): T },
  test: (state: T) => boolean,
) {
  return new Promise<T>((resolve) => {
    const check = () => {
      if (!test(store.getState())) return;
      unsubscribe();
      resolve(store.getState());
    };
    const unsubscribe = store.subscribe(check);
    check();
  });
}

describe("createFetchStore", () => {
  it("streams text without a framework or animation frames, and never tees an unread answer", async () => {
    expect(globalThis.requestAnimationFrame).toBeUndefined();
    const tee = vi.spyOn(ReadableStream.prototype, "tee");
    const server = createStreamingFetch();
    const store = createFetchStore<string>({
      fetch: server.fetch,
      path: "/chat",
      options: { method: "POST", stream: "string" },
    });
    const states: FetchState<string>[] = [];
    store.subscribe(() => states.push(store.getState()));
    expect(store.getState()).toBe(store.getState());

    void store.send({ body: "Hi" });
    const body = (await server.request(0)).respondWithStream();
    for (const word of ["Hello", ", ", "world"]) {
      body.push(word);
      await body.drained();
    }
    body.close();
    const ended = await until(store, (state) => !state.streaming && state.data === "Hello, world");
    expect(ended).toMatchObject({ fetching: false, error: undefined });
    expect(tee).not.toHaveBeenCalled();
    // Each published state is a new object; the last one is the current state.
    expect(new Set(states).size).toBe(states.length);
    expect(states.at(-1)).toBe(store.getState());
  });

  it("abort() keeps the text so far, ends fetching and streaming, and is no error", async () => {
    const server = createStreamingFetch();
    const onStreamComplete = vi.fn();
    const store = createFetchStore<string>({
      fetch: server.fetch,
      path: "/chat",
      options: { stream: "string", onStreamComplete },
    });
    void store.send();
    const request = await server.request(0);
    const body = request.respondWithStream();
    body.push("partial");
    await body.drained();
    await until(store, (state) => state.data === "partial");
    store.abort();
    expect(request.signal.aborted).toBe(true);
    expect(store.getState()).toMatchObject({ data: "partial", fetching: false, streaming: false });
    expect(store.getState().error).toBeUndefined();
    expect(onStreamComplete).not.toHaveBeenCalled();
  });

  it("abort() keeps the text that arrived while it waited for its frame", async () => {
    stubFrames(); // frames never run: later text waits for one
    const server = createStreamingFetch();
    const store = createFetchStore<string>({
      fetch: server.fetch,
      path: "/chat",
      options: { stream: "string" },
    });
    void store.send();
    const body = (await server.request(0)).respondWithStream();
    body.push("Hello");
    await body.drained();
    await until(store, (state) => state.data === "Hello");
    // Within the frame the first text opened: these wait for the next one.
    body.push(", wor");
    await body.drained();
    body.push("ld");
    await body.drained();
    expect(store.getState().data).toBe("Hello");
    store.abort();
    expect(store.getState()).toMatchObject({ data: "Hello, world", fetching: false, streaming: false });
  });

  it("the caller's signal aborts like abort(): the text so far stays, and it is no error", async () => {
    const server = createStreamingFetch();
    const store = createFetchStore<string, ReadableStream<string>>({
      fetch: server.fetch,
      path: "/chat",
      options: { method: "POST", stream: "string" },
    });
    const stop = new AbortController();
    void store.send({ body: "Hi", signal: stop.signal });
    const request = await server.request(0);
    const body = request.respondWithStream();
    body.push("partial");
    await body.drained();
    await until(store, (state) => state.data === "partial");
    stop.abort();
    expect(request.signal.aborted).toBe(true);
    expect(store.getState()).toMatchObject({ data: "partial", fetching: false, streaming: false });
    expect(store.getState().error).toBeUndefined();

    // An aborted signal sends nothing; an old request's signal no longer aborts a newer one.
    await expect(store.send({ signal: stop.signal })).resolves.toBeUndefined();
    expect(store.getState()).toMatchObject({ fetching: false, error: undefined });
    const first = new AbortController();
    void store.send({ signal: first.signal });
    await server.request(1);
    void store.send();
    const latest = await server.request(2);
    first.abort();
    expect(latest.signal.aborted).toBe(false);
    expect(store.getState().fetching).toBe(true);
  });

  it("abort() while waiting for the answer resolves send to undefined", async () => {
    const server = createStreamingFetch();
    const store = createFetchStore({ fetch: server.fetch, path: "/slow", fetching: true });
    expect(store.getState().fetching).toBe(true);
    const sent = store.send();
    await server.request(0);
    store.abort();
    await expect(sent).resolves.toBeUndefined();
    expect(store.getState()).toMatchObject({ fetching: false, error: undefined });
  });

  it("configure() changes what the next send asks for", async () => {
    const server = createStreamingFetch();
    const store = createFetchStore({ fetch: server.fetch, path: "/one" });
    store.configure({ fetch: server.fetch, path: "/two", options: { json: true } });
    const sent = store.send();
    const request = await server.request(0);
    expect(request.url).toBe("/two");
    request.respond('{"ok":true}');
    await expect(sent).resolves.toEqual({ ok: true });
  });

  it("spaces frame commits by at least 16 ms even when they cost nothing: at most one frame in two at 60 Hz", async () => {
    vi.spyOn(performance, "now").mockImplementation(() => 1000);
    const timers = vi.spyOn(globalThis, "setTimeout");
    await streamAndCommitTwoChunks(); // the commit costs nothing on this clock
    await vi.waitFor(() => expect(timers).toHaveBeenCalledWith(expect.any(Function), 16));
  });

  it("a new answer's first chunk shows at once, even when the last answer's spacing timer fires after the send", async () => {
    // A clock the test moves, so that the last answer's commit seems to have cost 10 ms.
    let clock = 1000;
    vi.spyOn(performance, "now").mockImplementation(() => clock);
    const timers = vi.spyOn(globalThis, "setTimeout");
    const { server, store } = await streamAndCommitTwoChunks();
    clock += 10;
    // The next frame for that answer waits for a timer of sixteen times the 10 ms (and a ms).
    await vi.waitFor(() => expect(timers).toHaveBeenCalledWith(expect.any(Function), 166));
    const spacing = timers.mock.calls.find(([, delay]) => delay === 166)![0] as () => void;

    void store.send();
    const second = (await server.request(1)).respondWithStream();
    spacing(); // the timer fires now, after the new send
    second.push("c");
    await second.drained();
    expect(store.getState()).toMatchObject({ data: "c", streaming: true });
  });
});

/**
 * A streaming store whose first answer sent "a" and " b": the first frame paints "a", the second
 * commits "a b", which starts the spacing timer.
 */
async function streamAndCommitTwoChunks() {
  const frames = stubFrames();
  const server = createStreamingFetch();
  const store = createFetchStore<string>({
    fetch: server.fetch,
    path: "/chat",
    options: { method: "POST", stream: "string" },
  });
  void store.send();
  const answer = (await server.request(0)).respondWithStream();
  answer.push("a");
  await answer.drained();
  answer.push(" b");
  await answer.drained();
  frames.run();
  frames.run();
  expect(store.getState().data).toBe("a b");
  return { server, store };
}
