// The model API over HTTP (`serveModels`) with real Requests against the demo's models, rules and
// database: the wire format the React hooks speak, its cache headers, errors and CSRF refusals.
import { route } from "@sprocket/server";
import { serveModels } from "@sprocket/server/models";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelApi } from "@/lib/api";
import { db } from "@/lib/db";
import { models } from "@/lib/models";
import type { DemoIdentity } from "@/lib/permissions";
import { databaseKind } from "./database";

const prisma = db();
const run = Math.random().toString(36).slice(2, 8);
const users = new Map<string, { id: string; email: string; name: string | null }>();

// The identity comes from a test header here; the demo's own route takes it from the session cookie.
const testRoute = route.with({
  context: ({ request }) => {
    const user = users.get(request.headers["x-test-user"] ?? "");
    const identity: DemoIdentity = user ? { role: "signed-in", user } : { role: "unauthenticated" };
    return { api: modelApi().forIdentity(identity) };
  },
});
const handlers = serveModels({ models, route: testRoute, endpoint: "/api/models" });

function call(
  method: "GET" | "POST" | "PATCH" | "DELETE",
  path: string,
  options: { as?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { host: "demo.test", ...options.headers };
  if (options.as) headers["x-test-user"] = options.as;
  if (options.body !== undefined) headers["content-type"] ??= "application/json";
  const request = new Request(`http://demo.test/api/models${path}`, {
    method,
    headers,
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === "string"
          ? options.body
          : JSON.stringify(options.body),
  });
  return handlers[method](request);
}
const query = (value: object) => `?query=${encodeURIComponent(JSON.stringify(value))}`;

beforeAll(async () => {
  for (const name of ["alice", "bob"]) {
    const user = await prisma.user.create({ data: { email: `${run}-${name}@example.com`, name } });
    users.set(name, { id: user.id, email: user.email, name: user.name });
  }
});
afterAll(async () => {
  await prisma.user.deleteMany({ where: { email: { startsWith: run } } });
  await prisma.$disconnect();
});

describe(`the model endpoint (${databaseKind})`, () => {
  it("creates, lists with page info, reads, updates and deletes a chat", async () => {
    const created = await call("POST", "/chat", { as: "alice", body: { data: { title: `${run} one` } } });
    expect(created.status).toBe(201);
    expect(created.headers.get("cache-control")).toBe("no-store");
    const chat = (await created.json()).data;
    expect(chat).toMatchObject({ title: `${run} one`, userId: users.get("alice")?.id });
    expect(typeof chat.createdAt).toBe("string");

    const listed = await call("GET", `/chat${query({ filter: { title: { startsWith: run } }, first: 1 })}`, {
      as: "alice",
    });
    expect(listed.status).toBe(200);
    expect(await listed.json()).toEqual({
      data: [chat],
      pageInfo: {
        hasNextPage: false,
        hasPreviousPage: false,
        startCursor: expect.any(String),
        endCursor: expect.any(String),
      },
    });

    const one = await call("GET", `/chat/${chat.id}${query({ select: { title: true } })}`, { as: "alice" });
    expect(await one.json()).toEqual({ data: { id: chat.id, title: `${run} one` } });

    const patched = await call("PATCH", `/chat/${chat.id}`, {
      as: "alice",
      body: { data: { title: `${run} two` }, select: { title: true } },
    });
    expect(await patched.json()).toEqual({ data: { id: chat.id, title: `${run} two` } });

    const deleted = await call("DELETE", `/chat/${chat.id}`, { as: "alice" });
    expect(await deleted.json()).toEqual({ data: { id: chat.id } });
    expect((await call("GET", `/chat/${chat.id}`, { as: "alice" })).status).toBe(404);
  });

  it("answers reads privately, varying on the credentials, with an ETag that gives 304", async () => {
    const response = await call("GET", "/chat", { as: "alice" });
    expect(response.headers.get("cache-control")).toBe("private, no-cache");
    expect(response.headers.get("vary")).toBe("Cookie, Authorization");
    const etag = response.headers.get("etag");
    expect(etag).toMatch(/^W\/"[0-9a-f]{32}"$/);
    const again = await call("GET", "/chat", { as: "alice", headers: { "if-none-match": etag ?? "" } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    // Another user's answer differs, so the same tag does not match it.
    await call("POST", "/chat", { as: "bob", body: { data: { title: `${run} bob` } } });
    const other = await call("GET", "/chat", { as: "bob", headers: { "if-none-match": etag ?? "" } });
    expect(other.status).toBe(200);
  });

  it("keeps other users' rows absent and denied actions forbidden", async () => {
    const bobChat = (
      await (await call("POST", "/chat", { as: "bob", body: { data: { title: `${run} private` } } })).json()
    ).data;
    expect((await call("GET", `/chat/${bobChat.id}`, { as: "alice" })).status).toBe(404);
    const list = await (
      await call("GET", `/chat${query({ filter: { id: { equals: bobChat.id } } })}`, { as: "alice" })
    ).json();
    expect(list.data).toEqual([]);
    expect(
      (await call("PATCH", `/chat/${bobChat.id}`, { as: "alice", body: { data: { title: "x" } } })).status,
    ).toBe(404);
    expect((await call("DELETE", `/chat/${bobChat.id}`, { as: "alice" })).status).toBe(404);
    const anonymous = await call("GET", "/chat");
    expect(anonymous.status).toBe(403);
    expect((await anonymous.json()).error.code).toBe("FORBIDDEN");
  });

  it("reports invalid filters and queries with their path, and unknown models as 404", async () => {
    const invalid = await call("GET", `/chat${query({ filter: { OR: [{ titel: { equals: 1 } }] } })}`, {
      as: "alice",
    });
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).error).toMatchObject({
      code: "INVALID_FILTER",
      details: { path: "filter.OR[0].titel" },
    });
    const malformed = await call("GET", "/chat?query=%7Bnope", { as: "alice" });
    expect((await malformed.json()).error.code).toBe("INVALID_QUERY");
    const unknownOption = await call("GET", `/chat${query({ limit: 5 })}`, { as: "alice" });
    expect((await unknownOption.json()).error).toMatchObject({
      code: "INVALID_QUERY",
      details: { path: "limit" },
    });
    expect((await call("GET", "/nothing", { as: "alice" })).status).toBe(404);
    expect((await call("GET", "/internal", { as: "alice" })).status).toBe(404);
    expect((await call("POST", "/chat/some-id", { as: "alice", body: { data: {} } })).status).toBe(405);
  });

  it("refuses writes that are not JSON, have the wrong shape, or come from another site", async () => {
    const form = await call("POST", "/chat", {
      as: "alice",
      body: "title=x",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(415);
    const text = await call("POST", "/chat", {
      as: "alice",
      body: "{}",
      headers: { "content-type": "text/plain" },
    });
    expect(text.status).toBe(415);
    const shapeless = await call("POST", "/chat", { as: "alice", body: { title: "x" } });
    expect(shapeless.status).toBe(400);
    const crossSite = await call("POST", "/chat", {
      as: "alice",
      body: { data: { title: "x" } },
      headers: { "sec-fetch-site": "cross-site" },
    });
    expect(crossSite.status).toBe(403);
    const otherOrigin = await call("DELETE", "/chat/x", {
      as: "alice",
      headers: { origin: "https://evil.example" },
    });
    expect(otherOrigin.status).toBe(403);
    const sameOrigin = await call("POST", "/chat", {
      as: "alice",
      body: { data: { title: `${run} ok` } },
      headers: { origin: "http://demo.test" },
    });
    expect(sameOrigin.status).toBe(201);
  });
});
