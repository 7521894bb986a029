import { createApiClient, LIVE_FALLBACK_POLL_MS, useFindMany } from "@sprocket/react";
import { act, renderHook, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeEventSource } from "./test/fake-event-source.js";
import { setup, type TestSchema } from "./test/test-api.js";

const countOf = (requests: { path: string }[], path: string) =>
  requests.filter((request) => request.path === path).length;

describe("live reads", () => {
  beforeEach(() => FakeEventSource.reset());
  afterEach(() => vi.useRealTimers());

  it("share one stream for every live hook and refetch the model a change names", async () => {
    const { api, server, wrapper } = setup({ chat: [{ id: "c1", title: "A", status: "open" }], message: [] });
    const { result, unmount } = renderHook(
      () => ({
        chats: useFindMany(api.chat, { live: true })[0].data,
        messages: useFindMany(api.message, { live: true })[0].data,
        chatsAgain: useFindMany(api.chat, { live: true, first: 1 })[0].data,
      }),
      { wrapper },
    );
    await waitFor(() => expect(result.current.messages).toEqual([]));
    expect(FakeEventSource.instances).toHaveLength(1);
    const stream = FakeEventSource.latest();
    expect(stream.url).toBe("/api/models/_live?models=chat,message");
    act(() => stream.open());
    expect(countOf(server.requests, "/api/models/chat")).toBe(2);

    server.tables.chat!.push({ id: "c2", title: "B", status: "open" });
    act(() => stream.change({ model: "chat", action: "create", id: "c2" }));
    await waitFor(() => expect(result.current.chats).toHaveLength(2));
    expect(countOf(server.requests, "/api/models/chat")).toBe(4);
    expect(countOf(server.requests, "/api/models/message")).toBe(1);

    unmount();
    await act(async () => {
      await Promise.resolve();
    });
    expect(FakeEventSource.open()).toEqual([]);
  });

  it("refetches every live read after a reconnect", async () => {
    const { api, server, wrapper } = setup();
    const { result } = renderHook(
      () => ({
        chats: useFindMany(api.chat, { live: true })[0].data,
        messages: useFindMany(api.message, { live: true })[0].data,
      }),
      { wrapper },
    );
    await waitFor(() => expect(result.current.messages).toEqual([]));
    const stream = FakeEventSource.latest();
    act(() => stream.open());
    const before = server.requests.length;
    act(() => stream.drop());
    expect(server.requests.length).toBe(before);
    act(() => stream.open());
    await waitFor(() => expect(server.requests.length).toBe(before + 2));
  });

  it("opens the wider stream before closing the old one when a live model joins", async () => {
    const { api, wrapper } = setup();
    const { rerender } = renderHook(
      ({ withMessages }) => {
        useFindMany(api.chat, { live: true });
        useFindMany(api.message, { live: withMessages });
      },
      { wrapper, initialProps: { withMessages: false } },
    );
    await waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    const chatsOnly = FakeEventSource.latest();
    expect(chatsOnly.url).toBe("/api/models/_live?models=chat");
    act(() => chatsOnly.open());
    rerender({ withMessages: true });
    await waitFor(() => expect(FakeEventSource.instances).toHaveLength(2));
    const both = FakeEventSource.latest();
    expect(both.url).toBe("/api/models/_live?models=chat,message");
    expect(FakeEventSource.open()).toEqual([chatsOnly, both]);
    act(() => both.open());
    expect(FakeEventSource.open()).toEqual([both]);
  });

  it("reopens a stream the browser gave up on, after a delay, and refetches", async () => {
    const { api, server, wrapper } = setup();
    const { result } = renderHook(() => useFindMany(api.chat, { live: true })[0].data, { wrapper });
    await waitFor(() => expect(result.current).toHaveLength(4));
    const failed = FakeEventSource.latest();
    act(() => failed.open());
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    act(() => failed.fail());
    await act(() => vi.advanceTimersByTimeAsync(999));
    expect(FakeEventSource.instances).toHaveLength(1);
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(FakeEventSource.instances).toHaveLength(2);
    vi.useRealTimers();
    const before = server.requests.length;
    act(() => FakeEventSource.latest().open());
    await waitFor(() => expect(server.requests.length).toBe(before + 1));
  });

  it("never polls while the stream is there", async () => {
    const { api, server, wrapper } = setup();
    const { result } = renderHook(() => useFindMany(api.chat, { live: true })[0].data, { wrapper });
    await waitFor(() => expect(result.current).toHaveLength(4));
    act(() => FakeEventSource.latest().open());
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval"] });
    await act(() => vi.advanceTimersByTimeAsync(10 * LIVE_FALLBACK_POLL_MS));
    expect(server.requests).toHaveLength(1);
  });

  it("polls once a minute, no faster, where there is no EventSource", async () => {
    const { server, wrapper } = setup();
    // jsdom has no EventSource, and this client brings none.
    const api = createApiClient<TestSchema>();
    // SWR schedules its poll on mount, so the clock is fake from the start.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { result } = renderHook(() => useFindMany(api.chat, { live: true })[0].data, { wrapper });
    await act(() => vi.advanceTimersByTimeAsync(100));
    expect(result.current).toHaveLength(4);
    await act(() => vi.advanceTimersByTimeAsync(LIVE_FALLBACK_POLL_MS - 1_000));
    expect(FakeEventSource.instances).toEqual([]);
    expect(server.requests).toHaveLength(1);
    await act(() => vi.advanceTimersByTimeAsync(2_000));
    expect(server.requests).toHaveLength(2);
  });
});
