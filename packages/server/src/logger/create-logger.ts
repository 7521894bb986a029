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

/**
 * pino's redaction of the listed sensitive headers, at the top level and one level down, in every
 * place pino writes (the logged object, a child's bindings, objects interpolated with `%j`, a
 * value's `toJSON`). It costs: with wildcard paths pino runs it over every value of every line,
 * about 22 µs of CPU for a line with a nested object against 0.8 µs without
 * (`bench/logger.bench.ts`). A faster design (serializers and the formatter below alone) was tried
 * and left: it missed a child's bindings, `%j` interpolation, values with `toJSON` and circular
 * objects, which this covers.
 */
const redact = { paths: [...LOG_REDACT_PATHS], censor: REDACTED };

// `url` and `query` too: handlers log `{ url: request.url }` and `{ query: request.query }`, and
// app-proxy signatures and OAuth codes travel in the query string.
const serializers = {
  request: serializeRequest,
  req: serializeRequest,
  url: (url: unknown) => (typeof url === "string" ? redactUrl(url) : url),
  query: redactQuery,
  headers: redactedHeaders,
  // Every string of the serialized error, nested ones included (an AggregateError's errors, a
  // library's wrapped original), without a token.
  err: (error: unknown) => withoutTokens(stdSerializers.err(error as Error)),
};

/** `headers` with sensitive values redacted, by name and by pattern; a `Headers` object as its entries rather than `{}`. */
function redactedHeaders(headers: unknown): unknown {
  if (headers instanceof Headers) return redactHeaders(Object.fromEntries(headers));
  if (typeof headers !== "object" || headers === null || Array.isArray(headers)) return headers;
  return redactHeaders(headers as Record<string, unknown>);
}

/** `value` with the tokens in its strings and its `headers` objects redacted, a few levels deep. */
function withoutTokens(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactTokens(value);
  if (typeof value !== "object" || value === null || depth > 4) return value;
  if (Array.isArray(value)) return value.map((item) => withoutTokens(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = withoutTokens(key === "headers" ? redactedHeaders(item) : item, depth + 1);
  }
  return copy;
}

/**
 * The logged object with the `headers` one level down redacted (`{ response: { headers } }`,
 * `{ upstream: error }` whose `headers` a library set). Keys with a serializer (`serialized`: the
 * top level's `headers`, the request, errors, and the app's own, whose output is redacted the same
 * way) are left to it, as is a value with `toJSON`. A copy is made only when something is redacted.
 *
 * On top of pino's `redact` paths (which know only the listed names, in lower case): names
 * matched by pattern and in any case, as the top-level serializer matches them.
 */
function redactNestedHeaders(logged: object, serialized: ReadonlySet<string>): object {
  const object = logged as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key in object) {
    if (serialized.has(key)) continue;
    const value = object[key];
    const redacted = withHeadersRedacted(value);
    if (redacted === value) continue;
    copy ??= { ...object };
    copy[key] = redacted;
  }
  return copy ?? object;
}

/**
 * `value` with its `headers` redacted, as a copy of its own enumerable properties (what
 * JSON.stringify would write); `value` itself when it has no `headers` object, is an array, or
 * serializes itself (`toJSON`).
 */
function withHeadersRedacted(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return value;
  const headers = (value as { headers?: unknown }).headers;
  if (typeof headers !== "object" || headers === null) return value;
  return { ...value, headers: redactedHeaders(headers) };
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
 * Serializers and a log formatter on `base` are kept. pino replaces, rather than merges, redaction
 * in a child logger, so a `redact` setting on `base` does not apply to route logs: give such paths
 * as serializers, which children keep.
 *
 * @example
 * const logger = createLogger(pino({ level: "debug" }));
 * logger.child({ requestId: "abc" }).info({ request }, "incoming");
 */
export function createLogger(base?: Logger): Logger {
  const root = base ?? pino({ level: defaultLogLevel() });
  // The app's own log formatter, if any, runs first.
  const internals = root as unknown as Record<symbol, unknown>;
  const own = (internals[pino.symbols.formattersSym] as { log?: (object: object) => object } | undefined)
    ?.log;
  // The app's own serializers (pino's `res`, say, which writes the response's headers) keep
  // working, their output's `headers` redacted; the toolkit's replace the app's for the same keys.
  const appSerializers = (internals[pino.symbols.serializersSym] ?? {}) as Record<
    string,
    (value: unknown) => unknown
  >;
  const routeSerializers: Record<string, (value: unknown) => unknown> = { ...serializers };
  for (const [key, serialize] of Object.entries(appSerializers)) {
    if (!(key in routeSerializers)) routeSerializers[key] = (value) => withHeadersRedacted(serialize(value));
  }
  // The error key too (`err`, or the app's `errorKey`): its serializer needs the Error itself.
  const errorKey = (internals[pino.symbols.errorKeySym] as string | undefined) ?? "err";
  const serialized = new Set([...Object.keys(routeSerializers), errorKey]);
  const log = (object: object) => redactNestedHeaders(own ? own(object) : object, serialized);
  const logger = root.child({}, { redact, serializers: routeSerializers, formatters: { log } });
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
