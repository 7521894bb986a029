// Shopify's webhooks, compliance topics included: verified with SHOPIFY_API_SECRET, stored once
// (keyed by X-Shopify-Event-Id), acknowledged, then handled by lib/shopify-webhooks.ts. Subscribed
// in shopify.app.toml (see README.md).
import { demoShopifyWebhookRoute } from "@/lib/webhooks";

export const POST = demoShopifyWebhookRoute();
