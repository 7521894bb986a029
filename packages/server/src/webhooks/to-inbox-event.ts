import { utf8Text } from "../_internal/decode-bytes.js";
import { isJsonBytes } from "../_internal/is-json.js";
import type { NewWebhookEvent } from "./webhook-inbox-store.js";
import type { WebhookDeliveries, WebhookProvider } from "./webhook-providers.js";

/**
 * The inbox row of a verified delivery; `undefined` when a body that must be JSON is not.
 *
 * The body is checked to be JSON without being parsed: what is stored is its text, and the
 * handler runs later, from the stored row. `payload` is parsed from the text when first read, so
 * a store that inserts `payloadText` never pays for building the value on the way to the
 * acknowledgement.
 */
export function toInboxEvent<Provider extends WebhookProvider>(
  provider: Provider,
  delivery: WebhookDeliveries[Provider],
  body: Uint8Array,
  receivedAt: Date,
): NewWebhookEvent | undefined {
  const verified = delivery as WebhookDeliveries[WebhookProvider];
  if (verified.provider === "stripe") {
    return {
      provider,
      deliveryId: verified.deliveryId,
      topic: verified.event,
      shop: undefined,
      payload: verified.payload,
      payloadText: utf8Text(body),
      receivedAt,
    };
  }
  const payloadText = jsonTextOf(verified.provider, body);
  if (payloadText === undefined) return undefined;
  switch (verified.provider) {
    case "shopify":
      // Shopify documents X-Shopify-Event-Id as the same on every delivery of one event, the key
      // it recommends for dropping duplicates; the webhook id is the fallback when it is absent.
      return withLazyPayload({
        provider,
        deliveryId: verified.eventId ?? verified.deliveryId,
        topic: verified.rawTopic,
        shop: verified.shop,
        payloadText,
        receivedAt,
      });
    case "github":
      return withLazyPayload({
        provider,
        deliveryId: verified.deliveryId,
        topic: verified.event,
        shop: undefined,
        payloadText,
        receivedAt,
      });
    case "standard": {
      const payload: unknown = JSON.parse(payloadText);
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

/**
 * The body's JSON text, checked to be JSON, or `undefined`. GitHub may be set to deliver
 * `application/x-www-form-urlencoded`: the JSON is then the `payload` field of the signed form.
 */
function jsonTextOf(provider: WebhookProvider, body: Uint8Array): string | undefined {
  const text = utf8Text(body);
  if (text === undefined) return undefined;
  if (isJsonBytes(body)) return text;
  if (provider !== "github" || !text.startsWith(GITHUB_FORM_FIELD)) return undefined;
  const form = new URLSearchParams(text);
  const fields = [...form.keys()];
  const json = form.get("payload");
  // A byte order mark inside the field is no JSON (the check would skip it as it skips one
  // leading the body, and the parse would then fail).
  if (fields.length !== 1 || json === null || json.startsWith("\uFEFF")) return undefined;
  if (!isJsonBytes(Buffer.from(json, "utf8"))) return undefined;
  return json;
}

const GITHUB_FORM_FIELD = "payload=";

/** The event with `payload` parsed from `payloadText` on first read, once. */
function withLazyPayload(event: Omit<NewWebhookEvent, "payload"> & { payloadText: string }): NewWebhookEvent {
  let payload: unknown;
  let isParsed = false;
  return {
    ...event,
    get payload() {
      if (!isParsed) {
        payload = JSON.parse(event.payloadText);
        isParsed = true;
      }
      return payload;
    },
    set payload(value) {
      payload = value;
      isParsed = true;
    },
  };
}
