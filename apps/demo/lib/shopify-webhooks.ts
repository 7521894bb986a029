// What the demo does with each Shopify topic, after the delivery is stored and acknowledged. Runs
// on the app's own authority (no user is signed in to a webhook); the shop's Admin API comes from
// its offline session, absent once the app is uninstalled.
import type { ShopifyWebhookEvent } from "@sprocket/server/shopify";
import type { modelApi } from "./api";
import { db } from "./db";
import { shopify } from "./shopify";
import { PAYLOAD_TEXT_KEY } from "./webhook-inbox";

/** The seed's example: stamp the updated product with when the app heard of it. */
export const SET_RECEIVED_AT = `#graphql
  mutation setMetafield($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields { key value }
      userErrors { field message }
    }
  }`;

/**
 * The demo's Shopify handler, run by `POST /webhooks/shopify`, the drain and replay.
 *
 * - `APP_UNINSTALLED`: deletes the shop's sessions.
 * - `PRODUCTS_UPDATE`: sets the product's `my-app.webhook_received_at` metafield.
 * - `CUSTOMERS_DATA_REQUEST`: logs which records the app holds about the customer (ids and
 *   counts, never their contents: logs are no place for personal data), for the operator who
 *   answers the merchant.
 * - `CUSTOMERS_REDACT`: deletes the customer's row and the stored deliveries that name them, their
 *   orders among them (`orders_to_redact`, guest orders by email).
 * - `SHOP_REDACT`: deletes the shop's customers, sessions and stored deliveries.
 *
 * It runs on the app's own authority: `api` is the model API's internal one, never a user's.
 */
export async function handleShopifyWebhook(
  event: ShopifyWebhookEvent & { api: ReturnType<typeof modelApi>["internal"] },
): Promise<void> {
  const { topic, shop, payload, logger, api } = event;
  switch (topic) {
    case "APP_UNINSTALLED": {
      const storage = shopify().sessionStorage;
      const sessions = await storage.findSessionsByShop(shop);
      if (sessions.length > 0) await storage.deleteSessions(sessions.map((session) => session.id));
      logger.info({ shop, sessions: sessions.length }, "App uninstalled; sessions deleted");
      return;
    }
    case "PRODUCTS_UPDATE": {
      if (!event.admin) {
        logger.info({ shop }, "No offline session for the shop; product update not stamped");
        return;
      }
      const response = await event.admin.graphql(SET_RECEIVED_AT, {
        variables: {
          metafields: [
            {
              ownerId: payload.admin_graphql_api_id,
              namespace: "my-app",
              key: "webhook_received_at",
              type: "single_line_text_field",
              value: new Date().toISOString(),
            },
          ],
        },
      });
      const { data } = (await response.json()) as {
        data?: { metafieldsSet?: { userErrors?: { message: string }[] } };
      };
      const userErrors = data?.metafieldsSet?.userErrors ?? [];
      // A throw schedules a retry, and the last error shows on the inbox page.
      if (userErrors.length > 0)
        throw new Error(`metafieldsSet: ${userErrors.map((e) => e.message).join("; ")}`);
      return;
    }
    case "CUSTOMERS_DATA_REQUEST": {
      const customerId = customerIdOf(payload);
      const stored = customerId
        ? await api.shopifyCustomer.maybeFindFirst({
            filter: { id: { equals: customerId }, shop: { equals: shop } },
            select: { id: true },
          })
        : null;
      // Which records the app holds, for the operator who answers the merchant from the database:
      // their contents stay out of the logs.
      logger.info(
        { shop, customerId, hasCustomerRecord: stored !== null, orders: ordersToRedactOf(payload).length },
        "Customer data request",
      );
      return;
    }
    case "CUSTOMERS_REDACT": {
      const customerId = customerIdOf(payload);
      if (!customerId) throw new Error("customers/redact without customer.id");
      await db().shopifyCustomer.deleteMany({ where: { id: customerId, shop } });
      // Stored deliveries naming the customer; this one (which names them too) goes with the
      // retention period, as the inbox keeps it to record the outcome. A payload the inbox kept
      // as text (one jsonb could not hold) goes when its text has an "id" or "customer_id" member
      // equal to the customer's id.
      // Their orders too: by id (`orders/*`), by order id (fulfillments, refunds, ...), and guest
      // orders, which name no customer id, by the customer's email.
      const orderIds = ordersToRedactOf(payload);
      const email = emailOf(payload);
      const deleted = await db().$executeRaw`
        DELETE FROM "WebhookEvent"
        WHERE "shop" = ${shop} AND "id" <> ${event.id}
          AND ("payload"->'customer'->>'id' = ${customerId}
            OR "payload"->>'customer_id' = ${customerId}
            OR ("topic" LIKE 'customers/%' AND "payload"->>'id' = ${customerId})
            OR ("topic" LIKE 'orders/%' AND "payload"->>'id' = ANY(${orderIds}::text[]))
            OR "payload"->>'order_id' = ANY(${orderIds}::text[])
            OR lower("payload"->>'email') = ${email}
            OR lower("payload"->'customer'->>'email') = ${email}
            OR "payload"->>${PAYLOAD_TEXT_KEY} ~ ${keptTextPattern(customerId)})`;
      logger.info({ shop, customerId, orders: orderIds.length, deliveries: deleted }, "Customer redacted");
      return;
    }
    case "SHOP_REDACT": {
      await db().shopifyCustomer.deleteMany({ where: { shop } });
      await db().shopifySession.deleteMany({ where: { shop } });
      const deleted = await db().webhookEvent.deleteMany({ where: { shop, id: { not: event.id } } });
      logger.info({ shop, deliveries: deleted.count }, "Shop redacted");
      return;
    }
    default:
      logger.info({ shop, topic }, "Shopify webhook with no handler; recorded");
  }
}

/**
 * A POSIX regular expression for an `"id"` or `"customer_id"` member equal to `customerId` in a
 * payload kept as JSON text, as a number or a string. Shopify's ids are digits; anything else
 * gets no pattern, so no text reaches the pattern unchecked.
 */
function keptTextPattern(customerId: string): string | null {
  // NULL: `~ NULL` is never true.
  if (!/^\d+$/.test(customerId)) return null;
  return `"(id|customer_id)"[[:space:]]*:[[:space:]]*"?${customerId}([^0-9]|$)`;
}

/** `orders_to_redact` of a customers/redact or customers/data_request payload, as text ids. */
function ordersToRedactOf(payload: Record<string, unknown>): string[] {
  const orders = payload.orders_to_redact ?? payload.orders_requested;
  if (!Array.isArray(orders)) return [];
  return orders.filter((id) => typeof id === "number" || typeof id === "string").map(String);
}

/** The customer's email in lower case, or null (which matches nothing). */
function emailOf(payload: Record<string, unknown>): string | null {
  const email = (payload.customer as { email?: unknown } | undefined)?.email;
  return typeof email === "string" && email.includes("@") ? email.toLowerCase() : null;
}

function customerIdOf(payload: Record<string, unknown>): string | undefined {
  const id = (payload.customer as { id?: unknown } | undefined)?.id;
  return typeof id === "number" || typeof id === "string" ? String(id) : undefined;
}
