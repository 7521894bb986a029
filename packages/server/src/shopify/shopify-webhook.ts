import { InvalidShopError, type Session } from "@shopify/shopify-api";
import { utf8Text } from "../_internal/decode-bytes.js";
import { readRequestBody } from "../_internal/read-limited-body.js";
import { withTimeout } from "../_internal/with-timeout.js";
import { inboxInserter } from "../webhooks/batch-inbox-inserts.js";
import type { WebhookEventHandler, WebhookInboxEvent } from "../webhooks/run-webhook-event.js";
import {
  SHOPIFY_WEBHOOK_BODY_LIMIT,
  type ShopifyWebhook,
  toShopifyTopic,
  verifyShopifyWebhook,
} from "../webhooks/verify-shopify-webhook.js";
import type { WebhookInboxInsert, WebhookInboxStore } from "../webhooks/webhook-inbox-store.js";
import { WEBHOOK_LOCK_MS } from "../webhooks/webhook-retry-policy.js";
import { WEBHOOK_RETRY_AFTER_SECONDS, WEBHOOK_STORE_TIMEOUT_MS } from "../webhooks/webhook-route.js";
import type { AdminApiContext } from "./admin-graphql.js";

/**
 * A webhook topic in the form of Shopify's `Topics` enum: `orders/create` is `ORDERS_CREATE`. The
 * common topics are listed for completion; any other topic is still a string.
 */
export type ShopifyWebhookTopic =
  | "APP_UNINSTALLED"
  | "APP_SCOPES_UPDATE"
  | "APP_SUBSCRIPTIONS_UPDATE"
  | "APP_PURCHASES_ONE_TIME_UPDATE"
  | "BULK_OPERATIONS_FINISH"
  | "CARTS_CREATE"
  | "CARTS_UPDATE"
  | "CHECKOUTS_CREATE"
  | "CHECKOUTS_UPDATE"
  | "CHECKOUTS_DELETE"
  | "COLLECTIONS_CREATE"
  | "COLLECTIONS_UPDATE"
  | "COLLECTIONS_DELETE"
  | "CUSTOMERS_CREATE"
  | "CUSTOMERS_UPDATE"
  | "CUSTOMERS_DELETE"
  | "CUSTOMERS_DATA_REQUEST"
  | "CUSTOMERS_REDACT"
  | "FULFILLMENTS_CREATE"
  | "FULFILLMENTS_UPDATE"
  | "INVENTORY_LEVELS_UPDATE"
  | "ORDERS_CREATE"
  | "ORDERS_UPDATED"
  | "ORDERS_PAID"
  | "ORDERS_FULFILLED"
  | "ORDERS_CANCELLED"
  | "ORDERS_DELETE"
  | "PRODUCTS_CREATE"
  | "PRODUCTS_UPDATE"
  | "PRODUCTS_DELETE"
  | "REFUNDS_CREATE"
  | "SHOP_UPDATE"
  | "SHOP_REDACT"
  | "THEMES_PUBLISH"
  // `string & {}` keeps the listed topics as completions while accepting any string
  | (string & {});

interface WebhookContextBase {
  /** The topic as Shopify's `Topics` enum names it, such as `PRODUCTS_UPDATE`. */
  topic: ShopifyWebhookTopic;
  /** The shop where the webhook was triggered, such as `example.myshopify.com`. */
  shop: string;
  /** The API version the payload is written in. */
  apiVersion: string;
  /**
   * `X-Shopify-Webhook-Id`: unique per subscription's delivery. For an event delivery (the
   * `shopify-*` headers), the event id, as Shopify's packages give it.
   */
  webhookId: string;
  /** `X-Shopify-Event-Id`: the same for every delivery of one event; the key duplicates are dropped by. */
  eventId: string | undefined;
  /** `X-Shopify-Triggered-At` as sent (ISO 8601). */
  triggeredAt: string | undefined;
  /**
   * `"webhooks"` for HTTP webhook deliveries (`X-Shopify-*` headers), `"events"` for Shopify's
   * event deliveries (`shopify-*` headers, without the `X-`).
   */
  webhookType: "webhooks" | "events";
  /** `X-Shopify-Name`, the subscription's name when it has one. */
  name: string | undefined;
  /** Event deliveries only: `shopify-handle`, the subscription's handle. */
  handle?: string;
  /** Event deliveries only: `shopify-action`. */
  action?: string;
  /** Event deliveries only: `shopify-resource-id`, the id of the resource the event is about. */
  resourceId?: string;
  /**
   * `X-Shopify-Sub-Topic`, sent for a few topics only.
   * @deprecated Shopify stopped sending sub-topics in API version 2024-07.
   */
  subTopic?: string;
  /**
   * The parsed JSON body, typed as Shopify's packages type it (`Record<string, any>`), so code that
   * reads `payload.id` or `payload.line_items` compiles as it did against them.
   */
  payload: ShopifyWebhookPayload;
  /**
   * `true` when a delivery with the same event id (else webhook id) was already recorded in the
   * inbox store given to `shopifyApp({ webhooks: { store } })`: skip work already done. Recorded
   * means received, not handled: when the first copy's inline work failed, its retries are
   * duplicates too, so use the durable `shopifyWebhook` route for work that must not be lost.
   * Always `false` without a store.
   */
  isDuplicate: boolean;
}

/**
 * A webhook's JSON body. `any` values, as in Shopify's packages: the body's shape depends on the
 * topic and the API version, and ported code reads its fields without narrowing them.
 */
// biome-ignore lint/suspicious/noExplicitAny: Shopify's own type, kept so ported code compiles.
export type ShopifyWebhookPayload = Record<string, any>;

/** The context when the app has no offline session for the shop, e.g. after uninstalling. */
export interface WebhookContextWithoutSession extends WebhookContextBase {
  session: undefined;
  admin: undefined;
}

/** The context when the app has an offline session for the shop. */
export interface WebhookContextWithSession extends WebhookContextBase {
  /** The shop's offline session. */
  session: Session;
  /** The Admin API for that session: `graphql(query, { variables })` resolves to a `Response`. */
  admin: AdminApiContext;
}

/** What `authenticate.webhook(request)` resolves to, in Shopify's shape. */
export type WebhookContext = WebhookContextWithoutSession | WebhookContextWithSession;

/** What a durable Shopify handler gets: the stored delivery, plus the shop's session and Admin API. */
export type ShopifyWebhookEvent = Omit<WebhookInboxEvent, "topic" | "shop" | "payload"> & {
  /** The topic as Shopify's `Topics` enum names it, such as `PRODUCTS_UPDATE`. */
  topic: ShopifyWebhookTopic;
  /** `X-Shopify-Topic` as sent, such as `products/update`. */
  rawTopic: string;
  shop: string;
  payload: ShopifyWebhookPayload;
} & ({ session: Session; admin: AdminApiContext } | { session: undefined; admin: undefined });

/** The application's work for a Shopify delivery; throwing schedules a retry. */
export type ShopifyWebhookHandler = (event: ShopifyWebhookEvent) => unknown;

/** What the factory gives this module: its secrets, store and the shop's session and clients. */
export interface ShopifyWebhookDependencies {
  secrets: readonly string[];
  store: WebhookInboxStore | undefined;
  /** The largest body read, in bytes. Default: {@link SHOPIFY_WEBHOOK_BODY_LIMIT}. */
  bodyLimit?: number;
  loadOffline(shop: string): Promise<Session | undefined>;
  adminFor(session: Session): AdminApiContext;
  now?: () => Date;
  /** Told why a delivery was answered 503 (the store or the session storage failed). */
  reportError?(error: unknown, message: string): void;
}

const plain = (status: number, statusText: string, headers?: Record<string, string>) =>
  new Response(undefined, { status, statusText, headers });

const unavailable = () =>
  plain(503, "Service Unavailable", { "retry-after": String(WEBHOOK_RETRY_AFTER_SECONDS) });

/**
 * `authenticate.webhook(request)`: verifies, loads the shop's offline session, records the delivery
 * when a store is configured, and resolves to Shopify's context; throws a plain `Response` (405,
 * 413, 400, 401, or 503 when the store or the session storage fails) for `route()`'s boundary to
 * send as it is.
 */
export async function authenticateWebhook(
  request: Request,
  {
    secrets,
    store,
    bodyLimit = SHOPIFY_WEBHOOK_BODY_LIMIT,
    loadOffline,
    adminFor,
    now = () => new Date(),
    reportError,
  }: ShopifyWebhookDependencies,
): Promise<WebhookContext> {
  if (request.method !== "POST") throw plain(405, "Method Not Allowed", { allow: "POST" });
  const read = await readRequestBody(request, bodyLimit);
  if (!read.ok) throw plain(413, "Payload Too Large");
  const verified = await verifyShopifyWebhook(read.bytes, request.headers, { secrets });
  if (!verified.ok) {
    if (
      verified.reason === "missing-headers" ||
      verified.reason === "invalid-input" ||
      verified.reason === "invalid-payload"
    ) {
      throw plain(400, "Bad Request");
    }
    if (verified.reason === "invalid-secret") throw plain(500, "Internal Server Error");
    throw plain(401, "Unauthorized");
  }
  const parsed = parseObject(read.bytes);
  if (parsed === undefined) throw plain(400, "Bad Request");
  const { payload, text } = parsed;

  // The session before the record: a delivery recorded and then failed would come back from
  // Shopify's retry as a duplicate, and the caller would skip its work for good.
  let session: Session | undefined;
  try {
    session = await loadOffline(verified.shop);
  } catch (error) {
    // A signed delivery for a domain that is no shop's: no retry will make it one.
    if (error instanceof InvalidShopError) throw plain(400, "Bad Request");
    reportError?.(error, "Could not load the shop's offline session for a webhook; answered 503");
    throw unavailable();
  }
  let isDuplicate = false;
  if (store !== undefined) isDuplicate = await record(store, verified, { payload, text }, now, reportError);

  const base: WebhookContextBase = {
    topic: verified.topic,
    shop: verified.shop,
    apiVersion: verified.apiVersion,
    // Shopify's packages give an event delivery's event id as its webhook id.
    webhookId:
      verified.webhookType === "events" ? (verified.eventId ?? verified.webhookId) : verified.webhookId,
    eventId: verified.eventId,
    triggeredAt: verified.triggeredAt,
    webhookType: verified.webhookType,
    name: verified.name,
    ...(verified.subTopic === undefined ? {} : { subTopic: verified.subTopic }),
    ...(verified.handle === undefined ? {} : { handle: verified.handle }),
    ...(verified.action === undefined ? {} : { action: verified.action }),
    ...(verified.resourceId === undefined ? {} : { resourceId: verified.resourceId }),
    payload,
    isDuplicate,
  };
  return session
    ? { ...base, session, admin: adminFor(session) }
    : { ...base, session: undefined, admin: undefined };
}

/**
 * Records an inline delivery as already processed, so a drain never runs a durable handler on it
 * (a store that ignores `processedAt` has it claimed and completed at once instead). Resolves
 * whether it was a duplicate.
 */
async function record(
  store: WebhookInboxStore,
  verified: ShopifyWebhook,
  { payload, text }: { payload: Record<string, unknown>; text: string },
  now: () => Date,
  reportError: ShopifyWebhookDependencies["reportError"],
): Promise<boolean> {
  const receivedAt = now();
  let stored: WebhookInboxInsert;
  try {
    stored = await withTimeout(
      inboxInserter(store)(
        {
          provider: "shopify",
          deliveryId: verified.eventId ?? verified.webhookId,
          topic: verified.rawTopic,
          shop: verified.shop,
          payload,
          // The body's text as received: stored as is (digits kept exact), and what batching counts.
          payloadText: text,
          receivedAt,
          processedAt: receivedAt,
        },
        { deadline: Date.now() + WEBHOOK_STORE_TIMEOUT_MS },
      ),
      WEBHOOK_STORE_TIMEOUT_MS,
      "The webhook store did not answer",
    );
  } catch (error) {
    // Nothing is acknowledged unrecorded: Shopify retries a 503.
    reportError?.(error, "Could not record a webhook delivery; answered 503");
    throw unavailable();
  }
  if (stored.isDuplicate) return true;
  // Already recorded as processed by a store that honours `processedAt`: nothing left to mark.
  if (stored.status === "processed") return false;
  try {
    const claimedAt = now();
    const lockedUntil = new Date(claimedAt.getTime() + WEBHOOK_LOCK_MS);
    const claimed = await store.claim(stored.id, { now: claimedAt, lockedUntil });
    if (claimed) await store.complete(stored.id, { now: now(), lockedUntil });
  } catch {
    // The delivery is recorded; only its status is behind. The caller's work goes on.
  }
  return false;
}

function parseObject(bytes: Uint8Array): { payload: Record<string, unknown>; text: string } | undefined {
  try {
    const text = utf8Text(bytes);
    if (text === undefined) return undefined;
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? { payload: value as Record<string, unknown>, text }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Wraps a Shopify handler for the inbox (the route, the drain and replay): the stored topic in
 * `Topics` form, and the shop's offline session and Admin API, loaded when the handler runs.
 */
export function shopifyInboxHandler(
  handler: ShopifyWebhookHandler,
  { loadOffline, adminFor }: Pick<ShopifyWebhookDependencies, "loadOffline" | "adminFor">,
): WebhookEventHandler {
  return async (event) => {
    const shop = event.shop ?? "";
    const session = shop ? await loadOffline(shop) : undefined;
    const payload =
      event.payload !== null && typeof event.payload === "object" && !Array.isArray(event.payload)
        ? (event.payload as Record<string, unknown>)
        : {};
    const common = { ...event, topic: toShopifyTopic(event.topic), rawTopic: event.topic, shop, payload };
    return await handler(
      session
        ? { ...common, session, admin: adminFor(session) }
        : { ...common, session: undefined, admin: undefined },
    );
  };
}
