import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { Logger } from "pino";
import { createLogger } from "../logger/create-logger.js";
import { type ResolvedCors, resolveCors } from "./cors.js";
import type {
  ContextProvider,
  OnRequestHook,
  RouteOptions,
  RouteSchema,
  SharedRouteOptions,
} from "./types.js";

/** 1 MiB: ample for JSON and webhook payloads; uploads should raise it per route. */
export const DEFAULT_BODY_LIMIT = 1_048_576;

const ROUTE_OPTION_NAMES: ReadonlySet<string> = new Set([
  "onRequest",
  "bodyLimit",
  "cors",
  "schema",
  "context",
  "logger",
] satisfies (keyof RouteOptions)[]);

const FASTIFY_HOOKS: ReadonlySet<string> = new Set([
  "preParsing",
  "preValidation",
  "preHandler",
  "preSerialization",
  "onSend",
  "onResponse",
  "onError",
  "onTimeout",
  "onRequestAbort",
]);

/** Route options validated and defaulted, ready for every request. */
export interface ResolvedRouteOptions {
  onRequest: readonly OnRequestHook[];
  bodyLimit: number;
  cors: ResolvedCors | undefined;
  schema: RouteSchema;
  context: ContextProvider | undefined;
  logger: Logger;
  isProduction: boolean;
}

/**
 * `own` laid over `shared`: `onRequest` hooks concatenated shared-first, any other option given
 * per route replaces the shared one.
 *
 * @example
 * mergeRouteOptions({ onRequest: authenticate }, { onRequest: audit, bodyLimit: 10_000 });
 */
export function mergeRouteOptions<Options extends RouteOptions>(
  shared: SharedRouteOptions,
  own: Options,
): Options {
  const merged: Record<string, unknown> = { ...shared };
  for (const [name, value] of Object.entries(own)) {
    if (value !== undefined) merged[name] = value;
  }
  merged.onRequest = [...toHooks(shared.onRequest), ...toHooks(own.onRequest)];
  return merged as Options;
}

/**
 * Throws a `TypeError` naming the first invalid option: a typo fails when the route module loads,
 * not on the first request.
 *
 * @example
 * assertRouteOptions({ bodyLimit: -1 }); // throws
 */
export function assertRouteOptions(options: unknown): asserts options is RouteOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("route options must be an object");
  }
  for (const name of Object.keys(options)) {
    if (ROUTE_OPTION_NAMES.has(name)) continue;
    // Fastify's other hooks and options (Gadget's `route.options` takes them) would otherwise be
    // skipped without a word: an auth check in `preHandler` would let every request through.
    throw new TypeError(
      `route() has no option ${JSON.stringify(name)}; it takes ${[...ROUTE_OPTION_NAMES].join(", ")}` +
        (FASTIFY_HOOKS.has(name) ? ` (run ${name}'s work in an onRequest hook)` : ""),
    );
  }
  const { onRequest, bodyLimit, cors, schema, context, logger } = options as Record<string, unknown>;
  if (
    onRequest !== undefined &&
    !isFunction(onRequest) &&
    !(Array.isArray(onRequest) && onRequest.every(isFunction))
  ) {
    throw new TypeError("onRequest must be a function or an array of functions");
  }
  if (bodyLimit !== undefined && !(Number.isSafeInteger(bodyLimit) && (bodyLimit as number) >= 0)) {
    throw new TypeError(`bodyLimit must be a whole number of bytes, got ${String(bodyLimit)}`);
  }
  if (cors !== undefined && (typeof cors !== "object" || cors === null || !("origin" in cors))) {
    throw new TypeError("cors must be an object with an origin");
  }
  if (schema !== undefined) {
    if (typeof schema !== "object" || schema === null) throw new TypeError("schema must be an object");
    for (const [target, value] of Object.entries(schema)) {
      if (target !== "body" && target !== "query") {
        throw new TypeError(`schema.${target} is not supported; use schema.body or schema.query`);
      }
      if (value !== undefined && !isStandardSchema(value)) {
        throw new TypeError(`schema.${target} must be a Standard Schema (zod 4, valibot, arktype, ...)`);
      }
    }
  }
  if (context !== undefined && !isFunction(context)) {
    throw new TypeError("context must be a function returning { api?, connections? }");
  }
  if (logger !== undefined && !(typeof logger === "object" && logger !== null && "child" in logger)) {
    throw new TypeError("logger must be a pino logger");
  }
}

/**
 * Validates `options` and fills in defaults; creates the route's logger and CORS header values once.
 *
 * @example
 * const resolved = resolveRouteOptions({ bodyLimit: 64 * 1024 });
 */
export function resolveRouteOptions(options: RouteOptions): ResolvedRouteOptions {
  assertRouteOptions(options);
  const { onRequest, bodyLimit = DEFAULT_BODY_LIMIT, cors, schema = {}, context, logger } = options;
  return {
    onRequest: toHooks(onRequest),
    bodyLimit,
    cors: cors === undefined ? undefined : resolveCors(cors),
    schema,
    context,
    logger: createLogger(logger),
    isProduction: typeof process !== "undefined" && process.env.NODE_ENV === "production",
  };
}

function toHooks(onRequest: RouteOptions["onRequest"]): readonly OnRequestHook[] {
  if (onRequest === undefined) return [];
  return typeof onRequest === "function" ? [onRequest] : onRequest;
}

function isFunction(value: unknown): boolean {
  return typeof value === "function";
}

function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  const standard = (value as Partial<StandardSchemaV1> | null)?.["~standard"];
  return typeof standard === "object" && standard !== null && typeof standard.validate === "function";
}
