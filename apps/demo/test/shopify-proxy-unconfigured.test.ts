// Without SHOPIFY_API_KEY and SHOPIFY_API_SECRET the app-proxy routes still load (as `next build`
// loads them) and answer a clear 503 instead of failing on import or leaking a stack.
import { afterAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  delete process.env.SHOPIFY_API_KEY;
  delete process.env.SHOPIFY_API_SECRET;
  delete process.env.SHOPIFY_ADMIN_ORIGIN;
});

import { GET, POST } from "@/app/proxy/route";
import { db } from "@/lib/db";

afterAll(() => db().$disconnect());

describe("app proxy routes without Shopify settings", () => {
  it.each([
    ["GET", GET],
    ["POST", POST],
  ] as const)("%s answers 503 naming the settings", async (method, handler) => {
    const response = await handler(
      new Request("http://127.0.0.1:3000/proxy?shop=a.myshopify.com&signature=00", { method }),
    );
    expect(response.status).toBe(503);
    const { error } = await response.json();
    expect(error.code).toBe("SERVICE_UNAVAILABLE");
    expect(error.message).toContain("SHOPIFY_API_KEY and SHOPIFY_API_SECRET");
  });
});
