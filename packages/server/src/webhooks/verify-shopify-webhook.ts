import { canonicalBase64 } from "../_internal/decode-bytes.js";
import { defineVerifier, failure, missingHeaders, readHeaders } from "./define-verifier.js";
import { matchSignature } from "./match-signature.js";
import type { VerifiedWebhookBase } from "./types.js";

/**
 * The headers of a Shopify webhook. The first five are required, as @shopify/shopify-api requires
 * them; the rest are sent for some topics or API versions only.
 */
export const SHOPIFY_WEBHOOK_HEADERS = {
  /** Base64 HMAC-SHA256 of the raw body, keyed with the app's client secret. */
  hmac: "X-Shopify-Hmac-Sha256",
  topic: "X-Shopify-Topic",
  shopDomain: "X-Shopify-Shop-Domain",
  apiVersion: "X-Shopify-API-Version",
  /** Unique per delivery attempt series: the key to drop duplicates by. */
  webhookId: "X-Shopify-Webhook-Id",
  /** The same for every delivery of one event, across subscriptions. */
  eventId: "X-Shopify-Event-Id",
  triggeredAt: "X-Shopify-Triggered-At",
  subTopic: "X-Shopify-Sub-Topic",
  name: "X-Shopify-Name",
} as const;

/**
 * The headers of Shopify's newer event deliveries, without the `X-` prefix. A delivery that
 * carries `shopify-hmac-sha256` is read as one, as @shopify/shopify-api reads it: the first six
 * are then required, and the event id is the key duplicates are dropped by.
 */
export const SHOPIFY_EVENT_HEADERS = {
  hmac: "shopify-hmac-sha256",
  topic: "shopify-topic",
  shopDomain: "shopify-shop-domain",
  apiVersion: "shopify-api-version",
  webhookId: "shopify-webhook-id",
  eventId: "shopify-event-id",
  triggeredAt: "shopify-triggered-at",
  handle: "shopify-handle",
  action: "shopify-action",
  resourceId: "shopify-resource-id",
} as const;

/** Shopify's webhook bodies are JSON documents well under this. */
export const SHOPIFY_WEBHOOK_BODY_LIMIT = 1_048_576;

/** A verified Shopify webhook, with the names of Shopify's `authenticate.webhook` context. */
export interface ShopifyWebhook extends VerifiedWebhookBase {
  provider: "shopify";
  /**
   * The topic as Shopify's `authenticate.webhook` gives it, such as `ORDERS_CREATE`: upper case,
   * `/` and `.` turned into `_`, so ported `switch (topic)` code keeps working.
   */
  topic: string;
  /** `X-Shopify-Topic` as sent, such as `orders/create`. */
  rawTopic: string;
  /** `X-Shopify-Shop-Domain`, such as `example.myshopify.com`. */
  shop: string;
  apiVersion: string;
  /** `X-Shopify-Webhook-Id`; also in `deliveryId`. */
  webhookId: string;
  eventId: string | undefined;
  /** `X-Shopify-Triggered-At` as sent (ISO 8601); Shopify signs no timestamp, so it is not checked. */
  triggeredAt: string | undefined;
  subTopic: string | undefined;
  name: string | undefined;
  /** `"events"` for a delivery with the `shopify-*` headers, else `"webhooks"`. */
  webhookType: "webhooks" | "events";
  /** Event deliveries only: the subscription's handle, the action and the resource's id. */
  handle?: string;
  action?: string;
  resourceId?: string;
}

/**
 * The headers read, in one pass for both header sets: the webhooks' five required ones first, in
 * the order of the values they give, then the events' six required ones and the rest.
 */
const HEADER_NAMES = [
  SHOPIFY_WEBHOOK_HEADERS.hmac,
  SHOPIFY_WEBHOOK_HEADERS.topic,
  SHOPIFY_WEBHOOK_HEADERS.shopDomain,
  SHOPIFY_WEBHOOK_HEADERS.apiVersion,
  SHOPIFY_WEBHOOK_HEADERS.webhookId,
  SHOPIFY_WEBHOOK_HEADERS.eventId,
  SHOPIFY_WEBHOOK_HEADERS.triggeredAt,
  SHOPIFY_WEBHOOK_HEADERS.subTopic,
  SHOPIFY_WEBHOOK_HEADERS.name,
  SHOPIFY_EVENT_HEADERS.hmac,
  SHOPIFY_EVENT_HEADERS.topic,
  SHOPIFY_EVENT_HEADERS.shopDomain,
  SHOPIFY_EVENT_HEADERS.apiVersion,
  SHOPIFY_EVENT_HEADERS.webhookId,
  SHOPIFY_EVENT_HEADERS.eventId,
  SHOPIFY_EVENT_HEADERS.triggeredAt,
  SHOPIFY_EVENT_HEADERS.handle,
  SHOPIFY_EVENT_HEADERS.action,
  SHOPIFY_EVENT_HEADERS.resourceId,
] as const;
const WEBHOOK_REQUIRED = 5;
const EVENTS_FROM = 9;
const EVENT_HEADER_NAMES = HEADER_NAMES.slice(EVENTS_FROM);
const EVENT_REQUIRED = 6;

const convertedTopics = new Map<string, string>();

/**
 * A topic header (`orders/create`) in the form of Shopify's `Topics` enum (`ORDERS_CREATE`).
 *
 * @example
 * toShopifyTopic("app/uninstalled"); // "APP_UNINSTALLED"
 */
export function toShopifyTopic(topic: string): string {
  let converted = convertedTopics.get(topic);
  if (converted === undefined) {
    converted = topic.toUpperCase().replaceAll("/", "_").replaceAll(".", "_");
    // Shopify has a few hundred topics; the bound only stops a sender inventing new ones forever.
    if (convertedTopics.size < 1_024) convertedTopics.set(topic, converted);
  }
  return converted;
}

/**
 * Verifies a Shopify webhook: the base64 HMAC-SHA256 of the raw body in `X-Shopify-Hmac-Sha256`
 * (`shopify-hmac-sha256` for event deliveries), keyed with the app's client secret. The checks
 * run in @shopify/shopify-api's order, so each refusal has its status: an empty body, then a
 * missing signature (400), then the signature (401), then the other required headers (400).
 *
 * @example
 * const result = await verifyShopifyWebhook(body, request.headers, { secrets: process.env.SHOPIFY_API_SECRET! });
 * if (result.ok) console.log(result.topic, result.shop);
 */
export const verifyShopifyWebhook = defineVerifier<ShopifyWebhook>(({ body, headers, secrets }) => {
  if (body.byteLength === 0) return failure("invalid-payload", "The body is empty");
  // Empty counts as absent: an empty event id must not become every such delivery's key.
  const values = readHeaders(headers, HEADER_NAMES);
  const isEvent = values[EVENTS_FROM] !== undefined;
  const offset = isEvent ? EVENTS_FROM : 0;
  const signature = values[offset];
  const hmacHeader = isEvent ? SHOPIFY_EVENT_HEADERS.hmac : SHOPIFY_WEBHOOK_HEADERS.hmac;
  if (signature === undefined) return missingHeaders(HEADER_NAMES, values, 1)!;
  const secretIndex = matchSignature({
    keys: secrets,
    content: [body],
    signatures: [signature],
    encoding: "base64",
  });
  if (secretIndex < 0) {
    // Told apart only for the log: both answer the same 401.
    return canonicalBase64(signature) === undefined
      ? failure("malformed-header", `${hmacHeader} is not base64`)
      : failure("invalid-signature", `${hmacHeader} matches no configured secret`);
  }
  if (isEvent) {
    const [, rawTopic, shop, apiVersion, , eventId, triggeredAt, handle, action, resourceId] =
      values.slice(EVENTS_FROM);
    if (!rawTopic || !shop || !apiVersion || !values[EVENTS_FROM + 4] || !eventId) {
      return missingHeaders(EVENT_HEADER_NAMES, values.slice(EVENTS_FROM), EVENT_REQUIRED)!;
    }
    return {
      ok: true,
      provider: "shopify",
      deliveryId: eventId,
      topic: toShopifyTopic(rawTopic),
      rawTopic,
      shop,
      apiVersion,
      webhookId: values[EVENTS_FROM + 4]!,
      eventId,
      triggeredAt,
      subTopic: undefined,
      name: undefined,
      webhookType: "events",
      ...(handle === undefined ? {} : { handle }),
      ...(action === undefined ? {} : { action }),
      ...(resourceId === undefined ? {} : { resourceId }),
      secretIndex,
    };
  }
  const [, rawTopic, shop, apiVersion, webhookId, eventId, triggeredAt, subTopic, name] = values;
  if (!rawTopic || !shop || !apiVersion || !webhookId) {
    return missingHeaders(HEADER_NAMES, values, WEBHOOK_REQUIRED)!;
  }
  return {
    ok: true,
    provider: "shopify",
    deliveryId: webhookId,
    topic: toShopifyTopic(rawTopic),
    rawTopic,
    shop,
    apiVersion,
    webhookId,
    eventId,
    triggeredAt,
    subTopic,
    name,
    webhookType: "webhooks",
    secretIndex,
  };
});
