import { type CorsOptions, route } from "@sprocket/server";
import { pino } from "pino";
import { describe, expect, it } from "vitest";

const logger = pino({ level: "silent" });
const SHOP = "https://shop.example";

function corsRoute(cors: CorsOptions) {
  return route(async ({ reply }) => reply.header("vary", "Accept-Encoding").send({ ok: true }), {
    logger,
    cors,
  });
}

const preflight = (origin: string, requestHeaders?: string) =>
  new Request("https://app.test/api", {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      ...(requestHeaders ? { "access-control-request-headers": requestHeaders } : {}),
    },
  });

describe("cors", () => {
  it("answers an allowed preflight with 204 and the allow headers, without running the handler", async () => {
    let handlerRan = false;
    const handler = route(
      async ({ reply }) => {
        handlerRan = true;
        await reply.send();
      },
      { logger, cors: { origin: [SHOP], credentials: true, maxAge: 600 } },
    );
    const response = await handler(preflight(SHOP, "content-type, x-shop"));
    expect(handlerRan).toBe(false);
    expect(response.status).toBe(204);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      "access-control-allow-origin": SHOP,
      "access-control-allow-credentials": "true",
      "access-control-allow-methods": "GET, HEAD, PUT, PATCH, POST, DELETE",
      "access-control-allow-headers": "content-type, x-shop",
      "access-control-max-age": "600",
      vary: "Origin, Access-Control-Request-Headers",
    });
    expect(response.headers.get("x-request-id")).toBeTruthy();
  });

  it("uses configured methods and allowed headers", async () => {
    const response = await corsRoute({ origin: true, methods: ["post"], allowedHeaders: ["content-type"] })(
      preflight(SHOP, "x-anything"),
    );
    expect(response.headers.get("access-control-allow-methods")).toBe("POST");
    expect(response.headers.get("access-control-allow-headers")).toBe("content-type");
    expect(response.headers.get("vary")).toBe("Origin");
  });

  it("denies a preflight from another origin with 403 CORS_ORIGIN_DENIED", async () => {
    const response = await corsRoute({ origin: SHOP })(preflight("https://evil.example"));
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe("CORS_ORIGIN_DENIED");
    expect(response.headers.has("access-control-allow-origin")).toBe(false);
    expect(response.headers.get("vary")).toBe("Origin");
  });

  it("adds allow-origin, credentials and exposed headers to actual requests from allowed origins", async () => {
    const handler = corsRoute({
      origin: /^https:\/\/[a-z]+\.example$/,
      credentials: true,
      exposedHeaders: ["x-total"],
    });
    const response = await handler(
      new Request("https://app.test/api", { method: "POST", headers: { origin: SHOP } }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe(SHOP);
    expect(response.headers.get("access-control-allow-credentials")).toBe("true");
    expect(response.headers.get("access-control-expose-headers")).toBe("x-total, x-request-id");
    expect(response.headers.get("vary")).toBe("Accept-Encoding, Origin");
  });

  it("adds no CORS headers for disallowed origins, but still varies on Origin", async () => {
    const handler = corsRoute({ origin: async (origin) => origin === SHOP });
    const response = await handler(
      new Request("https://app.test/api", { headers: { origin: "https://evil.example" } }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.has("access-control-allow-origin")).toBe(false);
    expect(response.headers.has("access-control-expose-headers")).toBe(false);
    expect(response.headers.get("vary")).toBe("Accept-Encoding, Origin");
  });

  it("reflects any origin with origin: true but not the opaque origin null", async () => {
    const handler = corsRoute({ origin: true });
    const reflected = await handler(new Request("https://app.test/api", { headers: { origin: SHOP } }));
    expect(reflected.headers.get("access-control-allow-origin")).toBe(SHOP);
    const opaque = await handler(new Request("https://app.test/api", { headers: { origin: "null" } }));
    expect(opaque.headers.has("access-control-allow-origin")).toBe(false);
  });

  it("sends * without Vary for origin: '*'", async () => {
    const response = await corsRoute({ origin: "*" })(
      new Request("https://app.test/api", { headers: { origin: SHOP } }),
    );
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("vary")).toBe("Accept-Encoding");
  });

  it("adds CORS headers to error responses too", async () => {
    const handler = route(
      () => {
        throw new Error("boom");
      },
      { logger, cors: { origin: SHOP } },
    );
    const response = await handler(new Request("https://app.test/api", { headers: { origin: SHOP } }));
    expect(response.status).toBe(500);
    expect(response.headers.get("access-control-allow-origin")).toBe(SHOP);
  });

  it("keeps a Response the app shares between routes free of any one request's headers", async () => {
    const NOT_FOUND = new Response(null, { status: 404 });
    const sent = route(async ({ reply }) => reply.send(NOT_FOUND), {
      logger,
      cors: { origin: [SHOP], credentials: true },
    });
    const returned = route(async () => NOT_FOUND, { logger, cors: { origin: [SHOP], credentials: true } });
    const plain = route(async ({ reply }) => reply.send(NOT_FOUND), { logger });
    const fromShop = () => new Request("https://app.test/api", { headers: { origin: SHOP } });
    for (const handler of [sent, returned]) {
      const response = await handler(fromShop());
      expect(response.status).toBe(404);
      expect(response.headers.get("access-control-allow-origin")).toBe(SHOP);
    }
    const other = await plain(
      new Request("https://app.test/api", { headers: { origin: "https://evil.example" } }),
    );
    expect(other.status).toBe(404);
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    expect(other.headers.get("access-control-allow-credentials")).toBeNull();
    expect([...NOT_FOUND.headers]).toEqual([]);
  });

  it("rejects invalid CORS options when the route is defined", () => {
    const handler = async () => undefined;
    expect(() => route(handler, { cors: { origin: "*", credentials: true } })).toThrow(TypeError);
    expect(() => route(handler, { cors: { origin: "https://shop.example/" } })).toThrow(/origins like/);
    expect(() => route(handler, { cors: { origin: [] } })).toThrow(TypeError);
    expect(() => route(handler, { cors: { origin: true, maxAge: -1 } })).toThrow(TypeError);
  });
});
