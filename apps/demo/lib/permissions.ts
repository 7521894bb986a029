// Who may do what with the demo's data. Anything not listed is denied; rows outside a filter behave
// as absent. Webhook events and Shopify customers are written by the server itself (api.internal).
// A staff member in the Shopify admin (a session token) reads only rows of the token's shop.
import { definePermissions } from "@sprocket/server/models";
import { models } from "./models";
import type { WidgetOwner } from "./widget/token";

/** Who is asking, as the demo's rules see it. */
export type DemoIdentity =
  | { role: "unauthenticated" }
  | { role: "signed-in"; user: { id: string; email: string; name: string | null } }
  // A request Shopify proxied from a storefront: signed by Shopify, never signed in.
  | { role: "storefront-customer"; shop: string; customerId: string | null }
  // The app's page in the Shopify admin: a session token Shopify signed for one shop's staff.
  | { role: "shopify-admin"; shop: string }
  // The embedded chat widget's visitor or customer, from a widget token (lib/widget).
  | { role: "widget-visitor"; owner: WidgetOwner };

/** What anyone may do, signed in or not. */
const unauthenticated = {};

export const permissions = definePermissions<typeof models, DemoIdentity>(models, {
  unauthenticated,
  "storefront-customer": {
    ...unauthenticated,
    // The logged-in customer's own row in the shop the request came from; nothing without a customer.
    shopifyCustomer: {
      read: { filter: storefrontCustomerRow },
      update: { filter: storefrontCustomerRow },
    },
  },
  "shopify-admin": {
    // Every model with a shop field, read-only, limited to the token's shop. Webhook events never
    // show their payload (models.ts: not readable through the API).
    chat: { read: { filter: ({ shop }) => ({ shop: { equals: shop } }) } },
    webhookEvent: { read: { filter: ({ shop }) => ({ shop: { equals: shop } }) } },
    shopifyCustomer: { read: { filter: ({ shop }) => ({ shop: { equals: shop } }) } },
  },
  "widget-visitor": {
    // The token's own conversations only; the owner columns are the server's, whatever is sent.
    chat: {
      read: { filter: ({ owner }) => widgetChats(owner) },
      create: { set: ({ owner }) => widgetChatOwner(owner) },
      update: { filter: ({ owner }) => widgetChats(owner) },
    },
    message: {
      read: { filter: ({ owner }) => ({ chat: widgetChats(owner) }) },
      // Links reach only chats the caller can read: their own.
      create: true,
    },
  },
  "signed-in": {
    user: {
      read: { filter: ({ user }) => ({ id: { equals: user.id } }) },
      update: { filter: ({ user }) => ({ id: { equals: user.id } }) },
    },
    chat: {
      read: { filter: ({ user }) => ({ userId: { equals: user.id } }) },
      // The owner is whoever creates the chat, whatever the caller sends.
      create: { set: ({ user }) => ({ user: { _link: user.id } }) },
      update: { filter: ({ user }) => ({ userId: { equals: user.id } }) },
      delete: { filter: ({ user }) => ({ userId: { equals: user.id } }) },
    },
    message: {
      read: { filter: ({ user }) => ({ chat: { userId: { equals: user.id } } }) },
      // A message links to its chat, and links only reach rows the caller can read: their own chats.
      create: true,
      update: { filter: ({ user }) => ({ chat: { userId: { equals: user.id } } }) },
      delete: { filter: ({ user }) => ({ chat: { userId: { equals: user.id } } }) },
    },
  },
});

function storefrontCustomerRow({ shop, customerId }: { shop: string; customerId: string | null }) {
  if (customerId === null) return { id: { in: [] } };
  return { AND: [{ id: { equals: customerId } }, { shop: { equals: shop } }] };
}

function widgetChats(owner: WidgetOwner) {
  if (owner.kind === "visitor") return { visitorId: { equals: owner.visitorId } };
  return { AND: [{ customerId: { equals: owner.customerId } }, { shop: { equals: owner.shop } }] };
}

function widgetChatOwner(owner: WidgetOwner) {
  if (owner.kind === "visitor") return { visitorId: owner.visitorId, shop: owner.shop };
  return { customerId: owner.customerId, shop: owner.shop };
}
