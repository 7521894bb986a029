// The app's page in the Shopify admin, below the browser: session tokens as App Bridge sends them,
// the demo's /api/models route (the "shopify-admin" role, scoped to the token's shop), and
// adminRoute (authenticate.admin with token exchange against the local Admin stand-in, sessions in
// the database). Runs on both legs.
import { type ShopifyAdminServer, startShopifyAdminServer } from "@sprocket/dev/shopify-admin";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  API_KEY,
  claimsFor,
  forgedToken,
  sessionToken,
} from "../../../packages/server/src/shopify/test/session-token";

const SECRET = "admin-secret-new";
const OLD_SECRET = "admin-secret-old";
vi.hoisted(() => {
  process.env.SHOPIFY_API_KEY = "admin-app-key";
  process.env.SHOPIFY_API_SECRET = "admin-secret-new, admin-secret-old";
});

import { DELETE, GET, PATCH, POST } from "@/app/api/models/[...path]/route";
import { db } from "@/lib/db";
import { adminRoute } from "@/lib/shopify";
import { databaseKind } from "./database";

const APP = "http://127.0.0.1:3000";
const run = Math.random().toString(36).slice(2, 8);
const SHOP_A = `${run}-admin-a.myshopify.com`;
const SHOP_B = `${run}-admin-b.myshopify.com`;
const FIRST_SHOP = `${run}-admin-first.myshopify.com`;
const CONCURRENT_SHOP = `${run}-admin-concurrent.myshopify.com`;
const UNINSTALLED_SHOP = `${run}-admin-uninstalled.myshopify.com`;
const REINSTALLED_SHOP = `${run}-admin-reinstalled.myshopify.com`;
const SHOPS = [SHOP_A, SHOP_B, FIRST_SHOP, CONCURRENT_SHOP, UNINSTALLED_SHOP, REINSTALLED_SHOP];
// Fixed once per file: numeric customer ids unique per run.
const STAMP = Date.now() % 1_000_000_000;

let standIn: ShopifyAdminServer;
const rows = {
  a: { chat: "", customer: `${STAMP}1`, event: "" },
  b: { chat: "", customer: `${STAMP}2`, event: "" },
};

const token = (shop: string, secret = SECRET) => sessionToken(claimsFor(shop, { aud: API_KEY }), secret);
const models = async (path: string, shop: string, init: RequestInit = {}) =>
  new Request(`${APP}/api/models${path}`, {
    ...init,
    headers: { authorization: `Bearer ${await token(shop)}`, ...init.headers },
  });
const query = (value: object) => `?query=${encodeURIComponent(JSON.stringify(value))}`;
const ids = async (response: Response) => (await response.json()).data.map((row: { id: string }) => row.id);

beforeAll(async () => {
  standIn = await startShopifyAdminServer({ app: { apiKey: API_KEY, secrets: [SECRET, OLD_SECRET] } });
  // Read on first use of the demo's config, which comes after this.
  process.env.SHOPIFY_ADMIN_ORIGIN = standIn.origin;
  for (const [key, shop] of [
    ["a", SHOP_A],
    ["b", SHOP_B],
  ] as const) {
    rows[key].chat = (await db().chat.create({ data: { title: `${run} ${key}`, shop } })).id;
    await db().shopifyCustomer.create({ data: { id: rows[key].customer, shop } });
    rows[key].event = (
      await db().webhookEvent.create({
        data: {
          provider: "shopify",
          deliveryId: `${run}-${key}`,
          topic: "orders/create",
          shop,
          payload: { customer: { email: `${key}@example.com` } },
        },
      })
    ).id;
  }
});
afterAll(async () => {
  await standIn?.stop();
  await db().chat.deleteMany({ where: { shop: { in: SHOPS } } });
  await db().shopifyCustomer.deleteMany({ where: { shop: { in: SHOPS } } });
  await db().webhookEvent.deleteMany({ where: { shop: { in: SHOPS } } });
  await db().shopifySession.deleteMany({ where: { shop: { in: SHOPS } } });
});

describe(`/api/models with a session token: the shopify-admin role (${databaseKind})`, () => {
  it("reads the token's shop's chats, customers and webhook events, and none of another shop's", async () => {
    const chats = await GET(
      await models(`/chat${query({ filter: { title: { startsWith: run } } })}`, SHOP_A),
    );
    expect(chats.status).toBe(200);
    expect(await ids(chats)).toEqual([rows.a.chat]);

    const customers = await GET(
      await models(
        `/shopifyCustomer${query({ filter: { id: { in: [rows.a.customer, rows.b.customer] } } })}`,
        SHOP_A,
      ),
    );
    expect(await ids(customers)).toEqual([rows.a.customer]);

    const events = await GET(
      await models(`/webhookEvent${query({ filter: { deliveryId: { startsWith: run } } })}`, SHOP_A),
    );
    const listed = (await events.json()).data;
    expect(listed.map((row: { id: string }) => row.id)).toEqual([rows.a.event]);
    // The payload (customer data) and the handler's internal error text are never served.
    expect(listed[0]).not.toHaveProperty("payload");
    expect(listed[0]).not.toHaveProperty("lastError");
    expect(listed[0]).toMatchObject({ shop: SHOP_A, topic: "orders/create" });
  });

  it("never reaches another shop's rows: not by id, not by filtering on the shop", async () => {
    for (const [model, id] of [
      ["chat", rows.b.chat],
      ["shopifyCustomer", rows.b.customer],
      ["webhookEvent", rows.b.event],
    ] as const) {
      const byId = await GET(await models(`/${model}/${id}`, SHOP_A));
      expect(byId.status).toBe(404);
      const byShop = await GET(
        await models(`/${model}${query({ filter: { shop: { equals: SHOP_B } } })}`, SHOP_A),
      );
      expect(byShop.status).toBe(200);
      expect(await ids(byShop)).toEqual([]);
    }
    const own = await GET(await models(`/chat/${rows.a.chat}`, SHOP_A));
    expect(own.status).toBe(200);
  });

  it("refuses to select or filter on the webhook payload, or on the handler's error text", async () => {
    const selected = await GET(await models(`/webhookEvent${query({ select: { payload: true } })}`, SHOP_A));
    expect(selected.status).toBe(400);
    for (const refused of [
      { select: { lastError: true } },
      { filter: { lastError: { startsWith: "Error" } } },
      { sort: { lastError: "Ascending" } },
    ]) {
      expect((await GET(await models(`/webhookEvent${query(refused)}`, SHOP_A))).status).toBe(400);
    }
    const filtered = await GET(
      await models(`/webhookEvent${query({ filter: { payload: { equals: { customer: null } } } })}`, SHOP_A),
    );
    expect(filtered.status).toBe(400);
  });

  it("may not write: creating a chat is forbidden", async () => {
    const response = await POST(
      await models("/chat", SHOP_A, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ data: { title: `${run} written` } }),
      }),
    );
    expect(response.status).toBe(403);
    expect(await db().chat.count({ where: { title: `${run} written` } })).toBe(0);

    const patch = { "content-type": "application/json" };
    const renamed = await PATCH(
      await models(`/chat/${rows.a.chat}`, SHOP_A, {
        method: "PATCH",
        headers: patch,
        body: JSON.stringify({ data: { title: "renamed" } }),
      }),
    );
    expect(renamed.status).toBe(403);
    expect((await DELETE(await models(`/chat/${rows.a.chat}`, SHOP_A, { method: "DELETE" }))).status).toBe(
      403,
    );
    expect(await db().chat.findUnique({ where: { id: rows.a.chat } })).toMatchObject({ title: `${run} a` });
  });

  it("may read nothing else: users and messages are forbidden", async () => {
    for (const model of ["user", "message"]) {
      expect((await GET(await models(`/${model}`, SHOP_A))).status).toBe(403);
    }
  });

  it("answers the retryable 401 to a bad Bearer token", async () => {
    for (const authorization of [
      `Bearer ${await token(SHOP_A, "not-the-secret")}`,
      `Bearer ${forgedToken(claimsFor(SHOP_A), SECRET, "none")}`,
      `Bearer ${forgedToken(claimsFor(SHOP_A), SECRET, "HS512")}`,
      "Bearer not-a-token",
    ]) {
      const response = await GET(new Request(`${APP}/api/models/chat`, { headers: { authorization } }));
      expect(response.status).toBe(401);
      expect(response.headers.get("x-shopify-retry-invalid-session-request")).toBe("1");
    }
  });

  it("leaves another Authorization scheme to the cookie: unauthenticated here, which may read no chats", async () => {
    const response = await GET(
      new Request(`${APP}/api/models/chat`, { headers: { authorization: "Basic dXNlcjpwYXNz" } }),
    );
    expect(response.status).toBe(403);
  });
});

// An admin-authenticated handler: the shop's Admin API as Gadget's connections.shopify.current.
const shopName = adminRoute(async ({ api, connections, reply }) => {
  const data = await connections.shopify.current!.graphql("query ($id: ID!) { customer(id: $id) { id } }", {
    id: "gid://shopify/Customer/1",
  });
  const chats = await api.chat.findMany({ filter: { title: { startsWith: run } } });
  await reply.send({ shop: connections.shopify.currentShop.myshopifyDomain, data, chats: chats.length });
});
const admin = async (shop: string) =>
  shopName(
    new Request(`${APP}/api/admin/shop`, { headers: { authorization: `Bearer ${await token(shop)}` } }),
  );

describe(`adminRoute: authenticate.admin with token exchange (${databaseKind})`, () => {
  it("exchanges on the shop's first request, stores the session, then uses the stored one", async () => {
    const first = await admin(FIRST_SHOP);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ shop: FIRST_SHOP, data: { customer: null }, chats: 0 });
    expect(standIn.exchangeCount(FIRST_SHOP)).toBe(1);
    const stored = await db().shopifySession.findUnique({ where: { id: `offline_${FIRST_SHOP}` } });
    expect(stored).toMatchObject({ shop: FIRST_SHOP, isOnline: false });
    expect(stored?.accessToken).toMatch(/^shpat_exchanged_/);

    const second = await admin(FIRST_SHOP);
    expect(second.status).toBe(200);
    expect(standIn.exchangeCount(FIRST_SHOP)).toBe(1);
    expect(
      (await db().shopifySession.findUnique({ where: { id: `offline_${FIRST_SHOP}` } }))?.accessToken,
    ).toBe(stored?.accessToken);
  });

  it("scopes api to the token's shop", async () => {
    const response = await admin(SHOP_A);
    expect(await response.json()).toMatchObject({ shop: SHOP_A, chats: 1 });
  });

  it("exchanges once for 10 concurrent first requests of a shop", async () => {
    const responses = await Promise.all(Array.from({ length: 10 }, () => admin(CONCURRENT_SHOP)));
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(200));
    expect(standIn.exchangeCount(CONCURRENT_SHOP)).toBe(1);
    expect(await db().shopifySession.count({ where: { shop: CONCURRENT_SHOP } })).toBe(1);
  });

  it("answers the retryable 401 for a shop where the app is not installed, storing nothing", async () => {
    standIn.uninstall(UNINSTALLED_SHOP);
    const response = await admin(UNINSTALLED_SHOP);
    expect(response.status).toBe(401);
    expect(response.headers.get("x-shopify-retry-invalid-session-request")).toBe("1");
    expect(await response.text()).toBe("");
    expect(await db().shopifySession.count({ where: { shop: UNINSTALLED_SHOP } })).toBe(0);
  });

  it("deletes a session whose token Shopify revoked, answering 401; after a reinstall it exchanges again", async () => {
    expect((await admin(REINSTALLED_SHOP)).status).toBe(200);
    standIn.uninstall(REINSTALLED_SHOP);
    const revoked = await admin(REINSTALLED_SHOP);
    expect(revoked.status).toBe(401);
    expect(await db().shopifySession.count({ where: { shop: REINSTALLED_SHOP } })).toBe(0);

    standIn.install(REINSTALLED_SHOP);
    expect((await admin(REINSTALLED_SHOP)).status).toBe(200);
    expect(standIn.exchangeCount(REINSTALLED_SHOP)).toBe(2);
    expect(await db().shopifySession.count({ where: { shop: REINSTALLED_SHOP } })).toBe(1);
  });
});
