import { HttpError, isHttpError } from "../errors/http-error.js";
import { startRequestLog } from "../logger/request-log.js";
import { evaluateCors } from "./cors.js";
import { logError, renderError } from "./render-error.js";
import { createReply } from "./reply.js";
import {
  assertRouteOptions,
  mergeRouteOptions,
  type ResolvedRouteOptions,
  resolveRouteOptions,
} from "./resolve-options.js";
import { createRouteContext } from "./route-context.js";
import { createRouteRequest, readRouteBody } from "./route-request.js";
import type {
  Reply,
  RouteContext,
  RouteFactory,
  RouteHandler,
  RouteOptions,
  RouteSegmentContext,
  SharedRouteOptions,
  WebRouteHandler,
} from "./types.js";
import { validate } from "./validate.js";

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * A `route` whose routes all start from `shared` options; `route.with()` is the usual way in.
 *
 * @example
 * const shopRoute = createRouteFactory({ context: () => ({ api }) });
 */
export function createRouteFactory(shared: SharedRouteOptions): RouteFactory {
  assertRouteOptions(shared);
  if ("schema" in shared && shared.schema !== undefined) {
    throw new TypeError("route.with() does not take a schema: schemas belong to one route");
  }
  const define = (handler: RouteHandler, options: RouteOptions = {}): WebRouteHandler => {
    // Gadget's `route.options = { ... }` on the handler: over the shared options (whose hooks run
    // first), under the ones given to this call.
    const own = typeof handler === "function" ? handler.options : undefined;
    if (own !== undefined) assertRouteOptions(own);
    const perRoute = own === undefined ? options : mergeRouteOptions(own, options);
    return defineRoute(handler, mergeRouteOptions(shared, perRoute));
  };
  return Object.assign(define, {
    with: (more: SharedRouteOptions) => {
      assertRouteOptions(more);
      return createRouteFactory(mergeRouteOptions(shared, more));
    },
  }) as RouteFactory;
}

/**
 * Turns a Gadget-style handler into a Next.js App Router route handler
 * `(request, { params }) => Promise<Response>`. Options are validated here, once; each request
 * then gets a parsed `request`, a `reply`, a `logger` bound to its request id and the `api` and
 * `connections` from the `context` option. For CORS preflights, the route file also exports the
 * handler as `OPTIONS`.
 *
 * Per request: CORS, `context` provider (before the body is read, so it sees method, URL, headers
 * and query), body read and parsed, `onRequest` hooks, `schema` validation, handler. Whatever is thrown on the way is rendered by one error boundary.
 *
 * @example
 * // app/proxy/route.ts
 * import { route } from "@sprocket/server";
 *
 * export const POST = route(async ({ request, reply }) => {
 *   await reply.code(201).send({ received: request.body });
 * });
 * export const OPTIONS = POST;
 */
export const route: RouteFactory = createRouteFactory({});

function defineRoute(handler: RouteHandler, options: RouteOptions): WebRouteHandler {
  if (typeof handler !== "function") {
    throw new TypeError("route() takes the handler function as its first argument");
  }
  const config = resolveRouteOptions(options);
  return (request, segment) => handleRequest(request, segment, handler, config);
}

async function handleRequest(
  raw: Request,
  segment: RouteSegmentContext | undefined,
  handler: RouteHandler,
  config: ResolvedRouteOptions,
): Promise<Response> {
  const log = startRequestLog(raw, config.logger);
  const { requestId } = log;
  // The request's logger, read where something logs: made on first use, as most requests log only
  // their line. What handlers and bodies get: the logger, not the request's log line.
  const loggerSource = {
    get logger() {
      return log.logger;
    },
  };
  let corsHeaders: Headers | undefined;
  // The answer to an error, logged: the boundary's for a thrown one, and `reply.send(error)`'s.
  const answerError = (error: unknown): Response => {
    logError(log.logger, error);
    return renderError(error, { requestId, isProduction: config.isProduction });
  };

  // The one log line: when the Response is handed over, so a stream's when its status is committed.
  const handOver = (response: Response): Response => {
    const final = withRouteHeaders(response, requestId, corsHeaders);
    log.complete(final.status);
    return final;
  };

  const answer = async (): Promise<Response> => {
    if (config.cors) {
      const cors = await evaluateCors(config.cors, raw);
      corsHeaders = cors.headers;
      if (cors.preflight === "allowed") return new Response(null, { status: 204 });
      if (cors.preflight === "denied") throw new HttpError("CORS_ORIGIN_DENIED");
    }
    const request = createRouteRequest(raw, {
      id: requestId,
      params: (await segment?.params) ?? {},
      log: loggerSource,
    });
    // The provider runs before the body is read: one that refuses the request (an app proxy's
    // signature, a bearer token) answers without reading a byte of it.
    const provided =
      (await config.context?.({
        request,
        get logger() {
          return log.logger;
        },
      })) ?? {};
    await readRouteBody(request, config.bodyLimit);
    const { reply, ready, pendingSend } = createReply({
      method: raw.method,
      log: loggerSource,
      signal: raw.signal,
      renderError: answerError,
    });
    const context = createRouteContext({ request, reply, log: loggerSource, provided });

    const run = async (routeContext: RouteContext): Promise<unknown> => {
      for (const hook of config.onRequest) {
        // The reply again as a second argument, where Fastify's hooks take it.
        await (hook as (context: RouteContext, reply: Reply) => unknown)(routeContext, reply);
        if (reply.sent) return undefined;
      }
      const { body, query } = config.schema;
      if (body) request.body = await validate(body, request.body, "body");
      if (query) request.query = await validate(query, request.query, "query");
      return await handler(routeContext);
    };
    const settled: Promise<Outcome> = run(context).then(
      (value) => ({ ok: true, value }),
      (error: unknown) => ({ ok: false, error }),
    );
    // A streaming handler sends and keeps running: hand the Response over as soon as it exists.
    const first = await Promise.race([settled, ready]);
    if (reply.sent) {
      void settled.then((outcome) => {
        // The client already has its answer, so a later failure can only be logged. A double send
        // was logged where it happened.
        if (!outcome.ok && !(isHttpError(outcome.error) && outcome.error.code === "REPLY_ALREADY_SENT")) {
          log.logger.error({ err: outcome.error }, "Route handler failed after the response was sent");
        }
      });
      // Awaited rather than returned: a promise returned from an async function costs two more turns.
      return await ready;
    }
    const outcome = first as Outcome;
    if (!outcome.ok) throw outcome.error;
    // Shopify style `return new Response(...)`, sent as it is.
    if (outcome.value instanceof Response) return outcome.value;
    // A deferred body sent without `await`: its response, or its failure for the boundary.
    const sending = pendingSend();
    if (sending) {
      await sending;
      return ready;
    }
    // Fastify's `return reply`: the handler sends later (from a callback or an event). Waits for
    // that send, or for the client to go away.
    if (outcome.value === reply) return await untilSentOrAborted(ready, raw.signal);
    // Fastify's async-handler behaviour: a returned value is the body.
    if (outcome.value !== undefined) {
      await reply.send(outcome.value);
      return ready;
    }
    throw new HttpError(
      "NO_REPLY",
      "The route handler finished without calling reply.send() or returning a Response. " +
        "Answer every path, e.g. `return await reply.code(204).send()`.",
    );
  };

  try {
    return handOver(await answer());
  } catch (error) {
    try {
      return handOver(answerError(error));
    } catch (renderFailure) {
      // Details that cannot be serialised, or an invalid header on the error: the boundary must still answer.
      log.logger.error({ err: renderFailure }, "Could not render the error; answered a masked 500");
      return handOver(maskedServerError(requestId));
    }
  }
}

/** `ready`, or a 499 `CLIENT_CLOSED_REQUEST` (logged, never seen) once `signal` aborts first. */
function untilSentOrAborted(ready: Promise<Response>, signal: AbortSignal): Promise<Response> {
  const closed = new HttpError("CLIENT_CLOSED_REQUEST", "The client went away before the reply was sent");
  if (signal.aborted) return Promise.reject(closed);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(closed);
    signal.addEventListener("abort", onAbort, { once: true });
    ready.then((response) => {
      signal.removeEventListener("abort", onAbort);
      resolve(response);
    }, reject);
  });
}

function maskedServerError(requestId: string): Response {
  const error = { code: "INTERNAL_SERVER_ERROR", message: "Internal Server Error", requestId };
  return new Response(JSON.stringify({ error }), {
    status: 500,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}

/** Adds `x-request-id` and the CORS headers to any response, including ones with immutable headers. */
function withRouteHeaders(response: Response, requestId: string, corsHeaders: Headers | undefined): Response {
  const apply = (headers: Headers) => {
    headers.set("x-request-id", requestId);
    for (const [name, value] of corsHeaders ?? []) {
      if (name === "vary") appendVary(headers, value);
      else headers.set(name, value);
    }
  };
  // A Response without a body may be a constant the app returns from several routes: its
  // headers are this request's only on a copy (a body can be read once, so one with a body is not).
  if (response.body === null) {
    const copy = new Response(null, response);
    apply(copy.headers);
    return copy;
  }
  try {
    apply(response.headers);
    return response;
  } catch {
    // `Response.redirect()` and fetched responses have immutable headers: copy, keeping the body stream.
    const copy = new Response(response.body, response);
    apply(copy.headers);
    return copy;
  }
}

function appendVary(headers: Headers, value: string): void {
  const existing = headers.get("vary");
  const present = new Set(existing?.split(",").map((token) => token.trim().toLowerCase()));
  if (present.has("*")) return;
  const missing = value.split(",").filter((token) => !present.has(token.trim().toLowerCase()));
  if (missing.length > 0)
    headers.set("vary", [existing, ...missing.map((token) => token.trim())].filter(Boolean).join(", "));
}
