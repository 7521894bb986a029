import { canonicalBase64 } from "../_internal/decode-bytes.js";
import { defineVerifier, failure, lowerCase, readRequiredHeaders } from "./define-verifier.js";
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

const REQUIRED = [
  SHOPIFY_WEBHOOK_HEADERS.hmac,
  SHOPIFY_WEBHOOK_HEADERS.topic,
  SHOPIFY_WEBHOOK_HEADERS.shopDomain,
  SHOPIFY_WEBHOOK_HEADERS.apiVersion,
  SHOPIFY_WEBHOOK_HEADERS.webhookId,
] as const;

/**
 * A topic header (`orders/create`) in the form of Shopify's `Topics` enum (`ORDERS_CREATE`).
 *
 * @example
 * toShopifyTopic("app/uninstalled"); // "APP_UNINSTALLED"
 */
export function toShopifyTopic(topic: string): string {
  return topic.toUpperCase().replaceAll("/", "_").replaceAll(".", "_");
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
  const { hmac, topic, shopDomain, apiVersion, webhookId, eventId, triggeredAt, subTopic, name } =
    SHOPIFY_WEBHOOK_HEADERS;
  const required = readRequiredHeaders(headers, REQUIRED);
  if (!required.ok) return required;
  const digest = canonicalBase64(required.values[hmac]);
  if (digest === undefined) return failure("malformed-header", `${hmac} is not base64`);
  const secretIndex = matchSignature({
    keys: secrets,
    content: [body],
    signatures: [digest],
    encoding: "base64",
  });
  if (secretIndex < 0) return failure("invalid-signature", `${hmac} matches no configured secret`);
  const optional = (header: string) => headers.get(lowerCase(header)) ?? undefined;
  return {
    ok: true,
    provider: "shopify",
    deliveryId: required.values[webhookId],
    topic: toShopifyTopic(required.values[topic]),
    rawTopic: required.values[topic],
    shop: required.values[shopDomain],
    apiVersion: required.values[apiVersion],
    webhookId: required.values[webhookId],
    eventId: optional(eventId),
    triggeredAt: optional(triggeredAt),
    subTopic: optional(subTopic),
    name: optional(name),
    secretIndex,
  };
});
