import { ApiError, createApiClient } from "@sprocket/react";
import { describe, expect, it } from "vitest";
import { createFakeApi } from "./test/fake-api.js";
import { chatRows, type TestSchema } from "./test/test-api.js";

function client(options: { endpoint?: string; baseUrl?: string } = {}) {
  // The client drops a trailing slash from the endpoint; the fake serves the path without it.
  const endpoint = (options.endpoint ?? "/api/models").replace(/\/$/, "");
  const server = createFakeApi({ chat: chatRows(), message: [] }, { endpoint });
  const api = createApiClient<TestSchema>({ ...options, fetch: server.fetch });
  return { api, server };
}

describe("createApiClient", () => {
  it("makes one manager per model name, and is not mistaken for a promise", async () => {
    const { api } = client();
    expect(api.chat).toBe(api.chat);
    expect((api as unknown as { then?: unknown }).then).toBeUndefined();
    expect(await Promise.resolve(api)).toBe(api);
  });

  it("findMany returns a record list whose nextPage is the next page's query", async () => {
    const { api, server } = client();
    const first = await api.chat.findMany({
      sort: { title: "Ascending" },
      first: 3,
      select: { title: true },
    });
    expect(first.map((chat) => chat.title)).toEqual(["Alpha", "Bravo", "Charlie"]);
    expect(first.hasNextPage).toBe(true);
    expect(Object.keys(first)).toEqual(["0", "1", "2"]);
    const second = await api.chat.findMany(first.nextPage());
    expect(second.map((chat) => chat.title)).toEqual(["Delta"]);
    expect(second.hasNextPage).toBe(false);
    const back = await api.chat.findMany(second.previousPage());
    expect(back.map((chat) => chat.title)).toEqual(["Alpha", "Bravo", "Charlie"]);
    expect(server.requests[1]?.query).toEqual({
      sort: { title: "Ascending" },
      select: { title: true },
      first: 3,
      after: btoa("c1"),
    });
  });

  it("findOne and findFirst throw ApiErrors; the maybe variants answer null", async () => {
    const { api } = client();
    expect(await api.chat.findOne("c2")).toMatchObject({ title: "Alpha" });
    const error = await api.chat.findOne("nope").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: "NOT_FOUND", status: 404, requestId: "req-1" });
    expect(await api.chat.maybeFindOne("nope")).toBeNull();
    expect(await api.chat.findFirst({ sort: { title: "Descending" } })).toMatchObject({ title: "Delta" });
    await expect(api.chat.findFirst({ filter: { title: { equals: "Zulu" } } })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await api.chat.maybeFindFirst({ filter: { title: { equals: "Zulu" } } })).toBeNull();
  });

  it("creates, updates and deletes with the protocol's methods and bodies", async () => {
    const { api, server } = client();
    const created = await api.chat.create({ title: "Echo" }, { select: { title: true } });
    expect(created).toEqual({ id: "chat-1", title: "Echo" });
    expect(await api.chat.update("chat-1", { status: "closed" })).toMatchObject({ status: "closed" });
    expect(await api.chat.delete("chat-1")).toEqual({ id: "chat-1" });
    expect(server.requests.map(({ method, path }) => `${method} ${path}`)).toEqual([
      "POST /api/models/chat",
      "PATCH /api/models/chat/chat-1",
      "DELETE /api/models/chat/chat-1",
    ]);
    expect(server.requests[0]?.headers.get("content-type")).toBe("application/json");
  });

  it("uses the configured endpoint and baseUrl", async () => {
    const { api, server } = client({ endpoint: "/v2/data/", baseUrl: "https://app.example.com" });
    await api.chat.findMany();
    expect(server.requests[0]?.path).toBe("/v2/data/chat");
  });

  it("turns a network failure and a non-protocol answer into ApiErrors", async () => {
    const offline = createApiClient<TestSchema>({
      fetch: async () => {
        throw new TypeError("Failed to fetch");
      },
    });
    await expect(offline.chat.findMany()).rejects.toMatchObject({ code: "NETWORK_ERROR", status: 0 });
    const proxy = createApiClient<TestSchema>({
      fetch: async () => new Response("<html>Bad gateway</html>", { status: 502 }),
    });
    await expect(proxy.chat.findMany()).rejects.toMatchObject({ code: "BAD_GATEWAY", status: 502 });
    const wrongShape = createApiClient<TestSchema>({ fetch: async () => Response.json([1, 2]) });
    await expect(wrongShape.chat.findMany()).rejects.toMatchObject({ code: "INVALID_RESPONSE" });
  });
});
