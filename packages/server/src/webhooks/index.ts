export {
  type DrainWebhookInboxOptions,
  type DrainWebhookInboxResult,
  drainWebhookInbox,
  WEBHOOK_DRAIN_LIMIT,
  WEBHOOK_RETENTION_MS,
  type WebhookHandlers,
} from "./drain-webhook-inbox.js";
export { type ReplayWebhookEventOptions, replayWebhookEvent } from "./replay-webhook-event.js";
export type { WebhookEventHandler, WebhookInboxEvent, WebhookRunOutcome } from "./run-webhook-event.js";
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
  SHOPIFY_EVENT_HEADERS,
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
  SVIX_WEBHOOK_HEADERS,
  verifyStandardWebhook,
} from "./verify-standard-webhook.js";
export {
  STRIPE_SIGNATURE_HEADER,
  STRIPE_SIGNATURE_SCHEME,
  STRIPE_TOLERANCE_SECONDS,
  STRIPE_UNKNOWN_EVENT_TYPE,
  type StripeWebhook,
  verifyStripeWebhook,
} from "./verify-stripe-webhook.js";
export { type VerifyWebhookRouteOptions, verifyWebhook, type WebhookHook } from "./verify-webhook.js";
export { WEBHOOK_FAILURE_CODES, webhookFailureToHttpError } from "./webhook-failure-to-http-error.js";
export type {
  NewWebhookEvent,
  StoredWebhookEvent,
  WebhookClaimOutcome,
  WebhookEventStatus,
  WebhookInboxInsert,
  WebhookInboxStore,
  WebhookLease,
} from "./webhook-inbox-store.js";
export {
  WEBHOOK_BODY_LIMITS,
  WEBHOOK_VERIFIERS,
  type WebhookDeliveries,
  type WebhookProvider,
} from "./webhook-providers.js";
export {
  WEBHOOK_LOCK_MS,
  WEBHOOK_MAX_ATTEMPTS,
  type WebhookRetryPolicy,
  webhookRetryDelay,
} from "./webhook-retry-policy.js";
export {
  WEBHOOK_DUPLICATE_HEADER,
  WEBHOOK_RETRY_AFTER_SECONDS,
  WEBHOOK_STORE_TIMEOUT_MS,
  type WebhookRouteOptions,
  webhookRoute,
} from "./webhook-route.js";
