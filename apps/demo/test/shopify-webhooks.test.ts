// POST /webhooks/shopify end to end below the network: real signed deliveries, the database (the
// inbox, sessions, customer rows) and the local Admin GraphQL stand-in. Runs on both legs.
import { createHmac, randomUUID } from "node:crypto";
import { Session } from "@shopify/shopify-api";
import { startShopifyAdminServer } from "@sprocket/dev/shopify-admin";
import { PrismaSessionStorage } from "@sprocket/server/shopify";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { databaseKind } from "./database";

const SECRET = "shopify-webhook-secret";
vi.hoisted(() => {
  process.env.SHOPIFY_API_KEY = "demo-api-key";
  process.env.SHOPIFY_API_SECRET = "shopify-webhook-secret";
});

// `after` only works inside a Next.js request; here it collects the tasks so tests await them.
const tasks: Promise<unknown>[] = [];
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  after: (task: () => Promise<unknown>) => {
    tasks.push(task());
  },
}));

import { POST } from "@/app/webhooks/shopify/route";
import { db } from "@/lib/db";

const run = Math.random().toString(36).slice(2, 8);
const SHOP = `${run}-hooks.myshopify.com`;
const OTHER_SHOP = `${run}-other.myshopify.com`;
const TOKEN = `shpat_hooks_${run}`;
// Fixed once, so every call for the same n names the same customer.
const STAMP = Date.now() % 1_000_000_000;
const customerOf = (n: number) => `${STAMP}${n}`;

let admin: Awaited<ReturnType<typeof startShopifyAdminServer>>;

function delivery(
  topic: string,
  payload: unknown,
  { shop = SHOP, eventId = randomUUID(), secret = SECRET, omit = [] as string[] } = {},
): Request {
  const body = JSON.stringify(payload);
  const headers = new Headers({
    "content-type": "application/json",
    "X-Shopify-Hmac-Sha256": createHmac("sha256", secret).update(body).digest("base64"),
    "X-Shopify-Topic": topic,
    "X-Shopify-Shop-Domain": shop,
    "X-Shopify-API-Version": "2026-01",
    "X-Shopify-Webhook-Id": randomUUID(),
    "X-Shopify-Event-Id": eventId,
    "X-Shopify-Triggered-At": new Date().toISOString(),
  });
  for (const name of omit) headers.delete(name);
  return new Request("http://localhost/webhooks/shopify", { method: "POST", headers, body });
}

async function deliver(request: Request): Promise<Response> {
  const response = await POST(request);
  await Promise.all(tasks);
  return response;
}

const storeSession = (shop: string) =>
  new PrismaSessionStorage(db().shopifySession).storeSession(
    new Session({ id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: TOKEN }),
  );

beforeAll(async () => {
  admin = await startShopifyAdminServer({ accessTokens: [TOKEN] });
  // Read on first use of the demo's config, which comes after this.
  process.env.SHOPIFY_ADMIN_ORIGIN = admin.origin;
});
beforeEach(async () => {
  tasks.length = 0;
  await storeSession(SHOP);
  await storeSession(OTHER_SHOP);
});
afterAll(async () => {
  await admin?.stop();
  const shops = [SHOP, OTHER_SHOP];
  await db().shopifySession.deleteMany({ where: { shop: { in: shops } } });
  await db().shopifyCustomer.deleteMany({ where: { shop: { in: shops } } });
  await db().webhookEvent.deleteMany({ where: { shop: { in: shops } } });
});

describe(`POST /webhooks/shopify (${databaseKind})`, () => {
  it("PRODUCTS_UPDATE sets the metafield through admin.graphql; a duplicate answers 200 and runs nothing", async () => {
    const product = `gid://shopify/Product/${customerOf(7)}`;
    const eventId = randomUUID();
    const payload = { id: 1, admin_graphql_api_id: product, title: "Tuna" };
    const calls = admin.requests.length;
    expect((await deliver(delivery("products/update", payload, { eventId }))).status).toBe(200);
    expect(admin.metafields.get(`${product} my-app.webhook_received_at`)).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(admin.requests.length).toBe(calls + 1);

    const again = await deliver(delivery("products/update", payload, { eventId }));
    expect(again.status).toBe(200);
    expect(again.headers.get("x-webhook-duplicate")).toBe("true");
    expect(admin.requests.length).toBe(calls + 1);
    const rows = await db().webhookEvent.findMany({ where: { provider: "shopify", deliveryId: eventId } });
    expect(rows).toMatchObject([{ topic: "products/update", shop: SHOP, status: "processed", attempts: 1 }]);
  });

  it("APP_UNINSTALLED deletes the shop's sessions and no other shop's", async () => {
    expect((await deliver(delivery("app/uninstalled", { id: 1, domain: SHOP }))).status).toBe(200);
    expect(await db().shopifySession.count({ where: { shop: SHOP } })).toBe(0);
    expect(await db().shopifySession.count({ where: { shop: OTHER_SHOP } })).toBe(1);
  });

  it("CUSTOMERS_DATA_REQUEST is handled and changes nothing", async () => {
    const customer = customerOf(1);
    await db().shopifyCustomer.create({
      data: { id: customer, shop: SHOP, customData: { nickname: "Tuna" } },
    });
    const eventId = randomUUID();
    const payload = { shop_domain: SHOP, customer: { id: Number(customer) }, data_request: { id: 9 } };
    expect((await deliver(delivery("customers/data_request", payload, { eventId }))).status).toBe(200);
    expect(await db().webhookEvent.findFirst({ where: { deliveryId: eventId } })).toMatchObject({
      status: "processed",
    });
    expect(await db().shopifyCustomer.count({ where: { id: customer } })).toBe(1);
  });

  it("CUSTOMERS_REDACT deletes the customer's row and the stored deliveries naming them", async () => {
    const customer = customerOf(2);
    const other = customerOf(3);
    await db().shopifyCustomer.createMany({
      data: [
        { id: customer, shop: SHOP },
        { id: other, shop: SHOP },
      ],
    });
    const naming = randomUUID();
    const ordering = randomUUID();
    const unrelated = randomUUID();
    await deliver(
      delivery("customers/update", { id: Number(customer), email: "tuna@example.com" }, { eventId: naming }),
    );
    await deliver(
      delivery("orders/create", { id: 5, customer: { id: Number(customer) } }, { eventId: ordering }),
    );
    await deliver(delivery("customers/update", { id: Number(other) }, { eventId: unrelated }));
    // A payload jsonb cannot hold (a NUL in a note) is kept as text, and still found by the id.
    const keptAsText = randomUUID();
    await deliver(
      delivery(
        "orders/create",
        { id: 6, note: "gift\u0000wrap", customer: { id: Number(customer) } },
        { eventId: keptAsText },
      ),
    );
    expect(await db().webhookEvent.count({ where: { deliveryId: keptAsText } })).toBe(1);
    // Another customer's, kept as text too, whose note holds this customer's id: it stays.
    const othersKeptAsText = randomUUID();
    await deliver(
      delivery(
        "orders/create",
        { id: 7, note: `ref ${customer}\u0000`, customer: { id: Number(other) } },
        { eventId: othersKeptAsText },
      ),
    );

    // Their orders that name no customer id: a guest order by email (in another case), an order
    // and its fulfillment by the ids in orders_to_redact. Another guest's order stays.
    const guestOrder = randomUUID();
    await deliver(delivery("orders/create", { id: 8, email: "Tuna@Example.com" }, { eventId: guestOrder }));
    const listedOrder = randomUUID();
    await deliver(delivery("orders/updated", { id: 9, email: null }, { eventId: listedOrder }));
    const fulfillment = randomUUID();
    await deliver(delivery("fulfillments/create", { id: 30, order_id: 9 }, { eventId: fulfillment }));
    const othersOrder = randomUUID();
    await deliver(
      delivery("orders/create", { id: 10, email: "marlin@example.com" }, { eventId: othersOrder }),
    );

    const redact = randomUUID();
    const payload = {
      shop_domain: SHOP,
      customer: { id: Number(customer), email: "tuna@example.com" },
      orders_to_redact: [9],
    };
    expect((await deliver(delivery("customers/redact", payload, { eventId: redact }))).status).toBe(200);
    expect(await db().shopifyCustomer.count({ where: { id: customer } })).toBe(0);
    expect(await db().shopifyCustomer.count({ where: { id: other } })).toBe(1);
    const left = await db().webhookEvent.findMany({
      where: {
        deliveryId: {
          in: [
            naming,
            ordering,
            unrelated,
            keptAsText,
            othersKeptAsText,
            guestOrder,
            listedOrder,
            fulfillment,
            othersOrder,
            redact,
          ],
        },
      },
      select: { deliveryId: true, status: true },
    });
    expect(left.map((row) => row.deliveryId).sort()).toEqual(
      [redact, unrelated, othersKeptAsText, othersOrder].sort(),
    );
    expect(left.find((row) => row.deliveryId === redact)?.status).toBe("processed");
  });

  it("SHOP_REDACT deletes the shop's customers, sessions and stored deliveries, not another shop's", async () => {
    await db().shopifyCustomer.createMany({
      data: [
        { id: customerOf(4), shop: SHOP },
        { id: customerOf(5), shop: OTHER_SHOP },
      ],
    });
    const earlier = randomUUID();
    const elsewhere = randomUUID();
    await deliver(
      delivery(
        "products/update",
        { id: 2, admin_graphql_api_id: "gid://shopify/Product/2" },
        { eventId: earlier },
      ),
    );
    await deliver(
      delivery(
        "products/update",
        { id: 3, admin_graphql_api_id: "gid://shopify/Product/3" },
        { eventId: elsewhere, shop: OTHER_SHOP },
      ),
    );
    const redact = randomUUID();
    expect(
      (await deliver(delivery("shop/redact", { shop_domain: SHOP, shop_id: 1 }, { eventId: redact }))).status,
    ).toBe(200);
    expect(await db().shopifyCustomer.count({ where: { shop: SHOP } })).toBe(0);
    expect(await db().shopifySession.count({ where: { shop: SHOP } })).toBe(0);
    expect(await db().webhookEvent.findMany({ where: { shop: SHOP }, select: { deliveryId: true } })).toEqual(
      [{ deliveryId: redact }],
    );
    expect(await db().shopifyCustomer.count({ where: { shop: OTHER_SHOP } })).toBeGreaterThan(0);
    expect(await db().shopifySession.count({ where: { shop: OTHER_SHOP } })).toBe(1);
    expect(await db().webhookEvent.count({ where: { deliveryId: elsewhere } })).toBe(1);
  });

  it("answers 401 for a bad signature and 400 for missing headers, storing nothing", async () => {
    const eventId = randomUUID();
    const bad = await deliver(delivery("products/update", { id: 1 }, { eventId, secret: "someone-else" }));
    expect(bad.status).toBe(401);
    const missing = await deliver(
      delivery("products/update", { id: 1 }, { eventId, omit: ["X-Shopify-Topic"] }),
    );
    expect(missing.status).toBe(400);
    expect(await db().webhookEvent.count({ where: { deliveryId: eventId } })).toBe(0);
  });
});
