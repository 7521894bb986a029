import { HttpError } from "../errors/http-error.js";
import type { OnRequestHook, RouteRequest } from "../route/types.js";
import type { VerifyWebhookOptions } from "./types.js";
import { webhookFailureToHttpError } from "./webhook-failure-to-http-error.js";
import {
  WEBHOOK_BODY_LIMITS,
  WEBHOOK_VERIFIERS,
  type WebhookDeliveries,
  type WebhookProvider,
} from "./webhook-providers.js";

/** Options of {@link verifyWebhook}, checked when the route module loads. */
export interface VerifyWebhookRouteOptions {
  /**
   * The signing secrets, newest first: an array, or comma-separated in one string. An empty list
   * (an unset environment variable) does not fail the build: each request then answers 500
   * `NOT_CONFIGURED` and the log says why.
   */
  secrets: VerifyWebhookOptions["secrets"] | undefined;
  /** The clock, for providers that sign a timestamp. Default: `Date.now`. */
  now?: () => Date | number;
  /** Largest accepted body in bytes. Default: the provider's entry in `WEBHOOK_BODY_LIMITS`. */
  bodyLimit?: number;
}

/**
 * An `onRequest` hook that verifies a provider's webhook, with what the route needs around it:
 * the `bodyLimit` to give the route, and `delivery(request)` for the handler.
 */
export interface WebhookHook<Provider extends WebhookProvider> extends OnRequestHook {
  readonly provider: Provider;
  /** Pass it as the route's `bodyLimit`, so oversized bodies get 413 before they are read. */
  readonly bodyLimit: number;
  /**
   * The verified delivery of this request. Throws `NOT_CONFIGURED` (500) when the hook did not
   * run on this route, so a handler can never act on an unverified body.
   */
  delivery(request: RouteRequest): WebhookDeliveries[Provider];
}

/**
 * Verifies a webhook before the handler runs, over the exact bytes received (`request.rawBody`).
 * Missing headers answer 400; a bad signature or a stale timestamp a plain 401, with the reason
 * in the log only. The handler reads the verified delivery with `delivery(request)`.
 *
 * @example
 * // app/webhooks/github/route.ts
 * import { route } from "@sprocket/server";
 * import { verifyWebhook } from "@sprocket/server/webhooks";
 *
 * const github = verifyWebhook("github", { secrets: process.env.GITHUB_WEBHOOK_SECRETS });
 *
 * export const POST = route(
 *   async ({ request, reply }) => {
 *     const { event, deliveryId } = github.delivery(request);
 *     return await reply.code(204).send();
 *   },
 *   { onRequest: github, bodyLimit: github.bodyLimit },
 * );
 */
export function verifyWebhook<Provider extends WebhookProvider>(
  provider: Provider,
  options: VerifyWebhookRouteOptions,
): WebhookHook<Provider> {
  if (!Object.hasOwn(WEBHOOK_VERIFIERS, provider)) {
    throw new TypeError(
      `verifyWebhook: unknown provider ${JSON.stringify(provider)}; use one of ${Object.keys(WEBHOOK_VERIFIERS).join(", ")}`,
    );
  }
  const {
    secrets,
    now,
    bodyLimit = WEBHOOK_BODY_LIMITS[provider],
  } = options ?? ({} as VerifyWebhookRouteOptions);
  const isSecretList = Array.isArray(secrets) && secrets.every((secret) => typeof secret === "string");
  if (secrets !== undefined && typeof secrets !== "string" && !isSecretList) {
    throw new TypeError("verifyWebhook: secrets must be a string or an array of strings");
  }
  if (now !== undefined && typeof now !== "function")
    throw new TypeError("verifyWebhook: now must be a function");
  if (!Number.isSafeInteger(bodyLimit) || bodyLimit < 0) {
    throw new TypeError("verifyWebhook: bodyLimit must be a non-negative integer");
  }
  const verify = WEBHOOK_VERIFIERS[provider];
  const deliveries = new WeakMap<RouteRequest, WebhookDeliveries[Provider]>();

  const hook = async ({ request }: { request: RouteRequest }): Promise<void> => {
    const body = request.rawBody ?? new Uint8Array();
    // The route's own limit may be larger than the provider's.
    if (body.byteLength > bodyLimit) {
      throw new HttpError("PAYLOAD_TOO_LARGE", `Request body exceeds the limit of ${bodyLimit} bytes`);
    }
    const result = await verify(body, request.raw.headers, { secrets: secrets ?? [], now: now?.() });
    if (!result.ok) throw webhookFailureToHttpError(result);
    deliveries.set(request, result as WebhookDeliveries[Provider]);
  };

  const delivery = (request: RouteRequest): WebhookDeliveries[Provider] => {
    const verified = deliveries.get(request);
    if (verified === undefined) {
      throw new HttpError(
        "NOT_CONFIGURED",
        `No verified ${provider} webhook for this request: pass the hook in the route's onRequest`,
      );
    }
    return verified;
  };

  return Object.assign(hook, { provider, bodyLimit, delivery });
}
