import { isPlainObject } from "../_internal/is-plain-object.js";
import { HttpError } from "../errors/http-error.js";
import { route as defaultRoute } from "../route/route.js";
import type { RouteContext, RouteFactory, WebRouteHandler } from "../route/types.js";
import type { LiveFeed } from "./live-feed.js";
import { liveResponse } from "./live-response.js";
import { idFieldOf } from "./model-fields.js";
import type { ModelRegistry } from "./types.js";

const LIVE_PATH = "_live";

/** Options for {@link serveModels}. */
export interface ServeModelsOptions {
  /** The models, from `defineModels`: only these names are served. */
  models: ModelRegistry;
  /**
   * The route factory whose `context` provides the request's role-scoped `api` (from
   * `createModelApi(...).forIdentity(...)`). Default: `route`, whose `api` must then come from a hook.
   */
  route?: RouteFactory;
  /** The path the route file is mounted at. Default: "/api/models". */
  endpoint?: string;
  /**
   * Serves `GET {endpoint}/_live?models=chat,message`: server-sent events telling which models
   * changed, from `createMemoryFeed` or `createPostgresFeed`; or a function giving the feed on the
   * first request, for feeds that need settings a build step does not have. Default: none, and
   * that path is 404.
   */
  live?: LiveFeed | (() => LiveFeed);
}

/** The handlers a catch-all route file exports. */
export interface ModelHandlers {
  GET: WebRouteHandler;
  POST: WebRouteHandler;
  PATCH: WebRouteHandler;
  DELETE: WebRouteHandler;
}

/** The longest `query` parameter read: 16 KiB of JSON is far beyond any real filter. */
const MAX_QUERY_LENGTH = 16_384;

/**
 * Per-user answers: a shared cache must not keep them, a browser revalidates before reuse, and
 * anything that caches by URL must key on the credentials too.
 */
const READ_HEADERS = { "cache-control": "private, no-cache", vary: "Cookie, Authorization" } as const;
const WRITE_HEADERS = { "cache-control": "no-store" } as const;

/**
 * The model API over HTTP, for `@sprocket/react`'s hooks, with the same permission checks as the
 * server's `api` (it calls that `api`). Mount it as a catch-all route:
 *
 * - `GET {endpoint}/{model}?query={filter,sort,select,first,after,last,before}` → `{ data, pageInfo }`
 * - `GET {endpoint}/{model}/{id}?query={select}` → `{ data }`
 * - `POST {endpoint}/{model}` `{ data, select? }` → 201 `{ data }`
 * - `PATCH {endpoint}/{model}/{id}` `{ data, select? }` → `{ data }`
 * - `DELETE {endpoint}/{model}/{id}` → `{ data: { id } }`
 *
 * Reads carry a weak ETag and answer 304 to a matching `If-None-Match`. Writes need a JSON body,
 * and a cross-site write (by `Sec-Fetch-Site` or `Origin`) is refused unless it carries an
 * `Authorization` header (a credential another site cannot attach): never on the user's cookies.
 *
 * @example
 * // app/api/models/[...path]/route.ts
 * export const { GET, POST, PATCH, DELETE } = serveModels({ models, route: appRoute });
 */
export function serveModels({
  models,
  route = defaultRoute,
  endpoint = "/api/models",
  live,
}: ServeModelsOptions): ModelHandlers {
  if (!isPlainObject(models)) throw new TypeError("serveModels needs the models from defineModels");
  if (!endpoint.startsWith("/")) throw new TypeError(`endpoint must start with "/", got ${endpoint}`);
  const base = endpoint.replace(/\/+$/, "");
  const names = new Set(Object.keys(models));

  const handler = async (context: RouteContext): Promise<unknown> => {
    const { request, reply, api } = context;
    const segments = pathSegments(request.url, base);
    const [name, id, ...rest] = segments;
    if (name === LIVE_PATH && id === undefined && request.method === "GET" && live) {
      return serveLive(context, typeof live === "function" ? live() : live, models);
    }
    if (name === undefined || !names.has(name) || rest.length > 0) {
      throw new HttpError(
        "NOT_FOUND",
        name === undefined ? "No model given" : `No model named ${JSON.stringify(name)}`,
      );
    }
    const manager = (api as Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>)[name];
    if (!manager) throw new HttpError("NOT_CONFIGURED", "The route's api has no manager for this model");
    const method = request.method;
    if (method === "GET" || method === "HEAD") {
      const query = readQuery(request.url);
      if (id === undefined) {
        const list = (await manager.findMany?.(query)) as unknown[] & PageFields;
        const { hasNextPage, hasPreviousPage, startCursor, endCursor } = list;
        return sendRead(context, {
          data: [...list],
          pageInfo: { hasNextPage, hasPreviousPage, startCursor, endCursor },
        });
      }
      for (const key of Object.keys(query)) {
        if (key !== "select")
          throw new HttpError("INVALID_QUERY", `Unknown option "${key}"`, { details: { path: key } });
      }
      return sendRead(context, { data: await manager.findOne?.(id, query) });
    }
    reply.headers(WRITE_HEADERS);
    assertSameSite(request.raw);
    if (method === "DELETE" && id !== undefined) {
      await manager.delete?.(id);
      return reply.send({ data: { id } });
    }
    if ((method === "POST" && id === undefined) || (method === "PATCH" && id !== undefined)) {
      const { data, select } = readWriteBody(request.headers["content-type"], request.body);
      const row =
        method === "POST"
          ? await manager.create?.(data, { select })
          : await manager.update?.(id, data, { select });
      return reply.code(method === "POST" ? 201 : 200).send({ data: row });
    }
    const allowed = id === undefined ? "GET, HEAD, POST" : "GET, HEAD, PATCH, DELETE";
    throw new HttpError("METHOD_NOT_ALLOWED", undefined, { headers: { allow: allowed } });
  };

  const handle = route(handler);
  return { GET: handle, POST: handle, PATCH: handle, DELETE: handle };
}

interface PageFields {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/**
 * Opens a change stream after checking the caller may read each model asked for (one cheap query
 * per model, once per connection): a role hears nothing about models it cannot read.
 */
async function serveLive(context: RouteContext, feed: LiveFeed, models: ModelRegistry): Promise<Response> {
  const { request, api } = context;
  const requested = (new URL(request.url).searchParams.get("models") ?? "").split(",").filter(Boolean);
  if (requested.length === 0)
    throw new HttpError("BAD_REQUEST", "Name the models to watch: ?models=chat,message");
  for (const model of requested) {
    const spec = Object.hasOwn(models, model) ? models[model] : undefined;
    if (!spec) throw new HttpError("NOT_FOUND", `No model named ${JSON.stringify(model)}`);
    const manager = (api as Record<string, { maybeFindFirst(options: object): Promise<unknown> }>)[model];
    // A read of one row's id (by the model's id field, whatever its name): refused when the role
    // may not read the model.
    await manager?.maybeFindFirst({ select: { [idFieldOf(spec) ?? "id"]: true } });
  }
  return liveResponse(feed, { models: new Set(requested), signal: request.raw.signal });
}

function pathSegments(url: string, base: string): string[] {
  const { pathname } = new URL(url);
  if (pathname !== base && !pathname.startsWith(`${base}/`)) {
    throw new HttpError("NOT_FOUND", "This route is mounted at another path than its endpoint option says");
  }
  try {
    return pathname
      .slice(base.length)
      .split("/")
      .filter((segment) => segment !== "")
      .map((segment) => decodeURIComponent(segment));
  } catch {
    throw new HttpError("BAD_REQUEST", "Malformed path");
  }
}

function readQuery(url: string): Record<string, unknown> {
  const raw = new URL(url).searchParams.get("query");
  if (raw === null || raw === "") return {};
  if (raw.length > MAX_QUERY_LENGTH) {
    throw new HttpError("INVALID_QUERY", `The query is longer than ${MAX_QUERY_LENGTH} characters`);
  }
  let query: unknown;
  try {
    query = JSON.parse(raw);
  } catch {
    throw new HttpError("INVALID_QUERY", "The query parameter is not valid JSON", {
      details: { path: "query" },
    });
  }
  if (!isPlainObject(query)) {
    throw new HttpError("INVALID_QUERY", "The query parameter must be a JSON object", {
      details: { path: "query" },
    });
  }
  return query;
}

function readWriteBody(contentType: string | undefined, body: unknown): { data: unknown; select: unknown } {
  // A JSON content type cannot be sent cross-origin without a CORS preflight, which is what keeps
  // forms on other sites from writing with the user's cookies.
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") {
    throw new HttpError("UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json");
  }
  if (!isPlainObject(body) || !Object.hasOwn(body, "data")) {
    throw new HttpError("VALIDATION_FAILED", "Expected a body of the form { data, select? }", {
      details: [{ path: "data", message: "Required" }],
    });
  }
  for (const key of Object.keys(body)) {
    if (key !== "data" && key !== "select") {
      throw new HttpError("VALIDATION_FAILED", `Unknown key "${key}"`, {
        details: [{ path: key, message: "Unknown key" }],
      });
    }
  }
  return { data: body.data, select: body.select };
}

/**
 * Refuses cookie-authenticated writes a browser marks as coming from another site, and those whose
 * Origin is another host. A request with an `Authorization` header carries its own credential,
 * which another site cannot attach, so it is not a forgery risk.
 */
function assertSameSite(request: Request): void {
  if (request.headers.has("authorization")) return;
  const site = request.headers.get("sec-fetch-site");
  if (site === "cross-site" || site === "same-site")
    throw new HttpError("FORBIDDEN", "Cross-site writes are refused");
  const origin = request.headers.get("origin");
  if (!origin) return;
  const host =
    request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? new URL(request.url).host;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new HttpError("FORBIDDEN", "Cross-site writes are refused");
  }
  if (originHost !== host) throw new HttpError("FORBIDDEN", "Cross-site writes are refused");
}

async function sendRead(context: RouteContext, payload: unknown): Promise<unknown> {
  const { request, reply } = context;
  const body = JSON.stringify(payload);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body));
  const etag = `W/"${[...new Uint8Array(digest, 0, 16)].map((byte) => byte.toString(16).padStart(2, "0")).join("")}"`;
  reply.headers({ ...READ_HEADERS, etag });
  const ifNoneMatch = request.headers["if-none-match"];
  if (ifNoneMatch?.split(",").some((tag) => tag.trim() === etag)) return reply.code(304).send();
  return reply.type("application/json; charset=utf-8").send(body);
}
