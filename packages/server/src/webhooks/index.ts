export type {
  VerifiedWebhookBase,
  VerifyWebhookOptions,
  WebhookFailure,
  WebhookFailureReason,
  WebhookVerification,
  WebhookVerifier,
} from "./types.js";
export {
  GITHUB_SIGNATURE_PREFIX,
  GITHUB_WEBHOOK_HEADERS,
  type GitHubWebhook,
  verifyGitHubWebhook,
} from "./verify-github-webhook.js";
export {
  SHOPIFY_WEBHOOK_HEADERS,
  type ShopifyWebhook,
  toShopifyTopic,
  verifyShopifyWebhook,
} from "./verify-shopify-webhook.js";
export {
  STANDARD_WEBHOOK_HEADERS,
  STANDARD_WEBHOOK_SECRET_PREFIX,
  STANDARD_WEBHOOK_SIGNATURE_VERSION,
  STANDARD_WEBHOOK_TOLERANCE_SECONDS,
  type StandardWebhook,
  verifyStandardWebhook,
} from "./verify-standard-webhook.js";
export {
  STRIPE_SIGNATURE_HEADER,
  STRIPE_SIGNATURE_SCHEME,
  STRIPE_TOLERANCE_SECONDS,
  type StripeWebhook,
  verifyStripeWebhook,
} from "./verify-stripe-webhook.js";
export { type VerifyWebhookRouteOptions, verifyWebhook, type WebhookHook } from "./verify-webhook.js";
export { WEBHOOK_FAILURE_CODES, webhookFailureToHttpError } from "./webhook-failure-to-http-error.js";
export {
  WEBHOOK_BODY_LIMITS,
  WEBHOOK_VERIFIERS,
  type WebhookDeliveries,
  type WebhookProvider,
} from "./webhook-providers.js";
