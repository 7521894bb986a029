// authenticate.webhook and shopifyWebhook with real signed Requests, an in-memory inbox and the
// local Admin GraphQL stand-in.
import { createHmac } from "node:crypto";
import { Session } from "@shopify/shopify-api";
import { startShopifyAdminServer } from "@sprocket/dev/shopify-admin";
import { route } from "@sprocket/server";
import {
  SessionNotFoundError,
  type SessionStorage,
  shopifyApp,
  type WebhookContext,
} from "@sprocket/server/shopify";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryInboxStore } from "../webhooks/test/memory-inbox-store.js";
import type { WebhookInboxStore } from "../webhooks/webhook-inbox-store.js";

const SECRET = "webhook-secret-new";
const OLD_SECRET = "webhook-secret-old";
const SHOP = "shop-one.myshopify.com";
const UNINSTALLED = "gone.myshopify.com";
const TOKEN = "shpat_webhook_shop";
const PRODUCT = "gid://shopify/Product/788032119674292922";
const logger = pino({ level: "silent" });

function memoryStorage(): SessionStorage {
  const sessions = new Map<string, Session>();
  return {
    async storeSession(session) {
      sessions.set(session.id, session);
      return true;
    },
    loadSession: async (id) => sessions.get(id),
    deleteSession: async (id) => sessions.delete(id),
    async deleteSessions(ids) {
      for (const id of ids) sessions.delete(id);
      return true;
    },
    findSessionsByShop: async (shop) => [...sessions.values()].filter((session) => session.shop === shop),
  };
}

interface Delivery {
  topic?: string;
  shop?: string;
  webhookId?: string;
  eventId?: string | null;
  body?: string;
  secret?: string;
  method?: string;
  omit?: string[];
  subTopic?: string;
}

function delivery({
  topic = "products/update",
  shop = SHOP,
  webhookId = crypto.randomUUID(),
  eventId = crypto.randomUUID(),
  body = JSON.stringify({ id: 7880321196, admin_graphql_api_id: PRODUCT, title: "Tuna" }),
  secret = SECRET,
  method = "POST",
  omit = [],
  subTopic,
}: Delivery = {}): Request {
  const headers = new Headers({
    "content-type": "application/json",
    "X-Shopify-Hmac-Sha256": createHmac("sha256", secret).update(body, "utf8").digest("base64"),
    "X-Shopify-Topic": topic,
    "X-Shopify-Shop-Domain": shop,
    "X-Shopify-API-Version": "2026-01",
    "X-Shopify-Webhook-Id": webhookId,
    "X-Shopify-Triggered-At": "2026-01-15T10:00:00.000Z",
    "X-Shopify-Name": "sprocket",
  });
  if (eventId !== null) headers.set("X-Shopify-Event-Id", eventId);
  if (subTopic) headers.set("X-Shopify-Sub-Topic", subTopic);
  for (const name of omit) headers.delete(name);
  return new Request("https://app.example.com/webhooks/shopify", {
    method,
    headers,
    body: method === "GET" ? undefined : body,
  });
}

/** The Response `authenticate.webhook` threw, or a failure. */
async function thrown(promise: Promise<unknown>): Promise<Response> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
  throw new Error("expected a thrown Response");
}

let admin: Awaited<ReturnType<typeof startShopifyAdminServer>>;
let sessionStorage: SessionStorage;
const store = memoryInboxStore();

const app = (options: { withStore?: boolean; store?: WebhookInboxStore } = {}) =>
  shopifyApp({
    apiKey: "key",
    apiSecretKey: [SECRET, OLD_SECRET],
    apiVersion: "2026-01",
    sessionStorage,
    adminOrigin: admin.origin,
    ...(options.withStore === false ? {} : { webhooks: { store: options.store ?? store } }),
  });

beforeAll(async () => {
  admin = await startShopifyAdminServer({ accessTokens: [TOKEN] });
  sessionStorage = memoryStorage();
  await sessionStorage.storeSession(
    new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: TOKEN }),
  );
});
afterAll(() => admin.stop());

describe("authenticate.webhook", () => {
  it("returns Shopify's context with the session and an Admin API that sets the seed's metafield", async () => {
    const { authenticate } = app();
    const eventId = crypto.randomUUID();
    const context: WebhookContext = await authenticate.webhook(delivery({ eventId, webhookId: "wh-1" }));
    expect(context).toMatchObject({
      topic: "PRODUCTS_UPDATE",
      shop: SHOP,
      apiVersion: "2026-01",
      webhookId: "wh-1",
      eventId,
      triggeredAt: "2026-01-15T10:00:00.000Z",
      webhookType: "webhooks",
      name: "sprocket",
      payload: { admin_graphql_api_id: PRODUCT, title: "Tuna" },
      isDuplicate: false,
    });
    expect(context).not.toHaveProperty("subTopic");
    // Typed as Shopify's packages type it: ported code reads fields without narrowing (tsc checks).
    const productId: number = context.payload.id;
    const title: string = context.payload.title;
    expect([productId, title]).toEqual([7880321196, "Tuna"]);
    expect(context.session?.shop).toBe(SHOP);
    if (!context.session) throw new Error("expected a session");
    const response = await context.admin.graphql(
      `#graphql
      mutation setMetafield($metafields: [MetafieldsSetInput!]!) {
        metafieldsSet(metafields: $metafields) { metafields { key value } }
      }`,
      {
        variables: {
          metafields: [
            {
              ownerId: context.payload.admin_graphql_api_id,
              namespace: "my-app",
              key: "webhook_received_at",
              type: "single_line_text_field",
              value: "2026-01-15T10:00:01.000Z",
            },
          ],
        },
      },
    );
    expect(response).toBeInstanceOf(Response);
    const { data } = await response.json();
    expect(data.metafieldsSet.metafields).toEqual([
      { key: "webhook_received_at", value: "2026-01-15T10:00:01.000Z", namespace: "my-app" },
    ]);
    expect(admin.metafields.get(`${PRODUCT} my-app.webhook_received_at`)).toBe("2026-01-15T10:00:01.000Z");
  });

  it("records the delivery once and reports the repeat as a duplicate, keyed by event id", async () => {
    const { authenticate } = app();
    const eventId = crypto.randomUUID();
    const first = await authenticate.webhook(delivery({ eventId }));
    // Another subscription's delivery of the same event: a new webhook id, the same event id.
    const again = await authenticate.webhook(delivery({ eventId }));
    expect([first.isDuplicate, again.isDuplicate]).toEqual([false, true]);
    const rows = [...store.rows.values()].filter((row) => row.deliveryId === eventId);
    expect(rows).toMatchObject([
      { provider: "shopify", topic: "products/update", shop: SHOP, status: "processed" },
    ]);
  });

  it("stores an inline delivery as processed in one statement, or claims and completes it where the store cannot", async () => {
    const calls: string[] = [];
    const counted = (honours: boolean): WebhookInboxStore => ({
      ...store,
      insert: async (event) => {
        calls.push("insert");
        const result = await store.insert(honours ? event : { ...event, processedAt: undefined });
        return result.isDuplicate || honours ? result : { id: result.id, isDuplicate: false };
      },
      claim: async (id, lease) => {
        calls.push("claim");
        return store.claim(id, lease);
      },
      complete: async (id, outcome) => {
        calls.push("complete");
        return store.complete(id, outcome);
      },
    });
    for (const honours of [true, false]) {
      calls.length = 0;
      const eventId = crypto.randomUUID();
      const { authenticate } = app({ store: counted(honours) });
      expect((await authenticate.webhook(delivery({ eventId }))).isDuplicate).toBe(false);
      expect(calls).toEqual(honours ? ["insert"] : ["insert", "claim", "complete"]);
      expect([...store.rows.values()].find((row) => row.deliveryId === eventId)?.status).toBe("processed");
    }
  });

  it("keys by webhook id when there is no event id", async () => {
    const { authenticate } = app();
    const webhookId = crypto.randomUUID();
    expect((await authenticate.webhook(delivery({ webhookId, eventId: null }))).isDuplicate).toBe(false);
    expect((await authenticate.webhook(delivery({ webhookId, eventId: null }))).isDuplicate).toBe(true);
    expect([...store.rows.values()].filter((row) => row.deliveryId === webhookId)).toHaveLength(1);
  });

  it("gives no session and no admin for a shop without an offline session", async () => {
    const context = await app().authenticate.webhook(
      delivery({ topic: "app/uninstalled", shop: UNINSTALLED, subTopic: "legacy" }),
    );
    expect(context).toMatchObject({ topic: "APP_UNINSTALLED", shop: UNINSTALLED, subTopic: "legacy" });
    expect(context.session).toBeUndefined();
    expect(context.admin).toBeUndefined();
  });

  it("accepts the previous secret during a rotation and reports nothing as duplicate without a store", async () => {
    const { authenticate } = app({ withStore: false });
    const eventId = crypto.randomUUID();
    const size = store.rows.size;
    expect((await authenticate.webhook(delivery({ eventId, secret: OLD_SECRET }))).isDuplicate).toBe(false);
    expect((await authenticate.webhook(delivery({ eventId }))).isDuplicate).toBe(false);
    expect(store.rows.size).toBe(size);
  });

  it("throws plain 405, 400 and 401 Responses and stores nothing", async () => {
    const { authenticate } = app();
    const size = store.rows.size;
    const notPost = await thrown(authenticate.webhook(delivery({ method: "GET" })));
    expect(notPost.status).toBe(405);
    expect(notPost.headers.get("allow")).toBe("POST");
    for (const header of [
      "X-Shopify-Hmac-Sha256",
      "X-Shopify-Topic",
      "X-Shopify-Shop-Domain",
      "X-Shopify-Webhook-Id",
    ]) {
      expect((await thrown(authenticate.webhook(delivery({ omit: [header] })))).status).toBe(400);
    }
    expect((await thrown(authenticate.webhook(delivery({ secret: "someone-else" })))).status).toBe(401);
    // A valid signature over a body that is not a JSON object.
    expect((await thrown(authenticate.webhook(delivery({ body: "not json" })))).status).toBe(400);
    expect((await thrown(authenticate.webhook(delivery({ body: "[1,2]" })))).status).toBe(400);
    expect(store.rows.size).toBe(size);
  });

  it("reads Shopify's event deliveries (`shopify-*` headers) as its packages do", async () => {
    const { authenticate } = app();
    const body = JSON.stringify({ id: 7880321196, admin_graphql_api_id: PRODUCT });
    const eventId = crypto.randomUUID();
    const event = () =>
      new Request("https://app.example.com/webhooks/shopify", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "shopify-hmac-sha256": createHmac("sha256", SECRET).update(body).digest("base64"),
          "shopify-topic": "products/update",
          "shopify-shop-domain": SHOP,
          "shopify-api-version": "2026-01",
          "shopify-webhook-id": "wh-events-1",
          "shopify-event-id": eventId,
          "shopify-handle": "product-sync",
          "shopify-action": "update",
          "shopify-resource-id": PRODUCT,
          "shopify-triggered-at": "2026-01-15T10:00:00.000Z",
        },
        body,
      });
    const context = await authenticate.webhook(event());
    expect(context).toMatchObject({
      webhookType: "events",
      topic: "PRODUCTS_UPDATE",
      shop: SHOP,
      apiVersion: "2026-01",
      webhookId: eventId,
      eventId,
      handle: "product-sync",
      action: "update",
      resourceId: PRODUCT,
      triggeredAt: "2026-01-15T10:00:00.000Z",
      isDuplicate: false,
    });
    expect(context.session?.shop).toBe(SHOP);
    expect((await authenticate.webhook(event())).isDuplicate).toBe(true);
  });

  it("takes Shopify's admin.graphql options: apiVersion, tries (no retry by default), signal", async () => {
    const { authenticate } = app();
    const context = await authenticate.webhook(delivery());
    if (!context.session) throw new Error("expected a session");
    const query = "query { customer(id: 1) { id } }";
    const sent = () => admin.requests.length;

    let before = sent();
    await context.admin.graphql(query, {
      variables: { id: "gid://shopify/Customer/1" },
      apiVersion: "2025-07",
    });
    expect(admin.requests.slice(before).map((request) => request.apiVersion)).toEqual(["2025-07"]);
    before = sent();
    await context.admin.graphql(query, { variables: { id: "gid://shopify/Customer/1" } });
    expect(admin.requests.slice(before).map((request) => request.apiVersion)).toEqual(["2026-01"]);

    // One attempt unless `tries` says more: a 503 reaches the caller, as Shopify's packages throw it.
    admin.failNext(503);
    before = sent();
    const unavailable = await thrown(context.admin.graphql(query, { variables: { id: "x" } }));
    expect(sent() - before).toBe(1);
    expect(unavailable.status).toBe(503);
    // The library's error body, as Shopify's packages forward it.
    expect(await unavailable.json()).toMatchObject({ errors: { networkStatusCode: 503 } });
    admin.failNext(503);
    before = sent();
    const retried = await context.admin.graphql(query, { variables: { id: "x" }, tries: 2 });
    expect(retried.status).toBe(200);
    expect(sent() - before).toBe(2);

    const aborted = AbortSignal.abort();
    before = sent();
    await expect(context.admin.graphql(query, { signal: aborted })).rejects.toThrow();
    expect(sent()).toBe(before);
  });

  it("throws the Admin API's HTTP errors as Responses with Shopify's status, and its json() has the library's fields", async () => {
    const { authenticate } = app();
    const context = await authenticate.webhook(delivery());
    if (!context.session) throw new Error("expected a session");
    const json = await (
      await context.admin.graphql("query { customer(id: 1) { id } }", { variables: { id: "nobody" } })
    ).json();
    expect(json).toMatchObject({ data: { customer: null } });
    expect(json.headers["Content-Type"]).toEqual(expect.anything());

    admin.failNext(429);
    const throttled = await thrown(context.admin.graphql("query { shop { id } }"));
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("content-type")).toMatch(/json/);
    expect(await throttled.json()).toMatchObject({ errors: { networkStatusCode: 429 } });
  });

  it("reads at most the configured body limit: 413 beyond it, 200 within a raised one", async () => {
    const large = JSON.stringify({ id: 1, note: "x".repeat(1_100_000) });
    const defaults = await thrown(app().authenticate.webhook(delivery({ body: large })));
    expect(defaults.status).toBe(413);
    const raised = shopifyApp({
      apiKey: "key",
      apiSecretKey: SECRET,
      apiVersion: "2026-01",
      sessionStorage,
      webhooks: { store, bodyLimit: 4 * 1_048_576 },
    });
    expect((await raised.authenticate.webhook(delivery({ body: large }))).payload.id).toBe(1);
    expect(() =>
      shopifyApp({
        apiKey: "key",
        apiSecretKey: SECRET,
        apiVersion: "2026-01",
        sessionStorage,
        webhooks: { bodyLimit: -1 },
      }),
    ).toThrow(/bodyLimit/);
  });

  it("gives a shop's APIs without a request through unauthenticated, and SessionNotFoundError without a session", async () => {
    const shopify = app();
    const { session, admin: client } = await shopify.unauthenticated.admin(SHOP);
    expect(session.shop).toBe(SHOP);
    const response = await client.graphql("query ($id: ID!) { customer(id: $id) { id } }", {
      variables: { id: "gid://shopify/Customer/404" },
    });
    expect(await response.json()).toMatchObject({ data: { customer: null } });
    expect(admin.requests.at(-1)).toMatchObject({ accessToken: TOKEN, apiVersion: "2026-01" });
    expect((await shopify.unauthenticated.storefront(SHOP)).session.shop).toBe(SHOP);
    await expect(shopify.unauthenticated.admin(UNINSTALLED)).rejects.toBeInstanceOf(SessionNotFoundError);
    await expect(shopify.unauthenticated.storefront(UNINSTALLED)).rejects.toThrow(/gone.myshopify.com/);
  });

  it("answers 503 with Retry-After when the store fails, so Shopify retries", async () => {
    const failing = memoryInboxStore();
    failing.insert = async () => {
      throw new Error("database down");
    };
    const { authenticate } = shopifyApp({
      apiKey: "key",
      apiSecretKey: SECRET,
      apiVersion: "2026-01",
      sessionStorage,
      webhooks: { store: failing },
      logger,
    });
    const response = await thrown(authenticate.webhook(delivery()));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBeTruthy();
  });

  it("takes a route()'s request as Shopify's examples pass it, and route() sends its thrown Responses", async () => {
    const { authenticate } = app();
    const seen: string[] = [];
    const POST = route(
      async ({ request }) => {
        const { topic, session, isDuplicate } = await authenticate.webhook(request);
        seen.push(`${topic} ${session?.shop} ${isDuplicate}`);
        return new Response();
      },
      { logger },
    );
    expect((await POST(delivery())).status).toBe(200);
    expect(seen).toEqual([`PRODUCTS_UPDATE ${SHOP} false`]);
    expect((await POST(delivery({ secret: "forged" }))).status).toBe(401);
    expect((await POST(delivery({ omit: ["X-Shopify-Topic"] }))).status).toBe(400);
    expect((await POST(delivery({ method: "GET" }))).status).toBe(405);
    expect(seen).toHaveLength(1);
    await expect(authenticate.webhook({} as Request)).rejects.toThrow(TypeError);
    // A Request of another fetch implementation is recognised by its shape.
    const foreign = delivery();
    const lookalike = {
      method: foreign.method,
      url: foreign.url,
      headers: foreign.headers,
      body: foreign.body,
      arrayBuffer: () => foreign.arrayBuffer(),
    };
    expect((await authenticate.webhook(lookalike as unknown as Request)).topic).toBe("PRODUCTS_UPDATE");
  });

  it("answers 503 and records nothing when the session storage fails: Shopify's retry is no duplicate", async () => {
    const inbox = memoryInboxStore();
    let isDown = true;
    const lines: string[] = [];
    const { authenticate } = shopifyApp({
      apiKey: "key",
      apiSecretKey: SECRET,
      apiVersion: "2026-01",
      sessionStorage: {
        ...sessionStorage,
        loadSession: async (id) => {
          if (isDown) throw new Error("session storage down");
          return sessionStorage.loadSession(id);
        },
      },
      adminOrigin: admin.origin,
      webhooks: { store: inbox },
      logger: pino({ level: "info" }, { write: (line: string) => lines.push(line) }),
    });
    const eventId = crypto.randomUUID();
    const failed = await thrown(authenticate.webhook(delivery({ eventId })));
    expect(failed.status).toBe(503);
    expect(failed.headers.get("retry-after")).toBeTruthy();
    expect(inbox.rows.size).toBe(0);
    expect(lines.join("")).toContain("session storage down");

    isDown = false;
    const retried = await authenticate.webhook(delivery({ eventId }));
    expect(retried.isDuplicate).toBe(false);
    expect(retried.session?.shop).toBe(SHOP);
    expect(inbox.rows.size).toBe(1);
  });

  it("answers 400 and records nothing for a signed delivery whose shop domain is no shop's", async () => {
    const inbox = memoryInboxStore();
    const response = await thrown(
      app({ store: inbox }).authenticate.webhook(delivery({ shop: "not a shop/../x" })),
    );
    expect(response.status).toBe(400);
    expect(inbox.rows.size).toBe(0);
  });
});

describe("shopifyWebhook", () => {
  it("stores, answers, then runs onEvent with the session and Admin API; a duplicate runs nothing", async () => {
    const durable = memoryInboxStore();
    const shopify = app();
    const tasks: (() => Promise<void>)[] = [];
    const runs: { topic: string; rawTopic: string; shop: string; hasAdmin: boolean; attempt: number }[] = [];
    const POST = shopify.shopifyWebhook({
      store: durable,
      logger,
      after: (task) => void tasks.push(task),
      onEvent: async ({ topic, rawTopic, shop, admin: client, attempt }) => {
        runs.push({ topic, rawTopic, shop, hasAdmin: client !== undefined, attempt });
      },
    });
    const eventId = crypto.randomUUID();
    expect((await POST(delivery({ eventId }))).status).toBe(200);
    expect(runs).toHaveLength(0);
    const duplicate = await POST(delivery({ eventId }));
    expect(duplicate.status).toBe(200);
    expect(duplicate.headers.get("x-webhook-duplicate")).toBe("true");
    expect(await duplicate.text()).toBe("");
    await Promise.all(tasks.map((task) => task()));
    expect(runs).toEqual([
      { topic: "PRODUCTS_UPDATE", rawTopic: "products/update", shop: SHOP, hasAdmin: true, attempt: 1 },
    ]);
    expect([...durable.rows.values()]).toMatchObject([{ deliveryId: eventId, status: "processed" }]);

    expect((await POST(delivery({ secret: "wrong" }))).status).toBe(401);
    expect((await POST(delivery({ omit: ["X-Shopify-Topic"] }))).status).toBe(400);
    expect(durable.rows.size).toBe(1);
  });

  it("uses the app's store by default and needs one somewhere", () => {
    expect(() => app({ withStore: false }).shopifyWebhook({ onEvent: () => {} })).toThrow(/store/);
    expect(typeof app().shopifyWebhook({ onEvent: () => {} })).toBe("function");
  });
});
