import "@shopify/shopify-api/adapters/web-api";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import {
  SHOPIFY_EVENT_HEADERS,
  SHOPIFY_WEBHOOK_HEADERS,
  toShopifyTopic,
  verifyShopifyWebhook,
  webhookFailureToHttpError,
} from "@sprocket/server/webhooks";
import { describe, expect, it } from "vitest";
import { encoder, flipByte, hmac, shopifyHeaders } from "./test/sign.js";

const secret = "shpss_0123456789abcdef";
const body = encoder.encode('{"id":820982911946154508,"email":"jon@example.com","total_price":"9.99"}');

const shopify = shopifyApi({
  apiKey: "key",
  apiSecretKey: secret,
  apiVersion: ApiVersion.October25,
  hostName: "app.test",
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error, log: async () => {} },
});

function shopifyLibraryValidates(bytes: Uint8Array, headers: Headers) {
  const rawRequest = new Request("https://app.test/webhooks", {
    method: "POST",
    headers,
    body: bytes.byteLength === 0 ? null : (bytes as Uint8Array<ArrayBuffer>),
  });
  return shopify.webhooks.validate({ rawBody: new TextDecoder().decode(bytes), rawRequest });
}

async function shopifyLibraryAccepts(bytes: Uint8Array, headers: Headers): Promise<boolean> {
  return (await shopifyLibraryValidates(bytes, headers)).valid;
}

/** The status each answers with: Shopify's packages send 401 for a bad HMAC and 400 for any other refusal. */
async function statuses(bytes: Uint8Array, headers: Headers): Promise<{ ours: number; library: number }> {
  const ours = verifyShopifyWebhook(bytes, headers, { secrets: secret });
  const library = await shopifyLibraryValidates(bytes, headers);
  return {
    ours: ours.ok ? 200 : webhookFailureToHttpError(ours).status,
    library: library.valid ? 200 : library.reason === "invalid_hmac" ? 401 : 400,
  };
}

function eventHeaders(bytes: Uint8Array, signingSecret = secret): Headers {
  return new Headers({
    "shopify-hmac-sha256": hmac(signingSecret, bytes, "base64"),
    "shopify-topic": "products/update",
    "shopify-shop-domain": "example.myshopify.com",
    "shopify-api-version": "2026-01",
    "shopify-webhook-id": "wh-1",
    "shopify-event-id": "evt-9",
    "shopify-handle": "product-sync",
    "shopify-action": "update",
    "shopify-resource-id": "gid://shopify/Product/1",
    "shopify-triggered-at": "2026-11-30T05:00:00.000Z",
    "content-type": "application/json",
  });
}

describe("verifyShopifyWebhook", () => {
  it("names Shopify's headers as @shopify/shopify-api 13.1.0 does", () => {
    expect(SHOPIFY_WEBHOOK_HEADERS).toEqual({
      hmac: "X-Shopify-Hmac-Sha256",
      topic: "X-Shopify-Topic",
      shopDomain: "X-Shopify-Shop-Domain",
      apiVersion: "X-Shopify-API-Version",
      webhookId: "X-Shopify-Webhook-Id",
      eventId: "X-Shopify-Event-Id",
      triggeredAt: "X-Shopify-Triggered-At",
      subTopic: "X-Shopify-Sub-Topic",
      name: "X-Shopify-Name",
    });
  });

  it("accepts a signed delivery and agrees with @shopify/shopify-api", async () => {
    const headers = shopifyHeaders(secret, body, {
      "X-Shopify-Event-Id": "evt-1",
      "X-Shopify-Triggered-At": "2026-11-30T05:00:00.000Z",
      "X-Shopify-Sub-Topic": "sub",
      "X-Shopify-Name": "orders",
    });
    expect(await verifyShopifyWebhook(body, headers, { secrets: secret })).toEqual({
      ok: true,
      provider: "shopify",
      deliveryId: "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
      webhookId: "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
      topic: "ORDERS_CREATE",
      rawTopic: "orders/create",
      shop: "example.myshopify.com",
      apiVersion: "2025-10",
      eventId: "evt-1",
      triggeredAt: "2026-11-30T05:00:00.000Z",
      subTopic: "sub",
      name: "orders",
      webhookType: "webhooks",
      secretIndex: 0,
    });
    expect(await shopifyLibraryAccepts(body, headers)).toBe(true);
  });

  it("reads Shopify's event deliveries (`shopify-*` headers) as @shopify/shopify-api reads them", async () => {
    expect(SHOPIFY_EVENT_HEADERS.hmac).toBe("shopify-hmac-sha256");
    const headers = eventHeaders(body);
    const library = await shopifyLibraryValidates(body, headers);
    expect(library).toMatchObject({ valid: true, webhookType: "events", eventId: "evt-9" });
    const ours = verifyShopifyWebhook(body, headers, { secrets: secret });
    expect(ours).toEqual({
      ok: true,
      provider: "shopify",
      // Keyed by the event id; the webhook id is the header's, as the library gives it.
      deliveryId: "evt-9",
      webhookId: "wh-1",
      eventId: "evt-9",
      topic: "PRODUCTS_UPDATE",
      rawTopic: "products/update",
      shop: "example.myshopify.com",
      apiVersion: "2026-01",
      triggeredAt: "2026-11-30T05:00:00.000Z",
      subTopic: undefined,
      name: undefined,
      webhookType: "events",
      handle: "product-sync",
      action: "update",
      resourceId: "gid://shopify/Product/1",
      secretIndex: 0,
    });
    if (!library.valid || !ours.ok) throw new Error("unreachable");
    expect([ours.topic, ours.webhookId, ours.eventId]).toEqual([
      library.topic,
      library.webhookId,
      library.eventId,
    ]);

    // The event id is required of an event delivery; the wrong secret fails as a webhook's does.
    const withoutEvent = eventHeaders(body);
    withoutEvent.delete("shopify-event-id");
    expect(verifyShopifyWebhook(body, withoutEvent, { secrets: secret })).toMatchObject({
      reason: "missing-headers",
      missing: ["shopify-event-id"],
    });
    expect(await statuses(body, withoutEvent)).toEqual({ ours: 400, library: 400 });
    expect(await statuses(body, eventHeaders(body, "another-secret"))).toEqual({ ours: 401, library: 401 });
  });

  it("checks in @shopify/shopify-api's order, so every refusal gets the library's status", async () => {
    const badSignature = (extra: Record<string, string> = {}) =>
      shopifyHeaders(secret, body, {
        "X-Shopify-Hmac-Sha256": hmac("another-secret", body, "base64"),
        ...extra,
      });
    // An empty body comes first: 400 even with a bad signature.
    expect(verifyShopifyWebhook(new Uint8Array(), badSignature(), { secrets: secret })).toMatchObject({
      reason: "invalid-payload",
    });
    expect(await statuses(new Uint8Array(), badSignature())).toEqual({ ours: 400, library: 400 });
    // Then the signature's presence, then the signature: a bad one is 401 whatever else is missing.
    const unsignedWithoutTopic = shopifyHeaders(secret, body);
    unsignedWithoutTopic.delete("X-Shopify-Hmac-Sha256");
    unsignedWithoutTopic.delete("X-Shopify-Topic");
    expect(await statuses(body, unsignedWithoutTopic)).toEqual({ ours: 400, library: 400 });
    const forgedWithoutTopic = badSignature();
    forgedWithoutTopic.delete("X-Shopify-Topic");
    expect(verifyShopifyWebhook(body, forgedWithoutTopic, { secrets: secret })).toMatchObject({
      reason: "invalid-signature",
    });
    expect(await statuses(body, forgedWithoutTopic)).toEqual({ ours: 401, library: 401 });
    // Last, the other required headers of a genuine delivery.
    const genuineWithoutTopic = shopifyHeaders(secret, body);
    genuineWithoutTopic.delete("X-Shopify-Topic");
    expect(await statuses(body, genuineWithoutTopic)).toEqual({ ours: 400, library: 400 });
    expect(await statuses(body, shopifyHeaders(secret, body))).toEqual({ ours: 200, library: 200 });
  });

  it("compares the tag as the canonical base64 Shopify writes: unused bits set are refused, as the library refuses them", async () => {
    const headers = shopifyHeaders(secret, body);
    const tag = headers.get("X-Shopify-Hmac-Sha256")!;
    // 32 bytes take 43 characters and "="; the last character's two lowest bits carry nothing.
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const variant = `${tag.slice(0, 42)}${alphabet[alphabet.indexOf(tag[42]!) ^ 1]}=`;
    expect(Buffer.from(variant, "base64")).toEqual(Buffer.from(tag, "base64"));
    headers.set("X-Shopify-Hmac-Sha256", variant);
    expect(await verifyShopifyWebhook(body, headers, { secrets: secret })).toMatchObject({
      reason: "invalid-signature",
    });
    expect(await shopifyLibraryAccepts(body, headers)).toBe(false);
  });

  it("agrees with @shopify/shopify-api on a wrong secret and a tampered body", async () => {
    const wrong = shopifyHeaders("not-the-secret", body);
    expect(await verifyShopifyWebhook(body, wrong, { secrets: secret })).toMatchObject({
      reason: "invalid-signature",
    });
    expect(await shopifyLibraryAccepts(body, wrong)).toBe(false);
    const tampered = flipByte(body, body.length - 2);
    const headers = shopifyHeaders(secret, body);
    expect(await verifyShopifyWebhook(tampered, headers, { secrets: secret })).toMatchObject({
      reason: "invalid-signature",
    });
    expect(await shopifyLibraryAccepts(tampered, headers)).toBe(false);
  });

  it("treats an empty optional header as absent: an empty event id never becomes the key", async () => {
    const headers = shopifyHeaders(secret, body, {
      "X-Shopify-Event-Id": "",
      "X-Shopify-Triggered-At": " ",
      "X-Shopify-Name": "",
    });
    const result = await verifyShopifyWebhook(body, headers, { secrets: secret });
    expect(result).toMatchObject({
      ok: true,
      deliveryId: "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
      eventId: undefined,
      triggeredAt: undefined,
      name: undefined,
    });
  });

  it("turns topics into Shopify's enum form", () => {
    expect(toShopifyTopic("app/uninstalled")).toBe("APP_UNINSTALLED");
    expect(toShopifyTopic("orders/partially_fulfilled")).toBe("ORDERS_PARTIALLY_FULFILLED");
    expect(toShopifyTopic("customers.data_request")).toBe("CUSTOMERS_DATA_REQUEST");
  });

  it("accepts the old secret during a rotation, as an array or a comma-separated string", async () => {
    const headers = shopifyHeaders("old-secret", body);
    expect(await verifyShopifyWebhook(body, headers, { secrets: `${secret},old-secret` })).toMatchObject({
      ok: true,
      secretIndex: 1,
    });
    expect(await verifyShopifyWebhook(body, headers, { secrets: [secret, "old-secret"] })).toMatchObject({
      ok: true,
      secretIndex: 1,
    });
  });

  it("tells missing required headers apart from a bad signature, listing each", async () => {
    const headers = shopifyHeaders(secret, body);
    headers.delete("X-Shopify-API-Version");
    headers.delete("X-Shopify-Webhook-Id");
    expect(await verifyShopifyWebhook(body, headers, { secrets: secret })).toEqual({
      ok: false,
      reason: "missing-headers",
      missing: ["X-Shopify-API-Version", "X-Shopify-Webhook-Id"],
      detail: "Missing headers: X-Shopify-API-Version, X-Shopify-Webhook-Id",
    });
    const unsigned = shopifyHeaders(secret, body);
    unsigned.delete("X-Shopify-Hmac-Sha256");
    expect(await verifyShopifyWebhook(body, unsigned, { secrets: secret })).toMatchObject({
      reason: "missing-headers",
      missing: ["X-Shopify-Hmac-Sha256"],
    });
  });

  it.each([
    ["hex instead of base64", hmac(secret, body, "hex")],
    ["unpadded base64", hmac(secret, body, "base64").replace(/=+$/, "")],
    ["base64 with a space", ` ${hmac(secret, body, "base64").slice(1)}`],
  ])("refuses a malformed signature: %s", async (_, signature) => {
    const headers = shopifyHeaders(secret, body, { "X-Shopify-Hmac-Sha256": signature });
    const result = await verifyShopifyWebhook(body, headers, { secrets: secret });
    expect(result.ok).toBe(false);
    expect(["malformed-header", "invalid-signature"]).toContain(result.ok ? "" : result.reason);
  });
});
