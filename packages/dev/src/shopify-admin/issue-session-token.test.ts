import { runInNewContext } from "node:vm";
import { appBridgeStandInScript, issueSessionToken } from "@sprocket/dev/shopify-admin";
import { errors, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";

const app = { apiKey: "test-api-key", secret: "test-app-secret" };
const key = new TextEncoder().encode(app.secret);

describe("issueSessionToken", () => {
  it("signs Shopify's claims for the shop with the app's secret", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await issueSessionToken({ ...app, shop: "shop-a.myshopify.com", userId: "42", now });
    const { payload, protectedHeader } = await jwtVerify(token, key, {
      algorithms: ["HS256"],
      audience: app.apiKey,
      issuer: "https://shop-a.myshopify.com/admin",
    });
    expect(protectedHeader).toEqual({ alg: "HS256", typ: "JWT" });
    expect(payload).toMatchObject({
      dest: "https://shop-a.myshopify.com",
      sub: "42",
      iat: now,
      nbf: now,
      exp: now + 60,
    });
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload.sid).toMatch(/^[0-9a-f-]{36}$/);
    const other = await issueSessionToken({ ...app, shop: "shop-a.myshopify.com", now });
    expect(other).not.toBe(token);
  });

  it("issues expired tokens on request, which verification refuses", async () => {
    const token = await issueSessionToken({ ...app, shop: "shop-a.myshopify.com", expiresInSeconds: -120 });
    await expect(jwtVerify(token, key)).rejects.toBeInstanceOf(errors.JWTExpired);
  });

  it("refuses a shop that is not a myshopify.com domain", async () => {
    await expect(issueSessionToken({ ...app, shop: "evil.example.com" })).rejects.toThrow(/myshopify/);
  });
});

describe("appBridgeStandInScript", () => {
  it("defines shopify.idToken(), fetching a token for the page's shop on every call", async () => {
    const requested: string[] = [];
    const window: { shopify?: { idToken(): Promise<string> } } = {};
    runInNewContext(appBridgeStandInScript({ tokenUrl: "https://stand-in.test/session-token" }), {
      window,
      location: { search: "?shop=shop-a.myshopify.com&host=abc" },
      URL,
      URLSearchParams,
      fetch: async (url: URL) => {
        requested.push(String(url));
        return new Response(`token-${requested.length}\n`);
      },
    });
    expect(await window.shopify?.idToken()).toBe("token-1");
    expect(await window.shopify?.idToken()).toBe("token-2");
    expect(requested).toEqual([
      "https://stand-in.test/session-token?shop=shop-a.myshopify.com",
      "https://stand-in.test/session-token?shop=shop-a.myshopify.com",
    ]);
  });
});
