import { SprocketProvider, type SprocketProviderProps, useSprocket } from "@sprocket/react";
import { renderHook } from "@testing-library/react";
import type { ReactNode } from "react";
import { describe, expect, it, vi } from "vitest";

function withProvider(props: Omit<SprocketProviderProps, "children">) {
  return ({ children }: { children: ReactNode }) => (
    <SprocketProvider {...props}>{children}</SprocketProvider>
  );
}

describe("SprocketProvider", () => {
  it("resolves relative paths against baseUrl", async () => {
    const fetchSpy = vi.fn(async () => new Response("ok"));
    const { result } = renderHook(() => useSprocket(), {
      wrapper: withProvider({ baseUrl: "https://app.example.com/", fetch: fetchSpy }),
    });
    await result.current.fetch("/chat", { method: "POST" });
    await result.current.fetch("api/health");
    // Another origin than the page's: its cookies need credentials "include".
    expect(fetchSpy).toHaveBeenNthCalledWith(1, "https://app.example.com/chat", {
      method: "POST",
      credentials: "include",
    });
    expect(fetchSpy).toHaveBeenNthCalledWith(2, "https://app.example.com/api/health", {
      credentials: "include",
    });
  });

  it("leaves absolute URLs alone", async () => {
    const fetchSpy = vi.fn(async () => new Response("ok"));
    const { result } = renderHook(() => useSprocket(), {
      wrapper: withProvider({ baseUrl: "https://app.example.com", fetch: fetchSpy }),
    });
    await result.current.fetch("https://other.example.com/x");
    expect(fetchSpy).toHaveBeenCalledWith("https://other.example.com/x", undefined);
  });

  it("uses same-origin paths and the global fetch without a provider", async () => {
    const fetchSpy = vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response("ok"));
    const { result } = renderHook(() => useSprocket());
    expect(result.current.baseUrl).toBe("");
    await result.current.fetch("/api/health");
    expect(fetchSpy).toHaveBeenCalledWith("/api/health", undefined);
    fetchSpy.mockRestore();
  });

  it("keeps the same configuration object across renders", () => {
    const { result, rerender } = renderHook(() => useSprocket(), {
      wrapper: withProvider({ baseUrl: "https://app.example.com" }),
    });
    const first = result.current;
    rerender();
    expect(result.current).toBe(first);
  });

  it("rejects a baseUrl that is not an absolute http(s) URL", () => {
    expect(() =>
      renderHook(() => useSprocket(), { wrapper: withProvider({ baseUrl: "app.example.com" }) }),
    ).toThrow(/absolute http\(s\) URL/);
  });
});

describe("SprocketProvider auth", () => {
  it("adds the auth headers to requests to the app, keeping the caller's own", async () => {
    const fetchSpy = vi.fn(async (_url: string, _init?: RequestInit) => new Response("ok"));
    const auth = { headers: async () => ({ authorization: "Bearer t1", "x-shop": "a" }) };
    const { result } = renderHook(() => useSprocket(), {
      wrapper: withProvider({ fetch: fetchSpy as typeof fetch, auth }),
    });
    await result.current.fetch("/api/x", { headers: { "x-shop": "b" } });
    const init = fetchSpy.mock.calls[0]![1]!;
    const headers = new Headers(init.headers);
    expect(headers.get("authorization")).toBe("Bearer t1");
    expect(headers.get("x-shop")).toBe("b");
    // Same origin: fetch's default credentials already send the cookies.
    expect(init.credentials).toBeUndefined();
    await result.current.fetch("https://other.example.com/x");
    expect(fetchSpy.mock.calls[1]![1]).toBeUndefined();
  });

  it("sends a request once more after onUnauthorized renews the credentials", async () => {
    let token = "old";
    const fetchSpy = vi.fn(async (_url: string, init?: RequestInit) =>
      new Headers(init?.headers).get("authorization") === "Bearer new"
        ? new Response("ok")
        : new Response("no", { status: 401 }),
    );
    const onUnauthorized = vi.fn(async () => {
      token = "new";
      return true;
    });
    const auth = { headers: () => ({ authorization: `Bearer ${token}` }), onUnauthorized };
    const { result } = renderHook(() => useSprocket(), {
      wrapper: withProvider({ fetch: fetchSpy as typeof fetch, auth }),
    });
    const response = await result.current.fetch("/api/x", { method: "POST", body: "{}" });
    expect(response.status).toBe(200);
    expect(fetchSpy).toHaveBeenCalledTimes(2);
    // With the request as sent, so the source can tell which credentials were refused.
    expect(onUnauthorized).toHaveBeenCalledWith(
      expect.objectContaining({ status: 401 }),
      expect.objectContaining({ method: "POST", body: "{}" }),
    );
    const sent = onUnauthorized.mock.calls[0] as unknown as [Response, RequestInit];
    expect(new Headers(sent[1].headers).get("authorization")).toBe("Bearer old");
  });

  it("hands a second 401 to the caller without asking onUnauthorized again", async () => {
    const fetchSpy = vi.fn(async () => new Response("no", { status: 401 }));
    const onUnauthorized = vi.fn(() => true);
    const { result } = renderHook(() => useSprocket(), {
      wrapper: withProvider({ fetch: fetchSpy as typeof fetch, auth: { onUnauthorized } }),
    });
    const response = await result.current.fetch("/api/x");
    expect(response.status).toBe(401);
    expect(fetchSpy).toHaveBeenCalledTimes(2);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it("hands the 401 back when onUnauthorized declines", async () => {
    const fetchSpy = vi.fn(async () => new Response("no", { status: 401 }));
    const auth = { onUnauthorized: () => false };
    const { result } = renderHook(() => useSprocket(), {
      wrapper: withProvider({ fetch: fetchSpy as typeof fetch, auth }),
    });
    expect((await result.current.fetch("/api/x")).status).toBe(401);
    expect(fetchSpy).toHaveBeenCalledTimes(1);
  });

  it("lets auth override the credentials mode", async () => {
    const fetchSpy = vi.fn(async () => new Response("ok"));
    const auth = { credentials: "omit" as const };
    const { result } = renderHook(() => useSprocket(), {
      wrapper: withProvider({ baseUrl: "https://app.example.com", fetch: fetchSpy, auth }),
    });
    await result.current.fetch("/api/x");
    expect(fetchSpy).toHaveBeenCalledWith("https://app.example.com/api/x", { credentials: "omit" });
  });
});
