import { FetchError, type FetchState, type SprocketAuth, SprocketProvider, useFetch } from "@sprocket/react";
import { act, cleanup, render, renderHook, waitFor } from "@testing-library/react";
import { type ReactNode, StrictMode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { stubFrames } from "./test/frames.js";
import { createStreamingFetch } from "./test/streaming-fetch.js";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function setup({ baseUrl, auth }: { baseUrl?: string; auth?: SprocketAuth } = {}) {
  const server = createStreamingFetch();
  const frames = stubFrames();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <SprocketProvider fetch={server.fetch} baseUrl={baseUrl} auth={auth}>
      {children}
    </SprocketProvider>
  );
  return { server, frames, wrapper };
}

const encoder = new TextEncoder();

function Health({ onState }: { onState(state: FetchState<string>): void }) {
  onState(useFetch("/api/health")[0]);
  return null;
}
const chat = { method: "POST", headers: { "content-type": "application/json" }, stream: "string" } as const;

describe("useFetch: when it sends", () => {
  it("sends a GET on mount and shows the text", async () => {
    const { server, wrapper } = setup();
    const { result } = renderHook(() => useFetch("/api/health"), { wrapper });
    expect(result.current[0]).toMatchObject({ fetching: true, streaming: false });
    expect(result.current[0].data).toBeUndefined();
    const request = await server.request(0);
    expect(request).toMatchObject({ url: "/api/health", method: "GET" });
    request.respond("ok", { status: 200 });
    await waitFor(() => expect(result.current[0].fetching).toBe(false));
    expect(result.current[0].data).toBe("ok");
    expect(result.current[0].error).toBeUndefined();
    expect(result.current[0].response?.status).toBe(200);
  });

  it("waits for send() for other methods, and send resolves to the text", async () => {
    const { server, wrapper } = setup();
    const { result } = renderHook(() => useFetch("/echo", { method: "POST" }), { wrapper });
    expect(result.current[0].fetching).toBe(false);
    expect(server.requests).toHaveLength(0);

    let sent!: Promise<string | undefined>;
    act(() => {
      sent = result.current[1]({ body: "hello" });
    });
    expect(result.current[0].fetching).toBe(true);
    const request = await server.request(0);
    expect(request.method).toBe("POST");
    expect(request.init.body).toBe("hello");
    request.respond("hello back");
    await expect(sent).resolves.toBe("hello back");
    await waitFor(() => expect(result.current[0].data).toBe("hello back"));
  });

  it("sendImmediately sends a POST on mount and holds a GET back", async () => {
    const { server, wrapper } = setup();
    const post = renderHook(() => useFetch("/warm", { method: "POST", sendImmediately: true }), { wrapper });
    expect(post.result.current[0].fetching).toBe(true);
    expect((await server.request(0)).method).toBe("POST");

    const get = renderHook(() => useFetch("/later", { sendImmediately: false }), { wrapper });
    expect(get.result.current[0].fetching).toBe(false);
    expect(server.requests.map((request) => request.url)).toEqual(["/warm"]);
  });

  it("sends a GET again when the path changes, not when equal options are passed again", async () => {
    const { server, wrapper } = setup();
    const { rerender } = renderHook(
      ({ path }) => useFetch(path, { headers: { accept: "text/plain" }, credentials: "include" }),
      { wrapper, initialProps: { path: "/a" } },
    );
    await server.request(0);
    rerender({ path: "/a" });
    rerender({ path: "/a" });
    expect(server.requests).toHaveLength(1);
    rerender({ path: "/b" });
    expect((await server.request(1)).url).toBe("/b");
    // The request for the old path no longer matters.
    expect(server.requests[0]?.signal.aborted).toBe(true);
  });

  it("in StrictMode, the effect run twice sends twice and the first request is aborted", async () => {
    const { server, wrapper: Provider } = setup();
    const states: FetchState<string>[] = [];
    render(
      <StrictMode>
        <Provider>
          <Health onState={(state) => states.push(state)} />
        </Provider>
      </StrictMode>,
    );
    const second = await server.request(1);
    expect(server.requests[0]?.signal.aborted).toBe(true);
    second.respond("ok");
    await waitFor(() => expect(states.at(-1)?.data).toBe("ok"));
    expect(states.every((state) => state.error === undefined)).toBe(true);
  });

  it("goes through the provider: baseUrl and the auth source apply", async () => {
    const { server, wrapper } = setup({
      baseUrl: "https://app.example.com",
      auth: { headers: () => ({ authorization: "Bearer token-1" }) },
    });
    renderHook(() => useFetch("/chat/history"), { wrapper });
    const request = await server.request(0);
    expect(request.url).toBe("https://app.example.com/chat/history");
    expect(request.headers.get("authorization")).toBe("Bearer token-1");
    expect(request.init.credentials).toBe("include");
  });

  it("merges per-call options over the hook's, headers name by name", async () => {
    const { server, wrapper } = setup();
    const { result } = renderHook(
      () => useFetch("/items", { method: "POST", headers: { "content-type": "application/json" } }),
      { wrapper },
    );
    act(() => {
      void result.current[1]({ method: "PUT", headers: { "x-attempt": "2" }, body: "{}" });
    });
    const request = await server.request(0);
    expect(request.method).toBe("PUT");
    expect(request.init.body).toBe("{}");
    expect(Object.fromEntries(request.headers)).toEqual({
      "content-type": "application/json",
      "x-attempt": "2",
    });
    // The hook's own options are not sent to fetch.
    expect(Object.keys(request.init).sort()).toEqual(["body", "headers", "method", "signal"]);
  });
});

describe("useFetch: reading the answer", () => {
  it("json parses the answer and asks for JSON, unless the caller set accept", async () => {
    const { server, wrapper } = setup();
    const { result } = renderHook(() => useFetch<{ name: string }>("/user", { json: true }), { wrapper });
    const request = await server.request(0);
    expect(request.headers.get("accept")).toBe("application/json");
    request.respond(JSON.stringify({ name: "Ada" }), { headers: { "content-type": "application/json" } });
    await waitFor(() => expect(result.current[0].data).toEqual({ name: "Ada" }));

    renderHook(() => useFetch("/user.v2", { json: true, headers: { accept: "application/vnd.v2+json" } }), {
      wrapper,
    });
    expect((await server.request(1)).headers.get("accept")).toBe("application/vnd.v2+json");
  });

  it("stream: true gives the body stream itself, not a copy", async () => {
    const { server, wrapper } = setup();
    const { result } = renderHook(() => useFetch("/export", { method: "POST", stream: true }), { wrapper });
    let sent!: Promise<ReadableStream<Uint8Array> | undefined>;
    act(() => {
      sent = result.current[1]();
    });
    const body = (await server.request(0)).respondWithStream();
    const stream = (await sent)!;
    expect(stream).toBe(body.stream);
    await waitFor(() => expect(result.current[0].data).toBe(body.stream));
    expect(result.current[0]).toMatchObject({ fetching: false, streaming: false });

    body.push("a,b\n");
    body.close();
    expect(await new Response(stream).text()).toBe("a,b\n");
  });

  it('stream: "string" shows the text so far, with characters split across chunks', async () => {
    const { server, frames, wrapper } = setup();
    const { result } = renderHook(() => useFetch("/chat", chat), { wrapper });
    act(() => {
      void result.current[1]({ body: JSON.stringify({ message: "Hi" }) });
    });
    const body = (await server.request(0)).respondWithStream();
    await waitFor(() => expect(result.current[0].streaming).toBe(true));
    expect(result.current[0]).toMatchObject({ data: "", fetching: false });

    const bytes = encoder.encode("héllo €😀");
    // Cut inside "é" (2 bytes), "€" (3 bytes) and "😀" (4 bytes).
    const cuts = [2, 9, 12, bytes.length];
    const seen: string[] = [];
    let start = 0;
    for (const end of cuts) {
      await act(async () => {
        body.push(bytes.slice(start, end));
        await body.drained();
        frames.run();
      });
      start = end;
      seen.push(result.current[0].data ?? "");
    }
    // No replacement character ever showed: a split character waits for its last byte.
    expect(seen.join("")).not.toContain("\uFFFD");
    expect(seen.at(-1)).toBe("héllo €😀");
    await act(async () => body.close());
    await waitFor(() => expect(result.current[0].streaming).toBe(false));
    expect(result.current[0].data).toBe("héllo €😀");
  });

  it("an encoding label decodes that encoding, with code units split across chunks", async () => {
    const { server, wrapper } = setup();
    const { result } = renderHook(() => useFetch("/legacy", { stream: "utf-16le" }), { wrapper });
    const body = (await server.request(0)).respondWithStream();
    const text = "Grüße 😀";
    const bytes = new Uint8Array(text.length * 2);
    for (let index = 0; index < text.length; index++) {
      const unit = text.charCodeAt(index);
      bytes[index * 2] = unit & 0xff;
      bytes[index * 2 + 1] = unit >> 8;
    }
    // Odd cuts split code units, and one cut falls between the two halves of the surrogate pair.
    for (const [start, end] of [
      [0, 3],
      [3, 7],
      [7, 14],
      [14, bytes.length],
    ] as const) {
      await act(async () => {
        body.push(bytes.slice(start, end));
        await body.drained();
      });
      expect(result.current[0].data).not.toContain("\uFFFD");
    }
    await act(async () => body.close());
    await waitFor(() => expect(result.current[0].data).toBe(text));
  });

  it("an unknown encoding label is an error, and nothing is sent", async () => {
    const { server, wrapper } = setup();
    const { result } = renderHook(() => useFetch("/x", { stream: "no-such-encoding" }), { wrapper });
    await waitFor(() => expect(result.current[0].error).toBeInstanceOf(RangeError));
    expect(server.requests).toHaveLength(0);
  });

  it("calls onStreamComplete once with the whole text, the latest callback", async () => {
    const { server, wrapper } = setup();
    const first = vi.fn();
    const latest = vi.fn();
    const { result, rerender } = renderHook(
      ({ onStreamComplete }) => useFetch("/chat", { ...chat, onStreamComplete }),
      {
        wrapper,
        initialProps: { onStreamComplete: first },
      },
    );
    act(() => {
      void result.current[1]();
    });
    const body = (await server.request(0)).respondWithStream();
    await act(async () => {
      body.push("Hello, ");
      await body.drained();
    });
    rerender({ onStreamComplete: latest });
    await act(async () => {
      body.push("world");
      await body.drained();
      body.close();
    });
    await waitFor(() => expect(result.current[0].streaming).toBe(false));
    expect(first).not.toHaveBeenCalled();
    expect(latest).toHaveBeenCalledTimes(1);
    expect(latest).toHaveBeenCalledWith("Hello, world");
    // A new function each render is no new request.
    expect(server.requests).toHaveLength(1);
  });

  it('send() for stream: "string" resolves to a stream of the same text, read late or early', async () => {
    const { server, wrapper } = setup();
    const { result } = renderHook(() => useFetch("/chat", chat), { wrapper });
    let sent!: Promise<ReadableStream<string> | undefined>;
    act(() => {
      sent = result.current[1]();
    });
    const body = (await server.request(0)).respondWithStream();
    const textStream = (await sent)!;
    await act(async () => {
      body.push("one ");
      await body.drained();
      body.push("two ");
      await body.drained();
    });
    // Read only now: it starts with what arrived before, then follows the answer.
    const read = new Response(textStream.pipeThrough(new TextEncoderStream())).text();
    await act(async () => {
      body.push("three");
      await body.drained();
      body.close();
    });
    expect(await read).toBe("one two three");
  });
});

describe("useFetch: errors and aborts", () => {
  it("a non-2xx answer is a FetchError with its status and parsed JSON body", async () => {
    const { server, wrapper } = setup();
    const { result } = renderHook(() => useFetch("/chat", chat), { wrapper });
    let sent!: Promise<unknown>;
    act(() => {
      sent = result.current[1]();
      sent.catch(() => {});
    });
    const body = { error: { code: "TOO_MANY_REQUESTS", message: "Slow down", requestId: "r1" } };
    (await server.request(0)).respond(JSON.stringify(body), {
      status: 429,
      statusText: "Too Many Requests",
      headers: { "content-type": "application/json; charset=utf-8" },
    });
    await waitFor(() => expect(result.current[0].error).toBeInstanceOf(FetchError));
    const error = result.current[0].error as FetchError;
    expect(error).toMatchObject({ status: 429, statusText: "Too Many Requests", body, message: "Slow down" });
    expect(error.response.status).toBe(429);
    await expect(sent).rejects.toBe(error);
    expect(result.current[0]).toMatchObject({ fetching: false, streaming: false });
  });

  it("a non-2xx answer that is not JSON keeps its text", async () => {
    const { server, wrapper } = setup();
    const { result } = renderHook(() => useFetch("/report", { json: true }), { wrapper });
    (await server.request(0)).respond("upstream timed out", {
      status: 504,
      statusText: "Gateway Timeout",
      headers: { "content-type": "text/plain" },
    });
    await waitFor(() => expect(result.current[0].error).toBeInstanceOf(FetchError));
    expect(result.current[0].error).toMatchObject({
      status: 504,
      body: "upstream timed out",
      message: "Request failed with status 504 Gateway Timeout",
    });
  });

  it("a network failure is the error fetch threw", async () => {
    const { server, wrapper } = setup();
    const { result } = renderHook(() => useFetch("/api/health"), { wrapper });
    const failure = new TypeError("Failed to fetch");
    (await server.request(0)).fail(failure);
    await waitFor(() => expect(result.current[0].error).toBe(failure));
    expect(result.current[0].fetching).toBe(false);
  });

  it("a stream that breaks keeps the text so far, shows the error and skips onStreamComplete", async () => {
    const { server, wrapper } = setup();
    const onStreamComplete = vi.fn();
    const { result } = renderHook(() => useFetch("/chat", { ...chat, onStreamComplete }), { wrapper });
    act(() => {
      void result.current[1]();
    });
    const body = (await server.request(0)).respondWithStream();
    await act(async () => {
      body.push("partial ");
      await body.drained();
      body.fail(new Error("connection reset"));
    });
    await waitFor(() => expect(result.current[0].error?.message).toBe("connection reset"));
    expect(result.current[0]).toMatchObject({ data: "partial ", streaming: false });
    expect(onStreamComplete).not.toHaveBeenCalled();
  });

  it("a new send aborts the request in flight, whose send resolves to undefined, and is no error", async () => {
    const { server, wrapper } = setup();
    const { result } = renderHook(() => useFetch("/chat", chat), { wrapper });
    let first!: Promise<unknown>;
    act(() => {
      first = result.current[1]({ body: "1" });
    });
    const firstRequest = await server.request(0);
    act(() => {
      void result.current[1]({ body: "2" });
    });
    expect(firstRequest.signal.aborted).toBe(true);
    await expect(first).resolves.toBeUndefined();
    expect(result.current[0]).toMatchObject({ fetching: true, error: undefined });

    const body = (await server.request(1)).respondWithStream();
    await act(async () => {
      body.push("second");
      await body.drained();
    });
    expect(result.current[0]).toMatchObject({ data: "second", streaming: true, error: undefined });
  });

  it("a new send aborts a stream in flight: its chunks stop and onStreamComplete is not called for it", async () => {
    const { server, wrapper } = setup();
    const onStreamComplete = vi.fn();
    const { result } = renderHook(() => useFetch("/chat", { ...chat, onStreamComplete }), { wrapper });
    act(() => {
      void result.current[1]({ body: "1" });
    });
    const firstRequest = await server.request(0);
    const firstBody = firstRequest.respondWithStream();
    await act(async () => {
      firstBody.push("first answer");
      await firstBody.drained();
    });
    act(() => {
      void result.current[1]({ body: "2" });
    });
    expect(firstRequest.signal.aborted).toBe(true);
    const secondBody = (await server.request(1)).respondWithStream();
    await act(async () => {
      secondBody.push("second answer");
      await secondBody.drained();
      secondBody.close();
    });
    await waitFor(() => expect(result.current[0].streaming).toBe(false));
    expect(result.current[0]).toMatchObject({ data: "second answer", error: undefined });
    expect(onStreamComplete.mock.calls).toEqual([["second answer"]]);
  });

  it("another path aborts the stream in flight for the previous one; equal options do not", async () => {
    const { server, wrapper } = setup();
    const { result, rerender } = renderHook(({ id }) => useFetch(`/chats/${id}/answer`, { ...chat }), {
      wrapper,
      initialProps: { id: "a" },
    });
    act(() => {
      void result.current[1]({ body: "1" });
    });
    const first = await server.request(0);
    const body = first.respondWithStream();
    await act(async () => {
      body.push("answer for A");
      await body.drained();
    });
    rerender({ id: "a" });
    expect(first.signal.aborted).toBe(false);
    rerender({ id: "b" });
    expect(first.signal.aborted).toBe(true);
    expect(result.current[0]).toMatchObject({ fetching: false, streaming: false, data: "answer for A" });
    act(() => {
      void result.current[1]({ body: "2" });
    });
    expect((await server.request(1)).url).toBe("/chats/b/answer");
  });

  it("unmounting aborts the request in flight, before and during a stream", async () => {
    const { server, wrapper } = setup();
    const waiting = renderHook(() => useFetch("/api/health"), { wrapper });
    const waitingRequest = await server.request(0);
    waiting.unmount();
    expect(waitingRequest.signal.aborted).toBe(true);

    const onStreamComplete = vi.fn();
    const streaming = renderHook(() => useFetch("/chat", { ...chat, onStreamComplete }), { wrapper });
    act(() => {
      void streaming.result.current[1]();
    });
    const streamingRequest = await server.request(1);
    const body = streamingRequest.respondWithStream();
    await act(async () => {
      body.push("so far");
      await body.drained();
    });
    streaming.unmount();
    expect(streamingRequest.signal.aborted).toBe(true);
    expect(onStreamComplete).not.toHaveBeenCalled();
  });
});
