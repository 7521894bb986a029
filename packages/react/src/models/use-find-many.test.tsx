import { createApiClient, useFindMany } from "@sprocket/react";
import { act, renderHook, waitFor } from "@testing-library/react";
import { useState } from "react";
import { SWRConfig } from "swr";
import { describe, expect, expectTypeOf, it } from "vitest";
import { createFakeApi } from "./test/fake-api.js";
import { chatRows, setup, type TestSchema } from "./test/test-api.js";

const titles = (rows: { title: string }[] | undefined) => rows?.map((row) => row.title);

describe("useFindMany", () => {
  it("returns the rows with their page info", async () => {
    const { api, server, wrapper } = setup();
    const { result } = renderHook(() => useFindMany(api.chat, { sort: { title: "Ascending" }, first: 2 }), {
      wrapper,
    });
    expect(result.current[0].data).toBeUndefined();
    expect(result.current[0].fetching).toBe(true);
    await waitFor(() => expect(result.current[0].data).toBeDefined());
    const [{ data, fetching, stale, error }] = result.current;
    expect(titles(data)).toEqual(["Alpha", "Bravo"]);
    expect(data).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(data?.startCursor).toBe(btoa("c2"));
    expect(data?.endCursor).toBe(btoa("c4"));
    expect({ fetching, stale, error }).toEqual({ fetching: false, stale: false, error: undefined });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({
      method: "GET",
      path: "/api/models/chat",
      query: { sort: { title: "Ascending" }, first: 2 },
    });
  });

  it("sends no query parameter for an empty query", async () => {
    const { api, server, wrapper } = setup();
    const { result } = renderHook(() => useFindMany(api.chat), { wrapper });
    await waitFor(() => expect(result.current[0].data).toHaveLength(4));
    expect(server.requests[0]).toMatchObject({ path: "/api/models/chat", query: {} });
  });

  it("pages forwards and backwards with nextPage and previousPage", async () => {
    const { api, wrapper } = setup();
    const { result } = renderHook(
      () => {
        const [page, setPage] = useState<{ first?: number; after?: string; last?: number; before?: string }>({
          first: 2,
        });
        return { setPage, find: useFindMany(api.chat, { sort: { title: "Ascending" }, ...page }) };
      },
      { wrapper },
    );
    await waitFor(() => expect(titles(result.current.find[0].data)).toEqual(["Alpha", "Bravo"]));
    const firstPage = result.current.find[0].data!;
    expect(firstPage.nextPage()).toEqual({ sort: { title: "Ascending" }, first: 2, after: btoa("c4") });
    expect(() => firstPage.previousPage()).toThrow(/no previous page/);

    act(() => result.current.setPage(firstPage.nextPage()));
    expect(result.current.find[0]).toMatchObject({ stale: true, fetching: true });
    expect(titles(result.current.find[0].data)).toEqual(["Alpha", "Bravo"]);
    await waitFor(() => expect(titles(result.current.find[0].data)).toEqual(["Charlie", "Delta"]));
    const secondPage = result.current.find[0].data!;
    expect(secondPage).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(result.current.find[0].stale).toBe(false);

    act(() => result.current.setPage(secondPage.previousPage()));
    await waitFor(() => expect(titles(result.current.find[0].data)).toEqual(["Alpha", "Bravo"]));
    expect(result.current.find[0].data).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });

  it("keeps the previous answer, marked stale, while a new filter loads", async () => {
    const { api, server, wrapper } = setup();
    const { result, rerender } = renderHook(
      ({ status }: { status: "open" | "closed" }) =>
        useFindMany(api.chat, { filter: { status: { equals: status } } }),
      { wrapper, initialProps: { status: "open" } },
    );
    await waitFor(() => expect(result.current[0].data).toHaveLength(3));
    const release = server.hold();
    rerender({ status: "closed" });
    expect(result.current[0].stale).toBe(true);
    expect(result.current[0].fetching).toBe(true);
    expect(result.current[0].data).toHaveLength(3);
    release();
    await waitFor(() => expect(result.current[0].stale).toBe(false));
    expect(titles(result.current[0].data)).toEqual(["Alpha"]);
  });

  it("sends nothing while paused", async () => {
    const { api, server, wrapper } = setup();
    const { result, rerender } = renderHook(({ pause }) => useFindMany(api.chat, { pause }), {
      wrapper,
      initialProps: { pause: true },
    });
    expect(result.current[0]).toMatchObject({ data: undefined, fetching: false, stale: false });
    await act(async () => {
      await Promise.resolve();
    });
    expect(server.requests).toHaveLength(0);
    rerender({ pause: false });
    await waitFor(() => expect(result.current[0].data).toHaveLength(4));
    expect(server.requests).toHaveLength(1);
  });

  it("reports a refused query as an ApiError with the server's code", async () => {
    const { api, wrapper } = setup();
    const filter = { title: { startsWith: "A" } } as never;
    const { result } = renderHook(() => useFindMany(api.chat, { filter }), { wrapper });
    await waitFor(() => expect(result.current[0].error).toBeDefined());
    expect(result.current[0].error).toMatchObject({
      name: "ApiError",
      code: "INVALID_FILTER",
      status: 400,
      requestId: "req-1",
      details: { path: "filter.title.startsWith" },
    });
    expect(result.current[0].data).toBeUndefined();
  });

  it("refetches on demand", async () => {
    const { api, server, wrapper } = setup();
    const { result } = renderHook(() => useFindMany(api.chat), { wrapper });
    await waitFor(() => expect(result.current[0].data).toHaveLength(4));
    server.tables.chat!.push({ id: "c5", title: "Echo", status: "open" });
    await act(() => result.current[1]());
    expect(result.current[0].data).toHaveLength(5);
  });

  it("uses the client's own fetch without a SprocketProvider", async () => {
    const server = createFakeApi({ chat: chatRows() }, { endpoint: "/data" });
    const api = createApiClient<TestSchema>({ endpoint: "/data", fetch: server.fetch });
    const { result } = renderHook(() => useFindMany(api.chat, { first: 1 }), {
      wrapper: ({ children }) => <SWRConfig value={{ provider: () => new Map() }}>{children}</SWRConfig>,
    });
    await waitFor(() => expect(result.current[0].data).toHaveLength(1));
    expect(server.requests[0]?.path).toBe("/data/chat");
  });

  it("narrows the record type to the selected fields", () => {
    const { api } = setup();
    // Never called: the assertions are on types, which tsc checks.
    const selected = () => useFindMany(api.chat, { select: { title: true } })[0].data![0]!;
    const all = () => useFindMany(api.chat, { first: 2 })[0].data![0]!;
    expectTypeOf(selected).returns.toEqualTypeOf<{ id: string; title: string }>();
    expectTypeOf(all).returns.toEqualTypeOf<{ id: string; title: string; status: "open" | "closed" }>();
  });
});
