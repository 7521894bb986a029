// Where WebAssembly cannot run (a runtime that refuses to compile it), queries are read the plain
// way and verification gives the same answers.
import { afterEach, describe, expect, it, vi } from "vitest";
import { seconds, signedQuery } from "./test/sign.js";

afterEach(() => {
  vi.restoreAllMocks();
  vi.resetModules();
});

describe("app proxy verification without WebAssembly", () => {
  it("reads queries with URLSearchParams and verifies as before", async () => {
    const compile = vi.spyOn(WebAssembly, "Module").mockImplementation(() => {
      throw new Error("WebAssembly is disabled here");
    });
    vi.resetModules();
    const { scanAppProxyQuery } = await import("./scanned-query.js");
    const { verifyAppProxyRequest } = await import("./verify-app-proxy-request.js");
    const now = Date.UTC(2026, 10, 30);
    const pairs = [
      ["shop", "s.myshopify.com"],
      ["timestamp", seconds(now)],
      ["path_prefix", "/apps/x"],
      ["note", "Café, crème"],
    ] as const;
    const query = signedQuery(pairs, "secret");
    expect(scanAppProxyQuery(`?${query}`, ["shop"])).toBeUndefined();
    expect(compile).toHaveBeenCalledTimes(1);
    const request = new Request(`https://app.example/apps/x?${query}`);
    expect(verifyAppProxyRequest(request, { secrets: "secret", now })).toMatchObject({
      ok: true,
      shop: "s.myshopify.com",
      pathPrefix: "/apps/x",
    });
    const tampered = new Request(`https://app.example/apps/x?${query.replace("Caf", "caf")}`);
    expect(verifyAppProxyRequest(tampered, { secrets: "secret", now })).toEqual({
      ok: false,
      reason: "signature_mismatch",
    });
  });
});
