import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { Logger } from "pino";

// Untyped by default, like Gadget's route context: seed code reads `request.body as T` and
// `request.query.name` without declaring types first.
// biome-ignore lint/suspicious/noExplicitAny: the deliberate loose default for unvalidated input
type Loose = any;

/**
 * Types an app registers for the route context, by declaration merging:
 *
 * @example
 * declare module "@sprocket/server" {
 *   interface Register {
 *     api: typeof api;
 *     connections: { shopify: ShopifyConnection };
 *   }
 * }
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by apps through declaration merging
export interface Register {}

/** `Registry[Key]` when registered, else a loose `any`. */
export type FromRegister<Registry, Key extends PropertyKey> = Registry extends { [K in Key]: infer Value }
  ? Value
  : Loose;

/** The `api` of the route context: `Register["api"]` when registered, else `any`. */
export type RouteApi = FromRegister<Register, "api">;
/** The `connections` of the route context: `Register["connections"]` when registered, else `any`. */
export type RouteConnections = FromRegister<Register, "connections">;

/** Dynamic route segments, as Next.js passes them. */
export type RouteParams = Record<string, string | string[] | undefined>;

/** The second argument Next.js passes to an App Router route handler. */
export interface RouteSegmentContext {
  params: Promise<RouteParams>;
}

/** A Web-standard route handler, as exported from a Next.js `route.ts`. */
export type WebRouteHandler = (request: Request, context?: RouteSegmentContext) => Promise<Response>;

/** The request as the route context sees it: parsed, with the untouched Web `Request` in `raw`. */
export interface RouteRequest<Body = Loose, Query = Loose> {
  /** The original Web `Request`; its body is still unread. Abort signal: `raw.signal`. */
  readonly raw: Request;
  /** The request id, also sent back as `x-request-id`. */
  readonly id: string;
  /** The request's logger, as Fastify's `request.log`: the context's `logger`. */
  readonly log: Logger;
  readonly method: string;
  readonly url: string;
  /** Header names in lower case, values as sent (repeated headers joined with ", "). */
  readonly headers: Readonly<Record<string, string>>;
  /** The query string as a null-prototype object; repeated names become arrays. Replaced by the `schema.query` output. */
  query: Query;
  /** Dynamic route segments; `{}` when the route has none. */
  readonly params: RouteParams;
  /**
   * The last `x-forwarded-for` address (the one the proxy in front of the app received from: the
   * entries before it are the client's to write), else `x-real-ip`; `undefined` when neither is set.
   */
  readonly ip: string | undefined;
  /** The body parsed by content type; `undefined` when there is none. Replaced by the `schema.body` output. */
  body: Body;
  /** The exact bytes received, for signature checks; `undefined` for requests without a body. */
  readonly rawBody: Uint8Array | undefined;
}

/** A header value for {@link Reply.header}; an array sends the header once per item. */
export type HeaderValue = string | number | readonly string[];

/** Builds the response, Fastify style: `await reply.code(201).header("x-a", "1").send({ ok: true })`. */
export interface Reply {
  /** Whether `send` (or `redirect`) has been called. */
  readonly sent: boolean;
  /** The status the response will have. Default: 200. Assigning it is `code(value)`. */
  statusCode: number;
  /** Sets the status code (200-599; three digits as a string too, as Fastify takes them). */
  code(statusCode: number | string): Reply;
  /** Alias of {@link Reply.code}. */
  status(statusCode: number | string): Reply;
  /**
   * Sets a header; `set-cookie` is appended rather than replaced. `undefined` or `null` sets it
   * empty, as Fastify does.
   */
  header(name: string, value: HeaderValue | null | undefined): Reply;
  /** Sets several headers; `undefined` values are skipped. */
  headers(values: Readonly<Record<string, HeaderValue | undefined>>): Reply;
  /** A header set on this reply (repeated ones joined with ", "), or `undefined`. */
  getHeader(name: string): string | undefined;
  /** The headers set on this reply, names in lower case; `set-cookie` as a list. */
  getHeaders(): Record<string, string | string[]>;
  /** Whether a header is set on this reply. */
  hasHeader(name: string): boolean;
  /** Removes a header set on this reply. */
  removeHeader(name: string): Reply;
  /** Sets `content-type`. */
  type(contentType: string): Reply;
  /**
   * Sends the response. Strings go as text, bytes and streams as they are, async iterables are
   * streamed, a `Response` is sent with this reply's headers merged in, anything else as JSON.
   * Throws `REPLY_ALREADY_SENT` when called twice.
   *
   * An `Error` is an error reply, as in Fastify, answered as the route's boundary answers a thrown
   * error: with the reply's status when it is 400 or more, else the error's 4xx `statusCode` (or
   * `status`), else 500 (whose message stays in the log).
   *
   * A `DeferredResponse` body (such as `openAIResponseStream(...)` from `@sprocket/server/ai`) is
   * awaited: `send` resolves once it has produced its `Response`, or rejects with its error (an
   * `HttpError` the boundary renders) and leaves the reply unsent.
   */
  send(body?: unknown): Promise<Reply>;
  /**
   * Sends a redirect to `url`. Default status: 302. Fastify 4's order, `redirect(301, url)`, as
   * Gadget's routes write it, works too.
   */
  redirect(url: string | URL, statusCode?: number): Promise<Reply>;
  redirect(statusCode: number, url: string | URL): Promise<Reply>;
}

/** What a route handler receives. */
export interface RouteContext<Body = Loose, Query = Loose> {
  request: RouteRequest<Body, Query>;
  reply: Reply;
  /** pino child logger bound to this request's `requestId`. */
  logger: Logger;
  /** Provided by the `context` option; touching it when nothing provided it throws `NOT_CONFIGURED`. */
  api: RouteApi;
  /** Provided by the `context` option; touching it when nothing provided it throws `NOT_CONFIGURED`. */
  connections: RouteConnections;
}

/**
 * A Gadget-style route handler. It answers through `reply`, by returning a `Response`, or by
 * returning a value to send as the body.
 */
export type RouteHandler<Body = Loose, Query = Loose> = ((context: RouteContext<Body, Query>) => unknown) & {
  /**
   * Options set on the handler, as Gadget's route files do (`route.options = { ... }`), read by
   * `route()` under the ones it is given. Validated as its own: an option it does not have (a
   * Fastify hook such as `preHandler`) fails when the route is defined.
   */
  options?: RouteOptions;
};

/**
 * Runs before the handler with the same context (body parsed, not yet validated). It answers early
 * by calling `reply.send()` or throwing an `HttpError`; its return value is ignored. (The reply is
 * passed again as a second argument, so a JavaScript hook written Fastify's way, `(request,
 * reply)`, still answers through it.)
 */
export type OnRequestHook = (context: RouteContext) => unknown;

/** What a {@link ContextProvider} supplies. */
export interface ProvidedContext {
  api?: RouteApi;
  connections?: RouteConnections;
}

/** Supplies the per-request `api` and `connections` of the route context. */
export type ContextProvider = (args: {
  request: RouteRequest;
  logger: Logger;
}) => ProvidedContext | Promise<ProvidedContext>;

/** Which origins may call the route from a browser. */
export type CorsOrigin =
  | true
  | string
  | readonly string[]
  | RegExp
  | ((origin: string, request: Request) => boolean | Promise<boolean>);

/** Cross-origin settings. A Next.js route file answers preflights with `export const OPTIONS = POST`. */
export interface CorsOptions {
  /** `true` reflects any origin; `"*"` allows any origin without credentials; else the allowed origins. */
  origin: CorsOrigin;
  /** Methods allowed in preflights. Default: GET, HEAD, PUT, PATCH, POST, DELETE. */
  methods?: readonly string[];
  /** Headers allowed in preflights. Default: those the preflight asks for. */
  allowedHeaders?: readonly string[];
  /** Response headers scripts may read; `x-request-id` is always added. Default: none else. */
  exposedHeaders?: readonly string[];
  /** Whether to send `Access-Control-Allow-Credentials: true`. Default: false. */
  credentials?: boolean;
  /** Seconds a browser may cache a preflight answer. Default: not sent (browser default). */
  maxAge?: number;
}

/** Schemas (any Standard Schema v1, e.g. zod 4) validating the parsed body and query. */
export interface RouteSchema {
  body?: StandardSchemaV1;
  query?: StandardSchemaV1;
}

/** The output type of a schema, or `Fallback` when there is none. */
export type InferSchemaOutput<Schema, Fallback = Loose> = Schema extends StandardSchemaV1
  ? StandardSchemaV1.InferOutput<Schema>
  : Fallback;

/** The body type a route's schema produces; loose without a body schema. */
export type SchemaBody<Schema> = Schema extends { body: infer Body } ? InferSchemaOutput<Body> : Loose;
/** The query type a route's schema produces; loose without a query schema. */
export type SchemaQuery<Schema> = Schema extends { query: infer Query } ? InferSchemaOutput<Query> : Loose;

/** Options of {@link RouteFactory}; validated and defaulted when the route is defined. */
export interface RouteOptions<Schema extends RouteSchema = RouteSchema> {
  /** Hooks run in order before the handler. Shared hooks from `route.with()` run first. */
  onRequest?: OnRequestHook | readonly OnRequestHook[];
  /** Largest accepted body in bytes; larger ones get 413 `PAYLOAD_TOO_LARGE`. Default: 1 MiB. */
  bodyLimit?: number;
  /** Cross-origin settings. Default: no CORS headers, preflights reach the handler. */
  cors?: CorsOptions;
  /** Validates body and query after parsing; failures get 400 `VALIDATION_FAILED`. Not shareable. */
  schema?: Schema;
  /**
   * Supplies `api` and `connections` per request. Runs before the body is read (`request.body` is
   * `undefined` there), so a provider that refuses a request never reads its body. Default: none
   * (touching them throws).
   */
  context?: ContextProvider;
  /** Base pino logger. Default: pino JSON on stdout at `LOG_LEVEL` (default `info`). */
  logger?: Logger;
}

/** Options shared by every route of a `route.with()` factory. */
export type SharedRouteOptions = Omit<RouteOptions, "schema">;

/** Defines route handlers: `route(handler, options?)`, plus `route.with(shared)` for shared configuration. */
export interface RouteFactory {
  <Schema extends RouteSchema = Record<never, never>>(
    handler: RouteHandler<SchemaBody<Schema>, SchemaQuery<Schema>>,
    options?: RouteOptions<Schema>,
  ): WebRouteHandler;
  /** A `route` whose routes all start from `shared`: hooks run shared-first, other options are overridden per route. */
  with(shared: SharedRouteOptions): RouteFactory;
}
