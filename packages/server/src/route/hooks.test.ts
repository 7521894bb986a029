import {
  HttpError,
  type OnRequestHook,
  type Reply,
  type RouteHandler,
  type RouteOptions,
  route,
} from "@sprocket/server";
import { pino } from "pino";
import { describe, expect, it } from "vitest";

const logger = pino({ level: "silent" });

describe("onRequest hooks and route.with", () => {
  it("runs shared hooks first, then per-route hooks, then the handler, all on the same context", async () => {
    const calls: string[] = [];
    const record =
      (name: string): OnRequestHook =>
      (context) => {
        calls.push(name);
        (context.request as { seenBy?: string[] }).seenBy = [...calls];
      };
    const appRoute = route.with({ logger, onRequest: record("app") }).with({ onRequest: [record("shop")] });
    const handler = appRoute(
      async ({ request, reply }) => {
        calls.push("handler");
        await reply.send((request as { seenBy?: string[] }).seenBy);
      },
      { onRequest: [record("route-1"), record("route-2")] },
    );
    const response = await handler(new Request("https://app.test/"));
    expect(calls).toEqual(["app", "shop", "route-1", "route-2", "handler"]);
    expect(await response.json()).toEqual(["app", "shop", "route-1", "route-2"]);
  });

  it("lets a hook answer early; later hooks and the handler do not run", async () => {
    const calls: string[] = [];
    const handler = route(
      async ({ reply }) => {
        calls.push("handler");
        await reply.send("handled");
      },
      {
        logger,
        onRequest: [
          async ({ request, reply }) => {
            calls.push("auth");
            if (!request.query.logged_in_customer_id)
              await reply.code(401).send({ error: { message: "Unauthorized" } });
          },
          () => {
            calls.push("second");
          },
        ],
      },
    );
    const response = await handler(new Request("https://app.test/proxy"));
    expect(response.status).toBe(401);
    expect(calls).toEqual(["auth"]);
    const allowed = await handler(new Request("https://app.test/proxy?logged_in_customer_id=5"));
    expect(await allowed.text()).toBe("handled");
  });

  it("lets a hook put its own logger, headers and ip on the context, as plain properties", async () => {
    const lines: Record<string, unknown>[] = [];
    const capture = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const handler = route(
      async ({ request, reply, logger: requestLogger }) => {
        requestLogger.info("handled");
        await reply.send({ shop: request.headers["x-shop"], ip: request.ip });
      },
      {
        logger: capture,
        onRequest: (context) => {
          context.logger = context.logger.child({ tenant: "acme" });
          (context.request as { headers: Record<string, string> }).headers = {
            ...context.request.headers,
            "x-shop": "acme.myshopify.com",
          };
          (context.request as { ip: string | undefined }).ip = "203.0.113.9";
        },
      },
    );
    const response = await handler(new Request("https://app.test/"));
    expect(await response.json()).toEqual({ shop: "acme.myshopify.com", ip: "203.0.113.9" });
    expect(lines.find((line) => line.msg === "handled")).toMatchObject({
      tenant: "acme",
      requestId: response.headers.get("x-request-id"),
    });
  });

  it("renders an HttpError thrown by a hook", async () => {
    const handler = route(async ({ reply }) => reply.send("unreachable"), {
      logger,
      onRequest: () => {
        throw new HttpError("FORBIDDEN", "Staff only");
      },
    });
    const response = await handler(new Request("https://app.test/"));
    expect(response.status).toBe(403);
    expect((await response.json()).error).toMatchObject({ code: "FORBIDDEN", message: "Staff only" });
  });

  it("lets per-route options override shared ones", async () => {
    const shared = route.with({ logger, bodyLimit: 4 });
    const strict = shared(async ({ reply }) => reply.send("ok"));
    const relaxed = shared(async ({ reply }) => reply.send("ok"), { bodyLimit: 100 });
    const body = () => new Request("https://app.test/", { method: "POST", body: "12345" });
    expect((await strict(body())).status).toBe(413);
    expect((await relaxed(body())).status).toBe(200);
  });

  it("rejects invalid options when the route is defined, not per request", () => {
    const handler = async () => undefined;
    expect(() => route(handler, { bodyLimit: -1 })).toThrow(/bodyLimit/);
    expect(() => route(handler, { bodyLimit: 1.5 })).toThrow(/bodyLimit/);
    expect(() => route(handler, { onRequest: ["nope"] as never })).toThrow(/onRequest/);
    expect(() => route(handler, { context: {} as never })).toThrow(/context/);
    expect(() => route("handler" as never)).toThrow(/handler function/);
    expect(() => route.with({ bodyLimit: Number.NaN })).toThrow(/bodyLimit/);
    expect(() => route.with({ schema: {} } as never)).toThrow(/schema/);
  });

  it("reads Gadget's `handler.options`: its hooks run, under the options route() is given", async () => {
    const calls: string[] = [];
    const handler: RouteHandler = async ({ reply }) => {
      calls.push("handler");
      await reply.send("secret data");
    };
    handler.options = {
      logger,
      onRequest: async ({ request, reply }) => {
        calls.push("own");
        if (request.headers.authorization !== "Bearer ok") await reply.code(401).send({ error: "no" });
      },
    };
    const POST = route(handler, {
      onRequest: () => {
        calls.push("given");
      },
    });
    const refused = await POST(new Request("https://app.test/", { method: "POST" }));
    expect(refused.status).toBe(401);
    expect(calls).toEqual(["own"]);
    const allowed = await POST(
      new Request("https://app.test/", { method: "POST", headers: { authorization: "Bearer ok" } }),
    );
    expect(await allowed.text()).toBe("secret data");
    expect(calls).toEqual(["own", "own", "given", "handler"]);
  });

  it("gives hooks the reply as their second argument, where Fastify's `(request, reply)` take it", async () => {
    // As JavaScript ported from a Fastify route would have it (the type declares the context only).
    const fastifyStyle = async (_request: unknown, reply: Reply) => {
      await reply.code(403).send({ error: "forbidden" });
    };
    const handler = route(async ({ reply }) => reply.send("handled"), {
      logger,
      onRequest: fastifyStyle as unknown as OnRequestHook,
    });
    const response = await handler(new Request("https://app.test/"));
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: "forbidden" });
  });

  it("fails at definition on an option it does not have, a typo or Fastify's other hooks, never skipping it", () => {
    const handler: RouteHandler = async ({ reply }) => reply.send("secret data");
    const options = (extra: Record<string, unknown>) => extra as RouteOptions;
    expect(() => route(handler, options({ preHandler: () => {} }))).toThrow(
      /no option "preHandler".*onRequest hook/,
    );
    expect(() => route(handler, options({ onReqest: () => {} }))).toThrow(/no option "onReqest"/);
    expect(() => route.with(options({ preValidation: () => {} }))).toThrow(TypeError);
    handler.options = options({ onRequest: () => {}, preHandler: () => {} });
    expect(() => route(handler)).toThrow(/no option "preHandler"/);
    // Gadget's JSON Schema `querystring`: not this toolkit's Standard Schema `query`.
    handler.options = options({ schema: { querystring: { type: "object" } } });
    expect(() => route(handler)).toThrow(/schema.querystring/);
  });

  it("waits for a later send when the handler returns the reply, as Fastify does", async () => {
    const handler = route(
      async ({ reply }) => {
        setTimeout(() => void reply.code(202).send({ later: true }), 5);
        return reply;
      },
      { logger },
    );
    const response = await handler(new Request("https://app.test/"));
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ later: true });
  });

  it("stops at a hook's unawaited send(error), as at any send: the handler never runs", async () => {
    const calls: string[] = [];
    const handler = route(
      async ({ reply }) => {
        calls.push("handler");
        await reply.send({ secret: 1 });
      },
      {
        logger,
        onRequest: ({ reply }) => {
          void reply.code(401).send(new Error("Unauthorized"));
        },
      },
    );
    const response = await handler(new Request("https://app.test/"));
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain("secret");
    expect(calls).toEqual([]);
  });

  it("answers `send(error); return reply` with the error, and stops waiting for a client that left", async () => {
    const errorThenReply = route(
      async ({ reply }) => {
        void reply.code(400).send(new Error("bad input"));
        return reply;
      },
      { logger },
    );
    const response = await errorThenReply(new Request("https://app.test/"));
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toBe("bad input");

    const client = new AbortController();
    const neverSends = route(async ({ reply }) => reply, { logger });
    const waiting = neverSends(new Request("https://app.test/", { signal: client.signal }));
    client.abort();
    expect((await waiting).status).toBe(499);
  });

  it("lays a handler's own options over route.with()'s: shared hooks first, its bodyLimit over the shared one", async () => {
    const calls: string[] = [];
    const shopRoute = route.with({ logger, bodyLimit: 10, onRequest: () => void calls.push("shared") });
    const handler: RouteHandler = async ({ request, reply }) => {
      calls.push("handler");
      await reply.send(request.body);
    };
    handler.options = { bodyLimit: 1_000, onRequest: () => void calls.push("own") };
    const POST = shopRoute(handler, { onRequest: () => void calls.push("given") });
    const response = await POST(
      new Request("https://app.test/", {
        method: "POST",
        body: "x".repeat(100),
        headers: { "content-type": "text/plain" },
      }),
    );
    expect(response.status).toBe(200);
    expect(calls).toEqual(["shared", "own", "given", "handler"]);
  });
});
