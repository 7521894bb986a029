import type { WebhookVerifier } from "./types.js";
import {
  GITHUB_WEBHOOK_BODY_LIMIT,
  type GitHubWebhook,
  verifyGitHubWebhook,
} from "./verify-github-webhook.js";
import {
  SHOPIFY_WEBHOOK_BODY_LIMIT,
  type ShopifyWebhook,
  verifyShopifyWebhook,
} from "./verify-shopify-webhook.js";
import {
  STANDARD_WEBHOOK_BODY_LIMIT,
  type StandardWebhook,
  verifyStandardWebhook,
} from "./verify-standard-webhook.js";
import {
  STRIPE_WEBHOOK_BODY_LIMIT,
  type StripeWebhook,
  verifyStripeWebhook,
} from "./verify-stripe-webhook.js";

/** The verified delivery of each provider. */
export interface WebhookDeliveries {
  shopify: ShopifyWebhook;
  github: GitHubWebhook;
  stripe: StripeWebhook;
  standard: StandardWebhook;
}

/** A provider {@link verifyWebhook} knows. */
export type WebhookProvider = keyof WebhookDeliveries;

/** Each provider's verifier. */
export const WEBHOOK_VERIFIERS: {
  readonly [Provider in WebhookProvider]: WebhookVerifier<WebhookDeliveries[Provider]>;
} = {
  shopify: verifyShopifyWebhook,
  github: verifyGitHubWebhook,
  stripe: verifyStripeWebhook,
  standard: verifyStandardWebhook,
};

/**
 * The largest body each provider sends, in bytes, for a route's `bodyLimit`: 25 MiB for GitHub
 * (its cap on payloads), 1 MiB for the others (the route default).
 */
export const WEBHOOK_BODY_LIMITS: { readonly [Provider in WebhookProvider]: number } = {
  shopify: SHOPIFY_WEBHOOK_BODY_LIMIT,
  github: GITHUB_WEBHOOK_BODY_LIMIT,
  stripe: STRIPE_WEBHOOK_BODY_LIMIT,
  standard: STANDARD_WEBHOOK_BODY_LIMIT,
};
