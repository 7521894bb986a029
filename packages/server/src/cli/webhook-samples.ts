import type { WebhookSender } from "./sign-webhook.js";

/** What a sample is built from. */
export interface SampleContext {
  /** The delivery's id; Stripe's samples use it as the event id, which is Stripe's delivery key. */
  deliveryId: string;
  /** Whole seconds since the epoch. */
  timestamp: number;
  /** The shop's `*.myshopify.com` domain. */
  shop: string;
  /** The topic or event type, for senders that accept any (Standard Webhooks). */
  topic: string;
}

type Sample = (context: SampleContext) => Record<string, unknown>;

const iso = (timestamp: number) => new Date(timestamp * 1000).toISOString();
const shopName = (shop: string) => shop.replace(/\.myshopify\.com$/, "");

/** Shapes as Shopify documents them for each topic (Admin API webhooks reference), trimmed. */
const SHOPIFY: Record<string, Sample> = {
  "products/update": ({ timestamp }) => ({
    admin_graphql_api_id: "gid://shopify/Product/632910392",
    id: 632910392,
    title: "Example T-Shirt",
    body_html: "An example T-Shirt",
    vendor: "Acme",
    product_type: "Shirts",
    handle: "example-t-shirt",
    status: "active",
    tags: "example, mens, t-shirt",
    created_at: iso(timestamp - 86_400),
    updated_at: iso(timestamp),
    published_at: iso(timestamp - 86_400),
    variants: [
      {
        admin_graphql_api_id: "gid://shopify/ProductVariant/808950810",
        id: 808950810,
        product_id: 632910392,
        title: "Small",
        price: "19.99",
        sku: "EX-TS-S",
        position: 1,
        inventory_quantity: 75,
      },
    ],
    options: [{ name: "Title", id: 594680422, product_id: 632910392, values: ["Small"] }],
    images: [],
  }),
  "app/uninstalled": ({ shop }) => ({
    id: 548380009,
    name: shopName(shop),
    email: `owner@${shop}`,
    domain: shop,
    myshopify_domain: shop,
    plan_name: "partner_test",
    country_code: "CA",
    currency: "CAD",
  }),
  "customers/redact": ({ shop }) => ({
    shop_id: 954889,
    shop_domain: shop,
    customer: { id: 191167, email: "john@example.com", phone: "555-625-1199" },
    orders_to_redact: [299938, 280263, 220458],
  }),
  "customers/data_request": ({ shop }) => ({
    shop_id: 954889,
    shop_domain: shop,
    orders_requested: [299938, 280263, 220458],
    customer: { id: 191167, email: "john@example.com", phone: "555-625-1199" },
    data_request: { id: 9999 },
  }),
  "shop/redact": ({ shop }) => ({ shop_id: 954889, shop_domain: shop }),
};

const githubRepository = {
  id: 1296269,
  node_id: "MDEwOlJlcG9zaXRvcnkxMjk2MjY5",
  name: "Hello-World",
  full_name: "octocat/Hello-World",
  private: false,
  html_url: "https://github.com/octocat/Hello-World",
  stargazers_count: 81,
  owner: { login: "octocat", id: 1, type: "User" },
};
const githubSender = { login: "hubot", id: 2, type: "User", html_url: "https://github.com/hubot" };

/** Shapes from GitHub's "Webhook events and payloads", trimmed. */
const GITHUB: Record<string, Sample> = {
  star: ({ timestamp }) => ({
    action: "created",
    starred_at: iso(timestamp),
    repository: githubRepository,
    sender: githubSender,
  }),
  ping: () => ({
    zen: "Design for failure.",
    hook_id: 109948940,
    hook: {
      type: "Repository",
      id: 109948940,
      active: true,
      events: ["star"],
      config: { content_type: "json" },
    },
    repository: githubRepository,
    sender: githubSender,
  }),
};

/** A Stripe event object as the API sends it (API reference, "The Event object"), trimmed. */
const STRIPE: Record<string, Sample> = {
  "payment_intent.succeeded": ({ deliveryId, timestamp }) => ({
    id: deliveryId,
    object: "event",
    api_version: "2025-09-30.clover",
    created: timestamp,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: "payment_intent.succeeded",
    data: {
      object: {
        id: "pi_3MtwBwLkdIwHu7ix28a3tqPa",
        object: "payment_intent",
        amount: 2000,
        amount_received: 2000,
        currency: "usd",
        status: "succeeded",
        created: timestamp - 5,
        livemode: false,
        payment_method_types: ["card"],
      },
    },
  }),
};

/** Standard Webhooks leaves the payload to the sender; the specification suggests `type`, `timestamp`, `data`. */
const STANDARD: Sample = ({ topic, timestamp }) => ({
  type: topic,
  timestamp: iso(timestamp),
  data: { id: "obj_2a7Jq9c4", name: "Example", status: "active" },
});

/** Each sender's topic when `--topic` is absent. */
export const DEFAULT_TOPICS: Record<WebhookSender, string> = {
  shopify: "products/update",
  github: "star",
  stripe: "payment_intent.succeeded",
  standard: "example.created",
};

/**
 * The topics with a sample, per sender; Standard Webhooks accepts any topic (`undefined` here).
 *
 * @example
 * sampleTopics("github"); // ["star", "ping"]
 */
export function sampleTopics(provider: WebhookSender): string[] | undefined {
  const table = { shopify: SHOPIFY, github: GITHUB, stripe: STRIPE, standard: undefined }[provider];
  return table && Object.keys(table);
}

/**
 * A realistic payload for `topic`, or `undefined` when there is no sample for it.
 *
 * @example
 * webhookSample("shopify", { topic: "app/uninstalled", shop: "x.myshopify.com", deliveryId, timestamp });
 */
export function webhookSample(
  provider: WebhookSender,
  context: SampleContext,
): Record<string, unknown> | undefined {
  if (provider === "standard") return STANDARD(context);
  const table = { shopify: SHOPIFY, github: GITHUB, stripe: STRIPE }[provider];
  return Object.hasOwn(table, context.topic) ? table[context.topic]!(context) : undefined;
}
