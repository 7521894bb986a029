import { SprocketProvider, useSprocket } from "@sprocket/react";
import { renderHook } from "@testing-library/react";
import type { ReactNode } from "react";
import { describe, expect, it, vi } from "vitest";

function withProvider(props: { baseUrl?: string; fetch?: typeof fetch }) {
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
    expect(fetchSpy).toHaveBeenNthCalledWith(1, "https://app.example.com/chat", { method: "POST" });
    expect(fetchSpy).toHaveBeenNthCalledWith(2, "https://app.example.com/api/health", undefined);
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
