export {
  type AppBridgeOptions,
  type AppBridgeTokenSource,
  appBridge,
  RETRY_INVALID_SESSION_HEADER,
  TOKEN_RENEW_BEFORE_EXPIRY_MS,
} from "./app-bridge.js";
