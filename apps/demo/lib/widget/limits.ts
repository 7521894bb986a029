// How much the widget's visitors may ask: per token owner (a visitor, a customer) and per client
// address, counted in the database like the signed-in users' limit (lib/chat-limits.ts).
import { createRateLimiter, type RateLimiter } from "@sprocket/server/rate-limit";
import { config } from "../config";
import { db } from "../db";
import { createPrismaRateLimitStore } from "../rate-limit-store";

/**
 * Messages per minute from one address, as a multiple of CHAT_RATE_LIMIT: a shop's visitors may
 * share an address (an office, a mobile carrier's NAT), one visitor may not.
 */
export const WIDGET_ADDRESS_FACTOR = 3;
/** Widget tokens one address may be given per minute: a page load, a renewal every few minutes. */
export const WIDGET_TOKENS_PER_MINUTE = 30;
/**
 * Model API writes (chats, messages) widget visitors at one address may make per minute: the frame
 * makes one per conversation; anonymous visitors must not fill the database.
 */
export const WIDGET_WRITES_PER_MINUTE = 30;

interface WidgetLimiters {
  /** Messages per token owner per minute: CHAT_RATE_LIMIT. */
  owner: RateLimiter;
  /** Messages per client address per minute. */
  address: RateLimiter;
  /** Tokens issued per client address per minute. */
  tokens: RateLimiter;
  /** Model API writes by widget visitors per client address per minute. */
  writes: RateLimiter;
}

const globalForLimits = globalThis as { sprocketWidgetLimiters?: WidgetLimiters };

/** The widget's limiters, created on first use. */
export function widgetLimiters(): WidgetLimiters {
  if (!globalForLimits.sprocketWidgetLimiters) {
    const store = createPrismaRateLimitStore(db());
    const limit = config().chatRateLimit;
    globalForLimits.sprocketWidgetLimiters = {
      owner: createRateLimiter({ name: "widget-owner", limit, windowMs: 60_000, store }),
      address: createRateLimiter({
        name: "widget-address",
        limit: limit * WIDGET_ADDRESS_FACTOR,
        windowMs: 60_000,
        store,
      }),
      tokens: createRateLimiter({
        name: "widget-tokens",
        limit: WIDGET_TOKENS_PER_MINUTE,
        windowMs: 60_000,
        store,
      }),
      writes: createRateLimiter({
        name: "widget-writes",
        limit: WIDGET_WRITES_PER_MINUTE,
        windowMs: 60_000,
        store,
      }),
    };
  }
  return globalForLimits.sprocketWidgetLimiters;
}

/**
 * The client's address as the limiters count it. Requests without one (no proxy in front) share one
 * count rather than escaping the limit.
 *
 * @example
 * widgetLimiters().address.hook(({ request }) => addressKey(request.ip));
 */
export function addressKey(ip: string | undefined): string {
  return ip ?? "unknown";
}
