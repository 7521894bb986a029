import { utf8Text } from "../_internal/decode-bytes.js";
import type { NewWebhookEvent } from "./webhook-inbox-store.js";
import type { WebhookDeliveries, WebhookProvider } from "./webhook-providers.js";

/** The inbox row of a verified delivery; `undefined` when a body that must be JSON is not. */
export function toInboxEvent<Provider extends WebhookProvider>(
  provider: Provider,
  delivery: WebhookDeliveries[Provider],
  body: Uint8Array,
  receivedAt: Date,
): NewWebhookEvent | undefined {
  const verified = delivery as WebhookDeliveries[WebhookProvider];
  let payload: unknown;
  let payloadText: string | undefined;
  if (verified.provider === "stripe") {
    payload = verified.payload;
  } else {
    payloadText = utf8Text(body);
    if (payloadText === undefined) return undefined;
    try {
      payload = JSON.parse(payloadText);
    } catch {
      return undefined;
    }
  }
  switch (verified.provider) {
    case "shopify":
      // Shopify documents X-Shopify-Event-Id as the same on every delivery of one event, the key
      // it recommends for dropping duplicates; the webhook id is the fallback when it is absent.
      return {
        provider,
        deliveryId: verified.eventId ?? verified.deliveryId,
        topic: verified.rawTopic,
        shop: verified.shop,
        payload,
        payloadText,
        receivedAt,
      };
    case "github":
    case "stripe":
      return {
        provider,
        deliveryId: verified.deliveryId,
        topic: verified.event,
        shop: undefined,
        payload,
        payloadText,
        receivedAt,
      };
    case "standard": {
      // The Standard Webhooks payload convention: `{ "type": "...", "timestamp": "...", "data": {...} }`.
      const type = (payload as { type?: unknown } | null)?.type;
      const topic = typeof type === "string" ? type : "message";
      return {
        provider,
        deliveryId: verified.deliveryId,
        topic,
        shop: undefined,
        payload,
        payloadText,
        receivedAt,
      };
    }
  }
}
