import { HttpError } from "../errors/http-error.js";
import type { OnRequestHook, RouteRequest } from "../route/types.js";
import {
  APP_PROXY_TOLERANCE_SECONDS,
  type AppProxyFailureReason,
  type AppProxyRequestInfo,
  normalizeSecrets,
  verifyAppProxyRequest,
} from "./verify-app-proxy-request.js";

/** What {@link appProxyContext} gives a handler behind {@link appProxy}. */
export type AppProxyContext = Pick<AppProxyRequestInfo, "shop" | "customerId" | "pathPrefix">;

/** Options of {@link appProxy}; validated when the hook is made. */
export interface AppProxyOptions {
  /** The app's API secret keys, newest first: an array or a comma-separated string. Required. */
  secrets: string | readonly string[];
  /** Seconds the signed `timestamp` may be from the server's clock. Default: {@link APP_PROXY_TOLERANCE_SECONDS}. */
  tolerance?: number;
}

// Keyed on the untouched Web `Request`: the route context's `request` keeps its shape (its `query`
// stays what the seed code reads), the lookup is typed, and the entry goes when the request does.
const verifiedRequests = new WeakMap<Request, AppProxyContext>();

/** Reasons that say the clock, not the signature, is off: logged as `STALE_TIMESTAMP`. */
const CLOCK_REASONS: ReadonlySet<AppProxyFailureReason> = new Set(["stale_timestamp"]);

/**
 * An `onRequest` hook that lets through only requests Shopify signed for the app proxy. Anything
 * else is refused with a plain 401 before later hooks and the handler run; why goes to the
 * request's log, never to the caller. The handler reads the shop and customer with
 * {@link appProxyContext}; `request.query` is left as it came.
 *
 * @example
 * export const GET = route(
 *   async ({ request, reply }) => {
 *     const { shop, customerId } = appProxyContext(request);
 *     await reply.send({ shop, customerId });
 *   },
 *   { onRequest: appProxy({ secrets: process.env.SHOPIFY_API_SECRET! }) },
 * );
 */
export function appProxy({
  secrets,
  tolerance = APP_PROXY_TOLERANCE_SECONDS,
}: AppProxyOptions): OnRequestHook {
  const keys = normalizeSecrets(secrets);
  if (keys.length === 0) throw new TypeError("appProxy: `secrets` needs at least one non-empty key");
  if (typeof tolerance !== "number" || !(tolerance >= 0)) {
    throw new TypeError(`appProxy: \`tolerance\` must be a number of seconds >= 0, got ${String(tolerance)}`);
  }
  return ({ request }) => {
    requireAppProxySignature(request.raw, { secrets: keys, tolerance });
  };
}

/**
 * Verifies a proxied request and remembers what it carried for {@link appProxyContext}; throws the
 * plain 401 {@link appProxy} answers with. Shared by the hook and `shopifyApp().proxyContext`.
 */
export function requireAppProxySignature(
  raw: Request,
  options: { secrets: readonly string[]; tolerance: number },
): AppProxyContext {
  const result = verifyAppProxyRequest(raw, options);
  if (!result.ok) {
    const code = CLOCK_REASONS.has(result.reason) ? "STALE_TIMESTAMP" : "INVALID_SIGNATURE";
    // The route's error boundary logs the message and answers a plain 401 `UNAUTHORIZED`.
    throw new HttpError(code, `App proxy request refused: ${result.reason}`);
  }
  const { shop, customerId, pathPrefix } = result;
  const context = { shop, customerId, pathPrefix };
  verifiedRequests.set(raw, context);
  return context;
}

/**
 * The shop, customer and path prefix of a request that {@link appProxy} verified. Takes the route
 * context's `request` or its `raw` Web `Request`. Throws `NOT_CONFIGURED` (a 500) on a route
 * without the hook: that is a wiring bug, not a caller's fault.
 *
 * @example
 * const { shop, customerId } = appProxyContext(request);
 */
export function appProxyContext(request: RouteRequest | Request): AppProxyContext {
  const raw = "raw" in request ? request.raw : request;
  const context = verifiedRequests.get(raw);
  if (!context) throw new HttpError("NOT_CONFIGURED", "appProxyContext: this route has no appProxy() hook");
  return context;
}
