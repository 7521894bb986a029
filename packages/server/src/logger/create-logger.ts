import { type Logger, pino, stdSerializers } from "pino";
import {
  LOG_REDACT_PATHS,
  REDACTED,
  redactHeaders,
  redactQuery,
  redactTokens,
  redactUrl,
} from "./redaction.js";
import { serializeRequest } from "./serialize-request.js";

const redact = { paths: [...LOG_REDACT_PATHS], censor: REDACTED };
// `url` and `query` too: handlers log `{ url: request.url }` and `{ query: request.query }`, and
// app-proxy signatures and OAuth codes travel in the query string.
const serializers = {
  request: serializeRequest,
  req: serializeRequest,
  url: (url: unknown) => (typeof url === "string" ? redactUrl(url) : url),
  query: redactQuery,
  // By name pattern as well as by list (the `redact` paths know only listed names), and a `Headers`
  // object as its entries rather than `{}`.
  headers: (headers: unknown) => {
    if (headers instanceof Headers) return redactHeaders(Object.fromEntries(headers));
    if (typeof headers !== "object" || headers === null || Array.isArray(headers)) return headers;
    return redactHeaders(headers as Record<string, unknown>);
  },
  // Every string of the serialized error, nested ones included (an AggregateError's errors, a
  // library's wrapped original), without a token.
  err: (error: unknown) => withoutTokens(stdSerializers.err(error as Error)),
};

/** `value` with the tokens in its strings redacted, a few levels deep. */
function withoutTokens(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactTokens(value);
  if (typeof value !== "object" || value === null || depth > 4) return value;
  if (Array.isArray(value)) return value.map((item) => withoutTokens(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = withoutTokens(item, depth + 1);
  return copy;
}

/**
 * The level of the default logger: `LOG_LEVEL` when it names one of pino's levels or `silent`
 * (`debug` shows the `logger.debug` lines handlers write), else `info`.
 *
 * @example
 * defaultLogLevel({ LOG_LEVEL: "debug" }); // "debug"
 */
export function defaultLogLevel(env: Record<string, string | undefined> = process.env): string {
  const level = env.LOG_LEVEL?.trim().toLowerCase();
  return level !== undefined && (level === "silent" || Object.hasOwn(pino.levels.values, level))
    ? level
    : "info";
}

/**
 * The logger routes log through: `base` (or a new pino logger writing JSON to stdout at
 * {@link defaultLogLevel}: `LOG_LEVEL`, else `info`) with header redaction and the `request`
 * serializer applied. Created once per route definition;
 * each request then takes a cheap `child({ requestId })`.
 *
 * pino replaces, rather than merges, redaction in a child logger, so a `redact` setting on `base`
 * does not apply to route logs; serializers on `base` are kept.
 *
 * @example
 * const logger = createLogger(pino({ level: "debug" }));
 * logger.child({ requestId: "abc" }).info({ request }, "incoming");
 */
export function createLogger(base?: Logger): Logger {
  const root = base ?? pino({ level: defaultLogLevel() });
  const logger = root.child({}, { redact, serializers });
  lineLoggers.set(logger, root);
  return logger;
}

/** For each logger {@link createLogger} made, the logger it was made from. */
const lineLoggers = new WeakMap<Logger, Logger>();

/**
 * The logger to write request lines to: for one made by {@link createLogger}, the logger it was
 * made from (the app's own, with whatever redaction the app set), else `logger` itself. Only for
 * lines whose every field is known to hold no secret.
 *
 * @example
 * lineLoggerOf(routeLogger).info({ requestId, status }, "request completed");
 */
export function lineLoggerOf(logger: Logger): Logger {
  return lineLoggers.get(logger) ?? logger;
}
