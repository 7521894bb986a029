import {
  ApiError,
  appBridge,
  createApiClient,
  FetchError,
  RETRY_INVALID_SESSION_HEADER,
  type SprocketAuth,
  SprocketProvider,
  TOKEN_RENEW_BEFORE_EXPIRY_MS,
  useAction,
  useFetch,
  useFindMany,
  useSprocket,
  useUser,
} from "@sprocket/react";
import { act, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { SWRConfig } from "swr";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createFakeApi } from "../models/test/fake-api.js";
import { chatRows, type TestSchema } from "../models/test/test-api.js";

/** A session token as App Bridge returns it: a JWT whose payload says when it expires. */
function sessionToken(name: string, expiresInSeconds = 60): string {
  const part = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, "");
  const exp = Math.floor(Date.now() / 1000) + expiresInSeconds;
  return `${part({ alg: "HS256", typ: "JWT" })}.${part({ exp, jti: name })}.signature-${name}`;
}

interface Sent {
  url: string;
  method: string;
  authorization: string | null;
  credentials: RequestCredentials | undefined;
}

/**
 * The app behind `fetch`: the models endpoint, better-auth's get-session, a text route and the
 * live stream. A request whose bearer token is not in `accepted` gets a 401, with Shopify's retry
 * header when `asksForRetry`. With `accepted` undefined, any request passes (cookie auth).
 */
function fakeApp({ accepted, asksForRetry = true }: { accepted?: Set<string>; asksForRetry?: boolean } = {}) {
  const models = createFakeApi({ chat: chatRows() });
  const sent: Sent[] = [];
  let live: ReadableStreamDefaultController<string> | undefined;
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const headers = new Headers(init?.headers);
    const authorization = headers.get("authorization");
    sent.push({ url, method: init?.method ?? "GET", authorization, credentials: init?.credentials });
    if (accepted && !accepted.has(authorization?.replace(/^Bearer /, "") ?? "")) {
      return new Response(JSON.stringify({ error: { code: "UNAUTHORIZED", message: "Unauthorized" } }), {
        status: 401,
        headers: {
          "content-type": "application/json",
          ...(asksForRetry ? { [RETRY_INVALID_SESSION_HEADER]: "1" } : {}),
        },
      });
    }
    if (url.startsWith("/api/models/_live")) {
      const body = new ReadableStream<string>({
        start(controller) {
          live = controller;
        },
      }).pipeThrough(new TextEncoderStream());
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    }
    if (url.startsWith("/api/models/")) return models.fetch(input, init);
    if (url === "/api/auth/get-session") {
      return Response.json({ session: { id: "s1" }, user: { id: "u1", email: "staff@example.com" } });
    }
    return new Response(`hello ${authorization ?? "anonymous"}`);
  });
  return {
    fetch: fetch as typeof globalThis.fetch,
    sent,
    models,
    /** Sends one event on the open live stream, split across chunks as a network may. */
    announce(change: object) {
      const event = `event: change\r\ndata: ${JSON.stringify(change)}\r\n\r\n`;
      live?.enqueue(": keep-alive\n\n");
      live?.enqueue(event.slice(0, 9));
      live?.enqueue(event.slice(9));
    },
  };
}

function wrapperFor(app: ReturnType<typeof fakeApp>, auth?: SprocketAuth) {
  const cache = new Map();
  return ({ children }: { children?: ReactNode }) => (
    <SWRConfig value={{ provider: () => cache, dedupingInterval: 0 }}>
      <SprocketProvider fetch={app.fetch} auth={auth}>
        {children}
      </SprocketProvider>
    </SWRConfig>
  );
}

const api = createApiClient<TestSchema>();

afterEach(() => {
  delete (globalThis as { shopify?: unknown }).shopify;
});

describe("appBridge auth source", () => {
  it("adds the session token to the requests of every hook, live stream included", async () => {
    const token = sessionToken("t1");
    const shopify = { idToken: vi.fn(async () => token) };
    (globalThis as { shopify?: unknown }).shopify = shopify;
    const app = fakeApp({ accepted: new Set([token]) });
    const { result } = renderHook(
      () => ({
        text: useFetch("/api/hello"),
        chats: useFindMany(api.chat, { live: true }),
        user: useUser(),
        create: useAction(api.chat.create),
      }),
      { wrapper: wrapperFor(app, appBridge()) },
    );
    await waitFor(() => expect(result.current.chats[0].data).toHaveLength(4));
    await waitFor(() => expect(result.current.user?.email).toBe("staff@example.com"));
    expect(result.current.text[0].data).toBe(`hello Bearer ${token}`);
    await act(async () => {
      await result.current.create[1]({ title: "Echo" });
    });
    // The live stream opened through fetch; a change it announces refetches the list.
    await waitFor(() =>
      expect(app.sent.some((request) => request.url.startsWith("/api/models/_live"))).toBe(true),
    );
    await waitFor(() => expect(result.current.chats[0].data).toHaveLength(5));
    app.models.tables.chat?.push({ id: "c9", title: "Foxtrot", status: "open" });
    act(() => app.announce({ model: "chat", action: "create", id: "c9" }));
    await waitFor(() => expect(result.current.chats[0].data).toHaveLength(6));

    expect(new Set(app.sent.map((request) => request.url.replace(/\?.*/, "")))).toEqual(
      new Set(["/api/hello", "/api/models/chat", "/api/auth/get-session", "/api/models/_live"]),
    );
    expect(app.sent.every((request) => request.authorization === `Bearer ${token}`)).toBe(true);
    expect(app.sent.filter((request) => request.method === "POST")).toHaveLength(1);
    // One token serves every request until it nears its expiry.
    expect(shopify.idToken).toHaveBeenCalledTimes(1);
  });

  it("leaves requests to cookies without an auth source", async () => {
    const app = fakeApp();
    const { result } = renderHook(
      () => ({
        config: useSprocket(),
        text: useFetch("/api/hello"),
        chats: useFindMany(api.chat),
        user: useUser(),
      }),
      { wrapper: wrapperFor(app) },
    );
    await waitFor(() => expect(result.current.chats[0].data).toHaveLength(4));
    await waitFor(() => expect(result.current.user?.id).toBe("u1"));
    await waitFor(() => expect(result.current.text[0].data).toBe("hello anonymous"));
    expect(app.sent.every((request) => request.authorization === null)).toBe(true);
    // Same origin: the browser's default credentials, except get-session, which always includes them.
    expect(app.sent.map((request) => [request.url, request.credentials]).sort()).toEqual([
      ["/api/auth/get-session", "include"],
      ["/api/hello", undefined],
      ["/api/models/chat", undefined],
    ]);
    expect(result.current.config.EventSource).toBeUndefined();
  });

  it("fetches a new token and sends the request once more on a 401 asking for a retry", async () => {
    const [expired, fresh] = [sessionToken("t1", -5), sessionToken("t2")];
    const shopify = { idToken: vi.fn().mockResolvedValueOnce(expired).mockResolvedValueOnce(fresh) };
    const app = fakeApp({ accepted: new Set([fresh]) });
    const { result } = renderHook(
      () => ({ chats: useFindMany(api.chat), messages: useFindMany(api.chat, { first: 1 }) }),
      { wrapper: wrapperFor(app, appBridge({ shopify })) },
    );
    await waitFor(() => expect(result.current.chats[0].data).toHaveLength(4));
    await waitFor(() => expect(result.current.messages[0].data).toHaveLength(1));
    // Both reads sent the refused token, and both retries shared the one new token.
    expect(app.sent.map((request) => request.authorization)).toEqual([
      `Bearer ${expired}`,
      `Bearer ${expired}`,
      `Bearer ${fresh}`,
      `Bearer ${fresh}`,
    ]);
    expect(shopify.idToken).toHaveBeenCalledTimes(2);
  });

  it("sends a write again after a refused token, once", async () => {
    const [refused, fresh] = [sessionToken("t1"), sessionToken("t2")];
    const shopify = { idToken: vi.fn().mockResolvedValueOnce(refused).mockResolvedValueOnce(fresh) };
    const app = fakeApp({ accepted: new Set([fresh]) });
    const { result } = renderHook(() => useAction(api.chat.create), {
      wrapper: wrapperFor(app, appBridge({ shopify })),
    });
    let outcome: Awaited<ReturnType<(typeof result.current)[1]>> | undefined;
    await act(async () => {
      outcome = await result.current[1]({ title: "Echo" });
    });
    expect(outcome?.data).toMatchObject({ title: "Echo" });
    expect(app.sent.map((request) => [request.method, request.authorization])).toEqual([
      ["POST", `Bearer ${refused}`],
      ["POST", `Bearer ${fresh}`],
    ]);
    expect(app.models.tables.chat).toHaveLength(5);
  });

  it("hands a 401 without the retry header to the caller, without a new token", async () => {
    const shopify = { idToken: vi.fn(async () => sessionToken("t1")) };
    const app = fakeApp({ accepted: new Set(), asksForRetry: false });
    const { result } = renderHook(() => useFetch("/api/hello"), {
      wrapper: wrapperFor(app, appBridge({ shopify })),
    });
    await waitFor(() => expect(result.current[0].error).toBeInstanceOf(FetchError));
    expect((result.current[0].error as FetchError).status).toBe(401);
    expect(app.sent).toHaveLength(1);
    expect(shopify.idToken).toHaveBeenCalledTimes(1);
  });

  it("hands a second 401 to the caller as a FetchError or ApiError, after one retry", async () => {
    let count = 0;
    const shopify = { idToken: vi.fn(async () => sessionToken(`t${++count}`)) };
    const app = fakeApp({ accepted: new Set() });
    const { result } = renderHook(() => useFetch("/api/hello"), {
      wrapper: wrapperFor(app, appBridge({ shopify })),
    });
    await waitFor(() => expect(result.current[0].error).toBeInstanceOf(FetchError));
    expect((result.current[0].error as FetchError).status).toBe(401);
    // The first token, then a new one for the one retry.
    expect(app.sent.map((request) => request.authorization?.split(".signature-")[1])).toEqual(["t1", "t2"]);
    expect(shopify.idToken).toHaveBeenCalledTimes(2);

    const read = renderHook(() => useFindMany(api.chat), {
      wrapper: wrapperFor(app, appBridge({ shopify })),
    });
    await waitFor(() => expect(read.result.current[0].error).toBeInstanceOf(ApiError));
    expect(read.result.current[0].error?.status).toBe(401);
    // Two more requests, the read and its one retry: no loop.
    expect(app.sent).toHaveLength(4);
  });

  it(`asks App Bridge again for a token within ${TOKEN_RENEW_BEFORE_EXPIRY_MS / 1000} s of its expiry`, async () => {
    const shopify = {
      idToken: vi
        .fn()
        .mockResolvedValueOnce(sessionToken("t1", TOKEN_RENEW_BEFORE_EXPIRY_MS / 1000 - 5))
        .mockResolvedValueOnce(sessionToken("t2")),
    };
    const app = fakeApp();
    const { result } = renderHook(() => useFetch("/api/hello", { sendImmediately: false }), {
      wrapper: wrapperFor(app, appBridge({ shopify })),
    });
    for (let count = 0; count < 3; count++) {
      await act(async () => {
        await result.current[1]();
      });
    }
    // The first token was too close to its expiry to keep; the second serves the rest.
    expect(app.sent.map((request) => request.authorization?.split(".signature-")[1])).toEqual([
      "t1",
      "t2",
      "t2",
    ]);
    expect(shopify.idToken).toHaveBeenCalledTimes(2);
  });

  it("says what is missing when the page has no App Bridge", async () => {
    const app = fakeApp();
    const { result } = renderHook(() => useFetch("/api/hello"), { wrapper: wrapperFor(app, appBridge()) });
    await waitFor(() => expect(result.current[0].error?.message).toMatch(/no App Bridge on this page/));
    expect(app.sent).toHaveLength(0);
  });
});
