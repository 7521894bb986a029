export {
  ADMIN_GRAPHQL_TRIES,
  type AdminApiContext,
  type AdminGraphqlOptions,
  type GraphqlVariables,
  type ShopifyGraphqlConnection,
} from "./admin-graphql.js";
export { type AppProxyContext, type AppProxyOptions, appProxy, appProxyContext } from "./app-proxy.js";
export { appProxyCanonicalString } from "./app-proxy-canonical-string.js";
export {
  type AdminContext,
  RETRY_INVALID_SESSION_HEADER,
} from "./authenticate-admin.js";
export { LIQUID_CONTENT_TYPE, type LiquidOptions, liquid } from "./liquid.js";
export { isMyshopifyDomain, MYSHOPIFY_DOMAIN_PATTERN } from "./myshopify-domain.js";
export {
  PrismaSessionStorage,
  type ShopifySessionDelegate,
  type ShopifySessionRow,
} from "./prisma-session-storage.js";
export { SHOPIFY_ADMIN_ROLE, type ShopifyAdminIdentity } from "./shopify-admin-identity.js";
export {
  type AppProxyAuthentication,
  type AuthenticatedRequest,
  SessionNotFoundError,
  type SessionStorage,
  type ShopifyAdminContext,
  type ShopifyApp,
  type ShopifyAppOptions,
  type ShopifyProxyConnection,
  type ShopifyProxyContext,
  type ShopifyWebhookRouteOptions,
  shopifyApp,
} from "./shopify-app.js";
export type {
  ShopifyWebhookEvent,
  ShopifyWebhookHandler,
  ShopifyWebhookPayload,
  ShopifyWebhookTopic,
  WebhookContext,
  WebhookContextWithoutSession,
  WebhookContextWithSession,
} from "./shopify-webhook.js";
export {
  APP_PROXY_SINGLE_VALUED_PARAMETERS,
  APP_PROXY_TOLERANCE_SECONDS,
  type AppProxyFailureReason,
  type AppProxyRequestInfo,
  type AppProxyVerification,
  type VerifyAppProxyRequestOptions,
  verifyAppProxyRequest,
} from "./verify-app-proxy-request.js";
export {
  SESSION_TOKEN_ALGORITHMS,
  SESSION_TOKEN_CLOCK_TOLERANCE_SECONDS,
  type SessionTokenFailureReason,
  type SessionTokenPayload,
  type SessionTokenVerification,
  type VerifySessionTokenOptions,
  verifySessionToken,
} from "./verify-session-token.js";
