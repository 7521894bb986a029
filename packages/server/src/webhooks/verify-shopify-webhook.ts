import { canonicalBase64 } from "../_internal/decode-bytes.js";
import { defineVerifier, failure, lowerCase, readRequiredHeaders } from "./define-verifier.js";
import { matchSignature } from "./match-signature.js";
import type { VerifiedWebhookBase, WebhookFailure } from "./types.js";

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
}

const REQUIRED = [
  SHOPIFY_WEBHOOK_HEADERS.hmac,
  SHOPIFY_WEBHOOK_HEADERS.topic,
  SHOPIFY_WEBHOOK_HEADERS.shopDomain,
  SHOPIFY_WEBHOOK_HEADERS.apiVersion,
  SHOPIFY_WEBHOOK_HEADERS.webhookId,
] as const;

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

const HMAC = lowerCase(SHOPIFY_WEBHOOK_HEADERS.hmac);
const TOPIC = lowerCase(SHOPIFY_WEBHOOK_HEADERS.topic);
const SHOP_DOMAIN = lowerCase(SHOPIFY_WEBHOOK_HEADERS.shopDomain);
const API_VERSION = lowerCase(SHOPIFY_WEBHOOK_HEADERS.apiVersion);
const WEBHOOK_ID = lowerCase(SHOPIFY_WEBHOOK_HEADERS.webhookId);
const EVENT_ID = lowerCase(SHOPIFY_WEBHOOK_HEADERS.eventId);
const TRIGGERED_AT = lowerCase(SHOPIFY_WEBHOOK_HEADERS.triggeredAt);
const SUB_TOPIC = lowerCase(SHOPIFY_WEBHOOK_HEADERS.subTopic);
const NAME = lowerCase(SHOPIFY_WEBHOOK_HEADERS.name);

/**
 * Verifies a Shopify webhook: the base64 HMAC-SHA256 of the raw body in `X-Shopify-Hmac-Sha256`,
 * keyed with the app's client secret, after checking the required headers are all present.
 *
 * @example
 * const result = await verifyShopifyWebhook(body, request.headers, { secrets: process.env.SHOPIFY_API_SECRET! });
 * if (result.ok) console.log(result.topic, result.shop);
 */
export const verifyShopifyWebhook = defineVerifier<ShopifyWebhook>(({ body, headers, secrets }) => {
  // Header names are constants already in lower case. The Fetch standard trims only HTTP
  // whitespace from values; `trim()` also drops the rest (such as U+00A0), as for every verifier.
  const signature = headers.get(HMAC)?.trim();
  const rawTopic = headers.get(TOPIC)?.trim();
  const shop = headers.get(SHOP_DOMAIN)?.trim();
  const apiVersion = headers.get(API_VERSION)?.trim();
  const webhookId = headers.get(WEBHOOK_ID)?.trim();
  if (!signature || !rawTopic || !shop || !apiVersion || !webhookId) {
    return readRequiredHeaders(headers, REQUIRED) as WebhookFailure;
  }
  const secretIndex = matchSignature({
    keys: secrets,
    content: [body],
    signatures: [signature],
    encoding: "base64",
  });
  if (secretIndex < 0) {
    // Told apart only for the log: both answer the same 401.
    const { hmac } = SHOPIFY_WEBHOOK_HEADERS;
    return canonicalBase64(signature) === undefined
      ? failure("malformed-header", `${hmac} is not base64`)
      : failure("invalid-signature", `${hmac} matches no configured secret`);
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
    // Empty counts as absent: an empty event id must not become every such delivery's key.
    eventId: headers.get(EVENT_ID)?.trim() || undefined,
    triggeredAt: headers.get(TRIGGERED_AT)?.trim() || undefined,
    subTopic: headers.get(SUB_TOPIC)?.trim() || undefined,
    name: headers.get(NAME)?.trim() || undefined,
    secretIndex,
  };
});
