import { useFindFirst, useFindOne, useMaybeFindFirst, useMaybeFindOne } from "@sprocket/react";
import { renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { setup } from "./test/test-api.js";

describe("useFindOne and useMaybeFindOne", () => {
  it("returns the record with the id, selecting fields", async () => {
    const { api, server, wrapper } = setup();
    const { result } = renderHook(() => useFindOne(api.chat, "c 1/x", { select: { title: true } }), {
      wrapper,
    });
    await waitFor(() => expect(result.current[0].error).toBeDefined());
    expect(server.requests[0]?.path).toBe("/api/models/chat/c%201%2Fx");
    const { result: found } = renderHook(() => useFindOne(api.chat, "c1", { select: { title: true } }), {
      wrapper,
    });
    await waitFor(() => expect(found.current[0].data).toEqual({ id: "c1", title: "Charlie" }));
    expect(server.requests[1]?.query).toEqual({ select: { title: true } });
  });

  it("useFindOne reports a missing record as NOT_FOUND", async () => {
    const { api, wrapper } = setup();
    const { result } = renderHook(() => useFindOne(api.chat, "nope"), { wrapper });
    await waitFor(() => expect(result.current[0].error).toMatchObject({ code: "NOT_FOUND", status: 404 }));
    expect(result.current[0].data).toBeUndefined();
  });

  it("answers an empty id as no record, without asking for the collection", async () => {
    const { api, server, wrapper } = setup();
    const { result } = renderHook(() => useFindOne(api.chat, ""), { wrapper });
    await waitFor(() => expect(result.current[0].error).toMatchObject({ code: "NOT_FOUND" }));
    expect(result.current[0].data).toBeUndefined();
    const { result: maybe } = renderHook(() => useMaybeFindOne(api.chat, ""), { wrapper });
    await waitFor(() => expect(maybe.current[0].data).toBeNull());
    expect(server.requests).toHaveLength(0);
  });

  it("useMaybeFindOne answers a missing record with null and no error", async () => {
    const { api, wrapper } = setup();
    const { result } = renderHook(() => useMaybeFindOne(api.chat, "nope"), { wrapper });
    await waitFor(() => expect(result.current[0].data).toBeNull());
    expect(result.current[0].error).toBeUndefined();
    const { result: found } = renderHook(() => useMaybeFindOne(api.chat, "c2"), { wrapper });
    await waitFor(() => expect(found.current[0].data).toMatchObject({ title: "Alpha" }));
  });

  it("useMaybeFindOne still reports other errors", async () => {
    const { api, server, wrapper } = setup();
    server.failNext({ status: 403, code: "FORBIDDEN" });
    const { result } = renderHook(() => useMaybeFindOne(api.chat, "c1"), { wrapper });
    await waitFor(() => expect(result.current[0].error).toMatchObject({ code: "FORBIDDEN", status: 403 }));
  });
});

describe("useFindFirst and useMaybeFindFirst", () => {
  it("returns the first record in sort order, asking for one row", async () => {
    const { api, server, wrapper } = setup();
    const { result } = renderHook(
      () => useFindFirst(api.chat, { filter: { status: { equals: "open" } }, sort: { title: "Descending" } }),
      { wrapper },
    );
    await waitFor(() => expect(result.current[0].data).toMatchObject({ id: "c3", title: "Delta" }));
    expect(server.requests[0]?.query).toEqual({
      filter: { status: { equals: "open" } },
      sort: { title: "Descending" },
      first: 1,
    });
  });

  it("useFindFirst reports no match as NOT_FOUND; useMaybeFindFirst answers null", async () => {
    const { api, wrapper } = setup();
    const filter = { title: { equals: "Zulu" } };
    const { result } = renderHook(() => useFindFirst(api.chat, { filter }), { wrapper });
    await waitFor(() => expect(result.current[0].error).toMatchObject({ code: "NOT_FOUND", status: 404 }));
    const { result: maybe } = renderHook(() => useMaybeFindFirst(api.chat, { filter }), { wrapper });
    await waitFor(() => expect(maybe.current[0].data).toBeNull());
    expect(maybe.current[0].error).toBeUndefined();
  });
});
