// How much one user may ask of the model: messages per minute, counted in the database so every
// app instance shares the count, and the size of one message.
import { createRateLimiter, type RateLimiter } from "@sprocket/server/rate-limit";
import { config } from "./config";
import { db } from "./db";
import { createPrismaRateLimitStore } from "./rate-limit-store";

export { MAX_MESSAGE_CHARACTERS } from "./message-limits";

/** The largest `POST /chat` body: the history the client sends along, in bytes. */
export const CHAT_BODY_LIMIT = 256 * 1024;

const globalForLimits = globalThis as { sprocketChatLimiter?: RateLimiter };

/** The per-user chat limiter, created on first use. */
export function chatLimiter(): RateLimiter {
  globalForLimits.sprocketChatLimiter ??= createRateLimiter({
    name: "chat",
    limit: config().chatRateLimit,
    windowMs: 60_000,
    store: createPrismaRateLimitStore(db()),
  });
  return globalForLimits.sprocketChatLimiter;
}
