// What the embedded admin spec (tests/admin.spec.ts) reads: storefront chats of two shops, stored by
// the global setup because no route of the demo writes a chat's shop. The spec's shop is the one
// with the offline session (E2E_SHOPIFY.shop); the other shop's rows must never reach its page.
import type pg from "pg";
import { E2E_SHOPIFY } from "./shopify";

/** A second shop, whose rows the spec's shop must not see. */
export const OTHER_SHOP = "sprocket-e2e-other.myshopify.com";

/** The stored chats: two of the spec's shop, one of the other shop. */
export const ADMIN_CHATS = [
  { id: "e2e-admin-chat-a1", shop: E2E_SHOPIFY.shop, title: "Where is my order? (shop A)" },
  { id: "e2e-admin-chat-a2", shop: E2E_SHOPIFY.shop, title: "Gift wrapping (shop A)" },
  { id: "e2e-admin-chat-b1", shop: OTHER_SHOP, title: "Returns policy (shop B)" },
] as const;

/**
 * Stores {@link ADMIN_CHATS} through the global setup's connection.
 *
 * @example
 * await storeAdminChats(client);
 */
export async function storeAdminChats(client: pg.Client): Promise<void> {
  for (const chat of ADMIN_CHATS) {
    await client.query(
      `INSERT INTO "Chat" ("id", "shop", "title", "updatedAt") VALUES ($1, $2, $3, now())
       ON CONFLICT ("id") DO UPDATE SET "shop" = EXCLUDED."shop", "title" = EXCLUDED."title"`,
      [chat.id, chat.shop, chat.title],
    );
  }
}
