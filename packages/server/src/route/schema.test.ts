import { type RouteHandler, route } from "@sprocket/server";
import { pino } from "pino";
import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";

const logger = pino({ level: "silent" });

const order = route(
  async ({ request, reply }) => {
    expectTypeOf(request.body).toEqualTypeOf<{ name: string; items: { sku: string; quantity: number }[] }>();
    expectTypeOf(request.query).toEqualTypeOf<{ page: number }>();
    await reply.send({ name: request.body.name.toUpperCase(), page: request.query.page });
  },
  {
    logger,
    schema: {
      body: z.object({
        name: z.string(),
        items: z.array(z.object({ sku: z.string(), quantity: z.number().int() })),
      }),
      query: z.object({ page: z.coerce.number().default(1) }),
    },
  },
);

const post = (body: unknown, query = "") =>
  new Request(`https://app.test/orders${query}`, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json" },
  });

describe("schema", () => {
  it("replaces body and query with the schema output", async () => {
    const response = await order(post({ name: "tuna", items: [] }, "?page=3"));
    expect(await response.json()).toEqual({ name: "TUNA", page: 3 });
    const defaulted = await order(post({ name: "tuna", items: [] }));
    expect((await defaulted.json()).page).toBe(1);
  });

  it("answers 400 VALIDATION_FAILED naming each failing field", async () => {
    const response = await order(post({ name: 1, items: [{ sku: "a", quantity: 1.5 }] }));
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.message).toBe("Request body failed validation");
    expect(error.details.map((issue: { path: string }) => issue.path)).toEqual(["name", "items.0.quantity"]);
    expect(error.details[0].message).toEqual(expect.any(String));
  });

  it("validates the query", async () => {
    const response = await order(post({ name: "tuna", items: [] }, "?page=abc"));
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.message).toBe("Query string failed validation");
    expect(error.details).toEqual([{ path: "page", message: expect.any(String) }]);
  });

  it("rejects a value that is not a Standard Schema when the route is defined", () => {
    expect(() => route(async () => undefined, { schema: { body: { parse: () => 1 } as never } })).toThrow(
      /Standard Schema/,
    );
  });

  it("keeps body and query loosely typed without a schema, as Gadget seeds expect", () => {
    const handler: RouteHandler = async ({ request }) => {
      expectTypeOf(request.body).toBeAny();
      expectTypeOf(request.query).toBeAny();
    };
    route(handler, { logger });
    route(
      async ({ request }) => {
        expectTypeOf(request.body).toBeAny();
        expectTypeOf(request.query).toEqualTypeOf<{ q: string }>();
      },
      { schema: { query: z.object({ q: z.string() }) } },
    );
  });
});
