// The demo's models as the model API serves them: which fields exist and how callers may use them.
// `CheckModels` below holds this table against the Prisma client's row types, so it cannot drift
// from schema.prisma without a compile error.
import { type CheckModels, defineModels } from "@sprocket/server/models";
import type { Chat, Message, ShopifyCustomer, User, WebhookEvent } from "./generated/prisma/client";

export const models = defineModels({
  user: {
    name: "User",
    fields: {
      id: { kind: "id" },
      email: { kind: "string", writable: false },
      name: { kind: "string", nullable: true },
      createdAt: { kind: "dateTime" },
      updatedAt: { kind: "dateTime" },
      chats: { relation: "hasMany", model: "chat" },
    },
  },
  chat: {
    name: "Chat",
    fields: {
      id: { kind: "id" },
      title: { kind: "string" },
      // The owner is set by the server (see permissions.ts), never by the caller.
      userId: { kind: "string", nullable: true, writable: false },
      user: { relation: "belongsTo", model: "user", foreignKey: "userId" },
      shop: { kind: "string", nullable: true, writable: false },
      // The widget's owners, also set by the server from the widget token.
      visitorId: { kind: "string", nullable: true, writable: false },
      customerId: { kind: "string", nullable: true, writable: false },
      createdAt: { kind: "dateTime" },
      updatedAt: { kind: "dateTime" },
      messages: { relation: "hasMany", model: "message" },
    },
  },
  message: {
    name: "Message",
    fields: {
      id: { kind: "id" },
      chatId: { kind: "string" },
      chat: { relation: "belongsTo", model: "chat", foreignKey: "chatId" },
      order: { kind: "number", integer: true },
      role: { kind: { enum: ["system", "user", "assistant"] } },
      content: { kind: "string" },
      status: { kind: { enum: ["streaming", "complete", "aborted", "error"] } },
      createdAt: { kind: "dateTime" },
      updatedAt: { kind: "dateTime" },
    },
  },
  shopifyCustomer: {
    name: "ShopifyCustomer",
    fields: {
      id: { kind: "id" },
      shop: { kind: "string", writable: false },
      customData: { kind: "json", nullable: true },
      createdAt: { kind: "dateTime" },
      updatedAt: { kind: "dateTime" },
    },
  },
  webhookEvent: {
    name: "WebhookEvent",
    fields: {
      id: { kind: "id" },
      provider: { kind: "string" },
      deliveryId: { kind: "string" },
      topic: { kind: "string" },
      shop: { kind: "string", nullable: true },
      // Customer data as Shopify or another sender sent it: read by webhook handlers from the inbox,
      // never through the model API (a filter on it would be an oracle on its contents).
      payload: { kind: "json", readable: false, filterable: false },
      status: { kind: { enum: ["pending", "processing", "processed", "failed", "dead"] } },
      attempts: { kind: "number", integer: true },
      // The handler's error text, internal (messages of the app's own code and services): the
      // operators' inbox page shows it; a shop's admin sees the status alone.
      lastError: { kind: "string", nullable: true, readable: false },
      receivedAt: { kind: "dateTime" },
      processedAt: { kind: "dateTime", nullable: true },
    },
  },
});

export type Models = typeof models;

// A compile-time check only: fails `tsc` when a field above is missing from, or typed differently
// than, the Prisma model it names.
export const modelsMatchPrisma: CheckModels<
  Models,
  { user: User; chat: Chat; message: Message; shopifyCustomer: ShopifyCustomer; webhookEvent: WebhookEvent }
> = true;
