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

/** The headers read, the five required ones first, in the order of the values they give. */
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
] as const;
const REQUIRED_COUNT = 5;

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
 * Verifies a Shopify webhook: the base64 HMAC-SHA256 of the raw body in `X-Shopify-Hmac-Sha256`,
 * keyed with the app's client secret, after checking the required headers are all present.
 *
 * @example
 * const result = await verifyShopifyWebhook(body, request.headers, { secrets: process.env.SHOPIFY_API_SECRET! });
 * if (result.ok) console.log(result.topic, result.shop);
 */
export const verifyShopifyWebhook = defineVerifier<ShopifyWebhook>(({ body, headers, secrets }) => {
  // Empty counts as absent: an empty event id must not become every such delivery's key.
  const values = readHeaders(headers, HEADER_NAMES);
  const [signature, rawTopic, shop, apiVersion, webhookId, eventId, triggeredAt, subTopic, name] = values;
  if (!signature || !rawTopic || !shop || !apiVersion || !webhookId) {
    return missingHeaders(HEADER_NAMES, values, REQUIRED_COUNT)!;
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
    eventId,
    triggeredAt,
    subTopic,
    name,
    secretIndex,
  };
});
