import { HttpError, type OnRequestHook, route } from "@sprocket/server";
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
});
