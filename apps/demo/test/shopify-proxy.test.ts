// The demo's app-proxy routes end to end below the browser: real signed Requests, the database
// (offline sessions, customer rows, the storefront role) and the local Admin GraphQL stand-in.
// Runs on both legs.
import { Session } from "@shopify/shopify-api";
import { startShopifyAdminServer } from "@sprocket/dev/shopify-admin";
import { PrismaSessionStorage } from "@sprocket/server/shopify";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { seconds, signedQuery } from "../../../packages/server/src/shopify/test/sign";

const SECRET = "proxy-secret-new";
const OLD_SECRET = "proxy-secret-old";
vi.hoisted(() => {
  process.env.SHOPIFY_API_KEY = "demo-api-key";
  process.env.SHOPIFY_API_SECRET = "proxy-secret-new, proxy-secret-old";
});

import { POST as subPathPost } from "@/app/proxy/[...path]/route";
import { GET, POST } from "@/app/proxy/route";
import { db } from "@/lib/db";
import { authenticate } from "@/lib/shopify";

const run = Math.random().toString(36).slice(2, 8);
const SHOP = `${run}-tuna.myshopify.com`;
const OTHER_SHOP = `${run}-other.myshopify.com`;
const UNINSTALLED_SHOP = `${run}-uninstalled.myshopify.com`;
const TOKEN = `shpat_${run}`;
// Numeric ids, unique per run so both legs and reruns never share rows.
// Fixed once: a tamper that replaces one id with another must find the id it signed.
const STAMP = Date.now() % 1_000_000_000;
const customerOf = (n: number) => `${STAMP}${n}`;

let admin: Awaited<ReturnType<typeof startShopifyAdminServer>>;

function proxied(
  path: string,
  {
    shop = SHOP,
    customer = null as string | null,
    secret = SECRET,
    now = Date.now(),
    method = "GET",
    body = undefined as unknown,
    tamper = (query: string) => query,
  } = {},
): Request {
  const pairs: [string, string][] = [
    ["shop", shop],
    ["path_prefix", "/apps/sprocket"],
    ["timestamp", seconds(now)],
  ];
  if (customer !== null) pairs.push(["logged_in_customer_id", customer]);
  const query = tamper(signedQuery(pairs, secret));
  return new Request(`http://127.0.0.1:3000${path}?${query}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

beforeAll(async () => {
  admin = await startShopifyAdminServer({ accessTokens: [TOKEN] });
  // Read on first use of the demo's config, which comes after this.
  process.env.SHOPIFY_ADMIN_ORIGIN = admin.origin;
  const sessions = new PrismaSessionStorage(db().shopifySession);
  for (const shop of [SHOP, OTHER_SHOP]) {
    await sessions.storeSession(
      new Session({ id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: TOKEN }),
    );
  }
});
afterAll(async () => {
  await admin?.stop();
  await db().shopifySession.deleteMany({ where: { shop: { in: [SHOP, OTHER_SHOP] } } });
  await db().shopifyCustomer.deleteMany({ where: { shop: { in: [SHOP, OTHER_SHOP, UNINSTALLED_SHOP] } } });
});

describe("GET /proxy", () => {
  it("creates the customer's row on first sight and returns its customData", async () => {
    const customer = customerOf(1);
    const first = await GET(proxied("/proxy", { customer }));
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ id: customer, customData: null });
    expect(await db().shopifyCustomer.findUnique({ where: { id: customer } })).toMatchObject({ shop: SHOP });

    await db().shopifyCustomer.update({ where: { id: customer }, data: { customData: { points: 42 } } });
    const second = await GET(proxied("/proxy", { customer, secret: OLD_SECRET }));
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ id: customer, customData: { points: 42 } });
  });

  it("answers 401 when no customer is logged in", async () => {
    const response = await GET(proxied("/proxy"));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { message: "Unauthorized" } });
  });

  it("answers 404 for a customer whose row belongs to another shop", async () => {
    const customer = customerOf(2);
    await db().shopifyCustomer.create({
      data: { id: customer, shop: OTHER_SHOP, customData: { secret: 1 } },
    });
    const response = await GET(proxied("/proxy", { customer }));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { message: "Customer not found" } });
  });

  it("answers a plain 401 to a tampered URL, before anything else runs", async () => {
    const customer = customerOf(3);
    const response = await GET(
      proxied("/proxy", {
        customer: customerOf(4),
        tamper: (query) =>
          query.replace(`logged_in_customer_id=${customerOf(4)}`, `logged_in_customer_id=${customer}`),
      }),
    );
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe("UNAUTHORIZED");
    expect(await db().shopifyCustomer.findUnique({ where: { id: customer } })).toBeNull();
  });

  it("answers a plain 401 to a stale URL", async () => {
    const response = await GET(proxied("/proxy", { customer: customerOf(5), now: Date.now() - 10 * 60_000 }));
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe("UNAUTHORIZED");
  });

  it("answers a plain 401 to a URL signed with another secret", async () => {
    const response = await GET(proxied("/proxy", { customer: customerOf(6), secret: "not-the-app-secret" }));
    expect(response.status).toBe(401);
  });
});

describe("POST /proxy", () => {
  it("sets the customer's metafield through the Admin API with the shop's token", async () => {
    const customer = customerOf(7);
    const before = admin.requests.length;
    const response = await POST(
      proxied("/proxy", { customer, method: "POST", body: { nickname: "Big Tuna" } }),
    );
    expect(response.status).toBe(200);
    const sent = admin.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.accessToken).toBe(TOKEN);
    expect(sent[0]!.query).toContain("metafieldsSet");
    expect(sent[0]!.variables).toEqual({
      metafields: [
        {
          key: "nickname",
          namespace: "my_fields",
          ownerId: `gid://shopify/Customer/${customer}`,
          type: "single_line_text_field",
          value: "Big Tuna",
        },
      ],
    });
    expect(admin.metafields.get(`gid://shopify/Customer/${customer} my_fields.nickname`)).toBe("Big Tuna");
  });

  it("answers 500 when Shopify reports user errors", async () => {
    const response = await POST(
      proxied("/proxy", { customer: customerOf(8), method: "POST", body: { nickname: "" } }),
    );
    expect(response.status).toBe(500);
  });

  it("answers 401 when no customer is logged in, without calling Shopify", async () => {
    const before = admin.requests.length;
    const response = await POST(proxied("/proxy", { method: "POST", body: {} }));
    expect(response.status).toBe(401);
    expect(admin.requests.length).toBe(before);
  });

  it("answers 503 for a shop the app has no offline session for", async () => {
    const response = await POST(
      proxied("/proxy", { shop: UNINSTALLED_SHOP, customer: customerOf(9), method: "POST", body: {} }),
    );
    expect(response.status).toBe(503);
  });

  it("answers on sub-paths under the proxy too", async () => {
    const response = await subPathPost(
      proxied("/proxy/nickname", { customer: customerOf(10), method: "POST", body: { nickname: "Sub" } }),
      { params: Promise.resolve({ path: ["nickname"] }) },
    );
    expect(response.status).toBe(200);
  });

  it("refuses a tampered URL without calling Shopify", async () => {
    const before = admin.requests.length;
    const response = await POST(
      proxied("/proxy", {
        customer: customerOf(11),
        method: "POST",
        body: { nickname: "x" },
        tamper: (query) => query.replace(SHOP, OTHER_SHOP),
      }),
    );
    expect(response.status).toBe(401);
    expect(admin.requests.length).toBe(before);
  });

  it("refuses an unsigned POST without reading its body", async () => {
    let pulls = 0;
    // Pulled only when read: no chunk is queued ahead (high-water mark 0).
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulls += 1;
          controller.enqueue(new TextEncoder().encode(JSON.stringify({ nickname: "x" })));
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const response = await POST(
      new Request(`http://127.0.0.1:3000/proxy?shop=${SHOP}&logged_in_customer_id=${customerOf(12)}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        duplex: "half",
      } as RequestInit),
    );
    expect(response.status).toBe(401);
    expect(pulls).toBe(0);
  });
});

describe("authenticate.public.appProxy", () => {
  it("gives Shopify's shape over the same Admin API", async () => {
    const { session, admin: client } = await authenticate.public.appProxy(proxied("/proxy"));
    expect(session?.shop).toBe(SHOP);
    const response = await client!.graphql("query ($id: ID!) { customer(id: $id) { id } }", {
      variables: { id: "gid://shopify/Customer/1" },
    });
    // @shopify/shopify-api's result, as Shopify's packages hand it over: data, and the answer's headers.
    const json = await response.json();
    expect(json).toMatchObject({ data: { customer: null } });
    expect(json.headers["Content-Type"]).toEqual([expect.stringMatching(/^application\/json/)]);
  });
});
