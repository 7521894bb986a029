export {
  APP_BRIDGE_SCRIPT_URL,
  type AppBridgeStandInOptions,
  appBridgeStandInScript,
} from "./app-bridge-stand-in.js";
export {
  type IssueSessionTokenOptions,
  issueSessionToken,
  SESSION_TOKEN_LIFETIME_SECONDS,
} from "./issue-session-token.js";
export {
  type ShopifyAdminApp,
  type ShopifyAdminCustomer,
  type ShopifyAdminRequest,
  type ShopifyAdminServer,
  type ShopifyAdminServerOptions,
  startShopifyAdminServer,
} from "./start-shopify-admin-server.js";
