// The demo's webhooks: one durable inbox (lib/webhook-inbox.ts) behind every provider's route,
// the handlers that run after each acknowledgement, and the drain and replay that retry them.
// Handlers act on the app's own authority: they get `api.internal`, never a user's api.
import { withRequestLog } from "@sprocket/server";
import {
  drainWebhookInbox,
  replayWebhookEvent,
  type WebhookInboxEvent,
  type WebhookProvider,
  type WebhookRetryPolicy,
  webhookRoute,
} from "@sprocket/server/webhooks";
import { after } from "next/server";
import { modelApi } from "./api";
import { config, type DemoConfig } from "./config";
import { db, pgPool } from "./db";
import { shopify } from "./shopify";
import { handleShopifyWebhook } from "./shopify-webhooks";
import { createPrismaWebhookInboxStore } from "./webhook-inbox";

/** The inbox's retry policy, shared by the routes, the drain and replay: the toolkit's defaults. */
const retry: WebhookRetryPolicy = {};

/** The demo's inbox, on its Prisma client (created on first use). */
export const webhookStore = createPrismaWebhookInboxStore(db, { pool: pgPool });

/** What a demo handler gets: the stored delivery and the internal api. */
export type DemoWebhookEvent = WebhookInboxEvent & { api: ReturnType<typeof modelApi>["internal"] };
type DemoWebhookHandler = (event: DemoWebhookEvent) => unknown;

const withInternalApi =
  (handler: DemoWebhookHandler) =>
  (event: WebhookInboxEvent): unknown =>
    handler({ ...event, api: modelApi().internal });

/** The handler per provider, also what the drain and replay run. */
export const webhookHandlers = {
  // Topics of lib/shopify-webhooks.ts, with the shop's session and Admin API (503 until configured,
  // so the event is retried).
  shopify: (event: WebhookInboxEvent): unknown =>
    shopify().webhookHandler((shopifyEvent) =>
      handleShopifyWebhook({ ...shopifyEvent, api: modelApi().internal }),
    )(event),
  // The star-event example: log the delivery.
  github: withInternalApi(({ topic, deliveryId, payload, logger }) => {
    const { action, repository, sender } = payload as {
      action?: string;
      repository?: { full_name?: string; stargazers_count?: number };
      sender?: { login?: string };
    };
    logger.info(
      {
        event: topic,
        deliveryId,
        action,
        repository: repository?.full_name,
        stars: repository?.stargazers_count,
        sender: sender?.login,
      },
      "GitHub webhook",
    );
  }),
  stripe: withInternalApi(({ topic, payload, logger }) => {
    const object = (payload as { data?: { object?: { id?: string; object?: string } } }).data?.object;
    logger.info({ type: topic, object: object?.object, objectId: object?.id }, "Stripe event");
  }),
  standard: withInternalApi(({ topic, payload, logger }) => {
    logger.info({ type: topic, data: (payload as { data?: unknown }).data }, "Standard webhook");
  }),
} satisfies Partial<Record<WebhookProvider, (event: WebhookInboxEvent) => unknown>>;

type DemoProvider = Exclude<keyof typeof webhookHandlers, "shopify">;

const SECRETS: {
  [Provider in DemoProvider]: {
    variable: string;
    read: (webhooks: DemoConfig["webhooks"]) => string | undefined;
  };
} = {
  github: { variable: "GITHUB_WEBHOOK_SECRET", read: (webhooks) => webhooks.githubSecret },
  stripe: { variable: "STRIPE_WEBHOOK_SECRET", read: (webhooks) => webhooks.stripeSecret },
  standard: { variable: "STANDARD_WEBHOOK_SECRET", read: (webhooks) => webhooks.standardSecret },
};

/**
 * The `POST` of a provider's webhook route. Built on the first request, not at import, since the
 * config is read then (`next build` imports routes without the environment). With its secret
 * unset the route answers 503 naming the variable: senders retry, and nothing is lost once it is set.
 *
 * @example
 * export const POST = demoWebhookRoute("github", { acknowledgeStatus: 204 });
 */
export function demoWebhookRoute(
  provider: DemoProvider,
  { acknowledgeStatus }: { acknowledgeStatus?: 200 | 202 | 204 } = {},
): (request: Request) => Promise<Response> {
  let handle: ((request: Request) => Promise<Response>) | undefined;
  // Logged here too, so the 503 before the route exists gets its line; webhookRoute leaves it to this.
  return withRequestLog(async (request) => {
    if (handle === undefined) {
      const { variable, read } = SECRETS[provider];
      const secrets = read(config().webhooks);
      if (secrets === undefined) return notConfigured(variable);
      handle = webhookRoute({
        provider,
        secrets,
        store: webhookStore,
        onEvent: webhookHandlers[provider],
        retry,
        after,
        acknowledgeStatus,
      });
    }
    return await handle(request);
  });
}

/**
 * `POST /webhooks/shopify`: `shopifyWebhook` on the demo's app and inbox, verified with
 * SHOPIFY_API_SECRET (503 naming it until the Shopify app is configured).
 */
export function demoShopifyWebhookRoute(): (request: Request) => Promise<Response> {
  let handle: ((request: Request) => Promise<Response>) | undefined;
  return withRequestLog(async (request) => {
    if (handle === undefined) {
      if (!config().shopify) return notConfigured("SHOPIFY_API_SECRET");
      handle = shopify().shopifyWebhook({
        store: webhookStore,
        onEvent: (event) => handleShopifyWebhook({ ...event, api: modelApi().internal }),
        retry,
        after,
      });
    }
    return await handle(request);
  });
}

/**
 * Runs due webhook events (retries, and deliveries whose instance stopped before running them) and
 * deletes finished deliveries past the retention period (WEBHOOK_RETENTION_DAYS, 30 by default);
 * any number of instances may drain at once.
 *
 * @example
 * const result = await drainWebhooks();
 */
export function drainWebhooks(options: { limit?: number } = {}) {
  const retentionMs = config().webhooks.retentionDays * 86_400_000;
  return drainWebhookInbox({
    store: webhookStore,
    handlers: webhookHandlers,
    retry,
    retentionMs,
    ...options,
  });
}

/**
 * Runs a stored event again now (a dead letter after a fix), with a fresh count of attempts.
 *
 * @example
 * await replayWebhook("0193...");
 */
export function replayWebhook(id: string) {
  return replayWebhookEvent({ store: webhookStore, handlers: webhookHandlers, retry, id });
}

export function notConfigured(variable: string): Response {
  return Response.json(
    { error: { code: "NOT_CONFIGURED", message: `${variable} is not set on the server` } },
    { status: 503, headers: { "retry-after": "300", "cache-control": "no-store" } },
  );
}
