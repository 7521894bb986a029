// The stand-in's token exchange, on Shopify's wire format: JSON or form bodies, its error codes,
// per-shop counts, and uninstalling a shop.
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ShopifyAdminServer, startShopifyAdminServer } from "./index.js";

const API_KEY = "stand-in-key";
const SECRET = "stand-in-secret";
const OLD_SECRET = "stand-in-old-secret";
const SHOP = "stand-in-shop.myshopify.com";

const sessionToken = (shop: string, { secret = SECRET, aud = API_KEY } = {}) => {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: `https://${shop}/admin`,
    dest: `https://${shop}`,
    aud,
    sub: "1",
    nbf: now,
    exp: now + 60,
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(new TextEncoder().encode(secret));
};

const exchangeFields = async (shop: string, overrides: Record<string, string> = {}) => ({
  client_id: API_KEY,
  client_secret: SECRET,
  grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
  subject_token: await sessionToken(shop),
  subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
  requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
  ...overrides,
});

let server: ShopifyAdminServer;
beforeAll(async () => {
  server = await startShopifyAdminServer({ app: { apiKey: API_KEY, secrets: [SECRET, OLD_SECRET] } });
});
afterAll(() => server.stop());

const postJson = (body: unknown) =>
  fetch(`${server.origin}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const graphql = (accessToken: string) =>
  fetch(`${server.origin}/admin/api/2026-01/graphql.json`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-access-token": accessToken },
    body: JSON.stringify({ query: "query ($id: ID!) { customer(id: $id) { id } }", variables: { id: "1" } }),
  });

describe("the stand-in's token exchange", () => {
  it("answers { access_token, scope } to a JSON body, counts it, and accepts the token for GraphQL", async () => {
    const response = await postJson(await exchangeFields(SHOP));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({
      access_token: expect.stringMatching(/^shpat_/),
      scope: "read_customers,write_customers",
    });
    expect(server.exchangeCount(SHOP)).toBe(1);
    expect((await graphql(body.access_token)).status).toBe(200);
  });

  it("takes a form body and a token signed with an older secret", async () => {
    const shop = "stand-in-form.myshopify.com";
    const fields = await exchangeFields(shop, {
      subject_token: await sessionToken(shop, { secret: OLD_SECRET }),
    });
    const response = await fetch(`${server.origin}/admin/oauth/access_token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
    expect(response.status).toBe(200);
    expect(server.exchangeCount(shop)).toBe(1);
  });

  it.each([
    ["a wrong client secret", { client_secret: "wrong" }, 401, "invalid_client"],
    ["another client id", { client_id: "other" }, 401, "invalid_client"],
    ["another grant type", { grant_type: "authorization_code" }, 400, "invalid_request"],
    [
      "an online token request",
      { requested_token_type: "urn:shopify:params:oauth:token-type:online-access-token" },
      400,
      "invalid_request",
    ],
    ["a token that is not a JWT", { subject_token: "nope" }, 400, "invalid_subject_token"],
  ])("refuses %s", async (_name, overrides, status, error) => {
    const shop = "stand-in-refused.myshopify.com";
    const response = await postJson(await exchangeFields(shop, overrides));
    expect(response.status).toBe(status);
    expect((await response.json()).error).toBe(error);
    expect(server.exchangeCount(shop)).toBe(0);
  });

  it("refuses a token signed with another secret or for another app", async () => {
    const shop = "stand-in-foreign.myshopify.com";
    for (const subject_token of [
      await sessionToken(shop, { secret: "other" }),
      await sessionToken(shop, { aud: "other" }),
    ]) {
      const response = await postJson(await exchangeFields(shop, { subject_token }));
      expect(response.status).toBe(400);
      expect((await response.json()).error).toBe("invalid_subject_token");
    }
  });

  it("answers invalid_subject_token for an uninstalled shop, and revokes its exchanged tokens", async () => {
    const shop = "stand-in-uninstalled.myshopify.com";
    const { access_token } = await (await postJson(await exchangeFields(shop))).json();
    server.uninstall(shop);
    const refused = await postJson(await exchangeFields(shop));
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      error: "invalid_subject_token",
      error_description: "Subject token is invalid",
    });
    expect(server.exchangeCount(shop)).toBe(1);
    expect((await graphql(access_token)).status).toBe(401);

    server.install(shop);
    expect((await postJson(await exchangeFields(shop))).status).toBe(200);
    expect(server.exchangeCount(shop)).toBe(2);
  });
});
