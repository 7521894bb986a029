import { createHmac } from "node:crypto";
import { GITHUB_SIGNATURE_PREFIX, GITHUB_WEBHOOK_HEADERS } from "../webhooks/verify-github-webhook.js";
import { SHOPIFY_WEBHOOK_HEADERS } from "../webhooks/verify-shopify-webhook.js";
import {
  STANDARD_WEBHOOK_HEADERS,
  STANDARD_WEBHOOK_SECRET_PREFIX,
  STANDARD_WEBHOOK_SIGNATURE_VERSION,
} from "../webhooks/verify-standard-webhook.js";
import { STRIPE_SIGNATURE_HEADER, STRIPE_SIGNATURE_SCHEME } from "../webhooks/verify-stripe-webhook.js";

/** The senders `sprocket webhook trigger` can imitate. */
export const WEBHOOK_SENDERS = ["shopify", "github", "stripe", "standard"] as const;
export type WebhookSender = (typeof WEBHOOK_SENDERS)[number];

/** The Admin API version sent in `X-Shopify-API-Version` when none is given. */
export const DEFAULT_SHOPIFY_API_VERSION = "2026-01";

/** Options of {@link signWebhook}. */
export interface SignWebhookOptions {
  provider: WebhookSender;
  /** The signing secret as the receiver configures it (`whsec_...` for Stripe and Standard Webhooks). */
  secret: string;
  /** The exact bytes that will be sent. */
  body: Uint8Array;
  /** The Shopify topic or GitHub event; ignored by Stripe and Standard Webhooks, which carry it in the body. */
  topic: string;
  /** The delivery's id: Shopify's webhook and event id, GitHub's delivery GUID, the Standard `webhook-id`. */
  deliveryId: string;
  /** Whole seconds since the epoch, signed by Stripe and Standard Webhooks and sent by Shopify. */
  timestamp: number;
  /** `X-Shopify-Shop-Domain`. */
  shop: string;
  /** `X-Shopify-API-Version`. Default: {@link DEFAULT_SHOPIFY_API_VERSION}. */
  apiVersion?: string;
}

/**
 * The Standard Webhooks key inside a `whsec_<base64>` secret (the prefix is optional), or
 * `undefined` when what follows it is not base64.
 *
 * @example
 * decodeStandardSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?.length; // 24
 */
export function decodeStandardSecret(secret: string): Buffer | undefined {
  const encoded = secret.startsWith(STANDARD_WEBHOOK_SECRET_PREFIX)
    ? secret.slice(STANDARD_WEBHOOK_SECRET_PREFIX.length)
    : secret;
  if (encoded === "" || !/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 === 1) return undefined;
  return Buffer.from(encoded, "base64");
}

/**
 * The headers a provider sends with `body`, its signature included. Pure: ids and the time come
 * in as options. Throws a `TypeError` only for a Standard Webhooks secret that is not base64
 * (check it first with {@link decodeStandardSecret}).
 *
 * @example
 * const headers = signWebhook({ provider: "github", secret, body, topic: "star",
 *   deliveryId: crypto.randomUUID(), timestamp: 1700000000, shop: "" });
 * await fetch(address, { method: "POST", headers, body });
 */
export function signWebhook(options: SignWebhookOptions): Record<string, string> {
  const { provider, secret, body, topic, deliveryId, timestamp, shop } = options;
  const json = { "Content-Type": "application/json" };
  switch (provider) {
    case "shopify": {
      const names = SHOPIFY_WEBHOOK_HEADERS;
      return {
        ...json,
        [names.topic]: topic,
        [names.hmac]: createHmac("sha256", secret).update(body).digest("base64"),
        [names.shopDomain]: shop,
        [names.apiVersion]: options.apiVersion ?? DEFAULT_SHOPIFY_API_VERSION,
        [names.webhookId]: deliveryId,
        // One id for both: a resent delivery (`--repeat-id`) then repeats the inbox's key too.
        [names.eventId]: deliveryId,
        [names.triggeredAt]: new Date(timestamp * 1000).toISOString(),
      };
    }
    case "github": {
      const names = GITHUB_WEBHOOK_HEADERS;
      const digest = createHmac("sha256", secret).update(body).digest("hex");
      return {
        ...json,
        [names.signature]: `${GITHUB_SIGNATURE_PREFIX}${digest}`,
        [names.event]: topic,
        [names.deliveryId]: deliveryId,
      };
    }
    case "stripe": {
      const signature = createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest("hex");
      return { ...json, [STRIPE_SIGNATURE_HEADER]: `t=${timestamp},${STRIPE_SIGNATURE_SCHEME}=${signature}` };
    }
    case "standard": {
      const key = decodeStandardSecret(secret);
      if (!key) throw new TypeError("A Standard Webhooks secret is whsec_ followed by base64");
      const names = STANDARD_WEBHOOK_HEADERS;
      const signature = createHmac("sha256", key)
        .update(`${deliveryId}.${timestamp}.`)
        .update(body)
        .digest("base64");
      return {
        ...json,
        [names.id]: deliveryId,
        [names.timestamp]: String(timestamp),
        [names.signature]: `${STANDARD_WEBHOOK_SIGNATURE_VERSION},${signature}`,
      };
    }
  }
}
