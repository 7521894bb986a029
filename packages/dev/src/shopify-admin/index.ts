export {
  type ShopifyAdminApp,
  type ShopifyAdminCustomer,
  type ShopifyAdminRequest,
  type ShopifyAdminServer,
  type ShopifyAdminServerOptions,
  startShopifyAdminServer,
} from "./start-shopify-admin-server.js";
