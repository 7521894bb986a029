import { Session } from "@shopify/shopify-api";
import { startShopifyAdminServer } from "@sprocket/dev/shopify-admin";
import { isHttpError, route } from "@sprocket/server";
import { appProxyContext, liquid, type SessionStorage, shopifyApp } from "@sprocket/server/shopify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryInboxStore } from "../webhooks/test/memory-inbox-store.js";
import { seconds, signedQuery } from "./test/sign.js";

const SECRET = "hush-new";
const OLD_SECRET = "hush-old";
const SHOP = "shop-one.myshopify.com";
const TOKEN = "shpat_shop_one";
const API_VERSION = "2026-01";

/** A session storage over a Map: the contract, without a database. */
function memoryStorage(): SessionStorage {
  const sessions = new Map<string, Session>();
  return {
    async storeSession(session) {
      sessions.set(session.id, session);
      return true;
    },
    loadSession: async (id) => sessions.get(id),
    async deleteSession(id) {
      sessions.delete(id);
      return true;
    },
    async deleteSessions(ids) {
      for (const id of ids) sessions.delete(id);
      return true;
    },
    findSessionsByShop: async (shop) => [...sessions.values()].filter((session) => session.shop === shop),
  };
}

const proxied = (shop: string, { secret = SECRET, customer = "624407574", method = "GET" } = {}) => {
  const query = signedQuery(
    [
      ["shop", shop],
      ["logged_in_customer_id", customer],
      ["path_prefix", "/apps/sprocket"],
      ["timestamp", seconds(Date.now())],
    ],
    secret,
  );
  return new Request(`https://app.example.com/proxy?${query}`, { method });
};

const METAFIELDS_SET = `mutation ($metafields: [MetafieldsSetInput!]!) {
  metafieldsSet(metafields: $metafields) { metafields { key namespace value } userErrors { message } }
}`;
const metafield = (value: string) => ({
  key: "nickname",
  namespace: "my_fields",
  ownerId: "gid://shopify/Customer/624407574",
  type: "single_line_text_field",
  value,
});

let admin: Awaited<ReturnType<typeof startShopifyAdminServer>>;
let shopify: ReturnType<typeof shopifyApp>;

beforeAll(async () => {
  admin = await startShopifyAdminServer({
    accessTokens: [TOKEN],
    customers: [{ id: "624407574", firstName: "Big", lastName: "Tuna" }],
  });
  const sessionStorage = memoryStorage();
  await sessionStorage.storeSession(
    new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: TOKEN }),
  );
  shopify = shopifyApp({
    apiKey: "key",
    apiSecretKey: `${SECRET},${OLD_SECRET}`,
    apiVersion: API_VERSION,
    sessionStorage,
    adminOrigin: admin.origin,
  });
});
afterAll(() => admin.stop());

describe("shopifyApp", () => {
  it("validates its options once, naming every problem", () => {
    expect(() =>
      shopifyApp({ apiKey: "", apiSecretKey: " , ", apiVersion: "latest", sessionStorage: {} as never }),
    ).toThrow(/apiKey.*apiSecretKey.*sessionStorage.*apiVersion/);
    const valid = {
      apiKey: "k",
      apiSecretKey: "s",
      apiVersion: API_VERSION,
      sessionStorage: memoryStorage(),
    };
    expect(() => shopifyApp({ ...valid, adminOrigin: "not a url" })).toThrow(/adminOrigin/);
    // A webhook store the inbox could not batch for: refused here, not by a 503 per delivery.
    expect(() =>
      shopifyApp({ ...valid, webhooks: { store: { ...memoryInboxStore(), insertsInFlight: 0 } } }),
    ).toThrow(/webhooks\.store.*insertsInFlight must be a positive integer/);
  });

  it("names offline sessions as Shopify does", () => {
    expect(shopify.offlineSessionId(SHOP)).toBe(`offline_${SHOP}`);
  });
});

describe("proxyContext: Gadget's connections.shopify", () => {
  it("gives the shop's Admin API, resolving to data, through the stand-in with the session's token", async () => {
    const request = proxied(SHOP, { method: "POST" });
    const context = await shopify.proxyContext(request);
    expect(context).toMatchObject({ shop: SHOP, customerId: "624407574", pathPrefix: "/apps/sprocket" });
    expect(context.shopify.currentShop).toEqual({ myshopifyDomain: SHOP });
    expect(appProxyContext(request).shop).toBe(SHOP);
    const before = admin.requests.length;
    const data = await context.shopify.current!.graphql(METAFIELDS_SET, {
      metafields: [metafield("Big Tuna")],
    });
    expect(data).toEqual({
      metafieldsSet: {
        metafields: [{ key: "nickname", namespace: "my_fields", value: "Big Tuna" }],
        userErrors: [],
      },
    });
    const sent = admin.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      apiVersion: API_VERSION,
      accessToken: TOKEN,
      variables: { metafields: [metafield("Big Tuna")] },
    });
  });

  it("resolves user errors as data, for the caller to check", async () => {
    const { shopify: connection } = await shopify.proxyContext(proxied(SHOP));
    const data = await connection.current!.graphql(METAFIELDS_SET, { metafields: [metafield("")] });
    expect(data.metafieldsSet.userErrors).toEqual([
      { field: ["metafields", "0", "value"], message: "Value can't be blank." },
    ]);
  });

  it("rejects on top-level GraphQL errors", async () => {
    const { shopify: connection } = await shopify.proxyContext(proxied(SHOP));
    await expect(connection.current!.graphql("{ shop { name } }")).rejects.toThrow(
      /metafieldsSet and customer only/,
    );
  });

  it("accepts the older secret during a rotation", async () => {
    const context = await shopify.proxyContext(proxied(SHOP, { secret: OLD_SECRET }));
    expect(context.shop).toBe(SHOP);
  });

  it("has no current client for a shop without an offline session", async () => {
    const context = await shopify.proxyContext(proxied("no-session.myshopify.com"));
    expect(context.shopify.current).toBeUndefined();
  });

  it("refuses a bad signature with a plain 401 HttpError", async () => {
    const error = await shopify.proxyContext(proxied(SHOP, { secret: "wrong" })).catch((caught) => caught);
    expect(isHttpError(error) && error.status).toBe(401);
  });
});

describe("authenticate.public.appProxy: Shopify's shape", () => {
  it("gives the session and an admin whose graphql resolves to a Response of { data }", async () => {
    const {
      session,
      admin: client,
      liquid: render,
    } = await shopify.authenticate.public.appProxy(proxied(SHOP));
    expect(session?.shop).toBe(SHOP);
    const response = await client!.graphql("query ($id: ID!) { customer(id: $id) { id firstName } }", {
      variables: { id: "gid://shopify/Customer/624407574" },
    });
    expect(response).toBeInstanceOf(Response);
    expect(await response.json()).toMatchObject({
      data: { customer: { id: "gid://shopify/Customer/624407574", firstName: "Big" } },
    });
    expect(render).toBe(liquid);
  });

  it("has neither session nor admin for a shop without an offline session", async () => {
    const context = await shopify.authenticate.public.appProxy(proxied("no-session.myshopify.com"));
    expect(context).toMatchObject({ session: undefined, admin: undefined, storefront: undefined });
  });

  it("throws a 401 Response on a bad signature, which route() sends as it is", async () => {
    const thrown = await shopify.authenticate.public
      .appProxy(proxied(SHOP, { secret: "wrong" }))
      .catch((e) => e);
    expect(thrown).toBeInstanceOf(Response);
    expect(thrown.status).toBe(401);
    const GET = route(async ({ request }) => {
      await shopify.authenticate.public.appProxy(request.raw);
      return new Response("not reached");
    });
    const response = await GET(proxied(SHOP, { secret: "wrong" }));
    expect(response.status).toBe(401);
    expect(await response.text()).toBe("");
  });
});

describe("liquid", () => {
  it("answers application/liquid, inside the theme's layout by default", async () => {
    const response = liquid("Hello {{ customer.first_name }}");
    expect(response.headers.get("content-type")).toBe("application/liquid");
    expect(await response.text()).toBe("Hello {{ customer.first_name }}");
  });

  it("takes a status, or Shopify's options (layout with the response's own), or the earlier { init }", async () => {
    const status = liquid("Not here", 404);
    expect([status.status, await status.text()]).toEqual([404, "Not here"]);
    const options = liquid("<p>Hi</p>", { layout: false, status: 201, headers: { "x-extra": "1" } });
    expect([options.status, options.headers.get("x-extra"), await options.text()]).toEqual([
      201,
      "1",
      "{% layout none %} <p>Hi</p>",
    ]);
    expect(options.headers.get("content-type")).toBe("application/liquid");
    const earlier = liquid("<p>Hi</p>", { layout: false, init: { status: 202 } });
    expect(earlier.status).toBe(202);
  });

  it("adds a trailing slash to relative form actions and link paths, as Shopify's packages do", async () => {
    const body = [
      '<form method="post" action="/apps/reviews/new?product=1">',
      '<a class="link" href="/apps/reviews/list">',
      '<a href="/apps/reviews/">',
      '<a href="https://example.com/x">',
    ].join("");
    expect(await liquid(body).text()).toBe(
      [
        '<form method="post" action="/apps/reviews/new/?product=1">',
        '<a class="link" href="/apps/reviews/list/">',
        '<a href="/apps/reviews/">',
        '<a href="https://example.com/x">',
      ].join(""),
    );
  });
});
