import { HttpError, route } from "@sprocket/server";
import { pino } from "pino";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { FromRegister } from "./types.js";

const logger = pino({ level: "silent" });

describe("api and connections", () => {
  it("answers NOT_CONFIGURED (500) naming the slot when a handler uses api without a provider", async () => {
    const handler = route(async ({ api, reply }) => reply.send(await api.widget.findMany()), { logger });
    const response = await handler(new Request("https://app.test/"));
    expect(response.status).toBe(500);
    const { error } = await response.json();
    expect(error.code).toBe("NOT_CONFIGURED");
    expect(error.message).toContain("`api` is not configured");
    expect(error.message).toContain("context");
  });

  it("answers NOT_CONFIGURED for connections too, but destructuring alone is harmless", async () => {
    const unused = route(
      async ({ reply, api, connections }) => reply.send({ ok: Boolean(api && connections) }),
      {
        logger,
      },
    );
    expect((await unused(new Request("https://app.test/"))).status).toBe(200);
    const used = route(async ({ reply, connections }) => reply.send(connections.shopify.current), { logger });
    const { error } = await (await used(new Request("https://app.test/"))).json();
    expect(error).toMatchObject({
      code: "NOT_CONFIGURED",
      message: expect.stringContaining("`connections`"),
    });
  });

  it("provides api and connections per request through the context option", async () => {
    const seen: string[] = [];
    const handler = route(
      async ({ api, connections, reply }) => reply.send({ shop: connections.shop, user: await api.whoAmI() }),
      {
        logger,
        context: async ({ request }) => {
          seen.push(request.id);
          return { api: { whoAmI: async () => "staff" }, connections: { shop: request.headers["x-shop"] } };
        },
      },
    );
    const response = await handler(
      new Request("https://app.test/", { headers: { "x-shop": "tuna.myshopify.com" } }),
    );
    expect(await response.json()).toEqual({ shop: "tuna.myshopify.com", user: "staff" });
    expect(seen).toEqual([response.headers.get("x-request-id")]);
  });

  it("runs the provider before the body is read: a refusal there never reads a byte of it", async () => {
    let pulls = 0;
    // Pulled only when read: no chunk is queued ahead (high-water mark 0).
    const body = () =>
      new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            pulls += 1;
            controller.enqueue(new TextEncoder().encode('{"hello":"world"}'));
            controller.close();
          },
        },
        { highWaterMark: 0 },
      );
    const post = (signed: boolean) =>
      new Request(`https://app.test/proxy${signed ? "?signed=1" : ""}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: body(),
        duplex: "half",
      } as RequestInit);
    let seenBody: unknown = "not called";
    const handler = route(async ({ request, reply }) => reply.send({ body: request.body }), {
      logger,
      context: ({ request }) => {
        seenBody = request.body;
        if (!request.query.signed) throw new HttpError("UNAUTHORIZED");
        return {};
      },
    });

    const refused = await handler(post(false));
    expect(refused.status).toBe(401);
    expect(seenBody).toBeUndefined();
    expect(pulls).toBe(0);

    const accepted = await handler(post(true));
    expect(await accepted.json()).toEqual({ body: { hello: "world" } });
    expect(pulls).toBe(1);
  });

  it("lets a hook provide a slot", async () => {
    const handler = route(async ({ connections, reply }) => reply.send(connections.source), {
      logger,
      onRequest: (context) => {
        context.connections = { source: "hook" };
      },
    });
    expect(await (await handler(new Request("https://app.test/"))).text()).toBe("hook");
  });

  it("types slots from Register when registered, loosely otherwise", () => {
    expectTypeOf<FromRegister<{ api: { ping(): string } }, "api">>().toEqualTypeOf<{ ping(): string }>();
    expectTypeOf<FromRegister<Record<never, never>, "api">>().toBeAny();
  });
});
