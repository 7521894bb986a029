import { type RouteHandler, route } from "@sprocket/server";
import { pino } from "pino";
import { describe, expect, it } from "vitest";

const logger = pino({ level: "silent" });
const get = (handler: RouteHandler, method = "GET") =>
  route(handler, { logger })(new Request("https://app.test/r", { method }));

describe("reply", () => {
  it("code, header, headers and type shape the response", async () => {
    const response = await get(async ({ reply }) => {
      expect(reply.statusCode).toBe(200);
      reply.code(201).header("x-one", "1").headers({ "x-two": 2, "x-skip": undefined }).type("text/csv");
      expect(reply.statusCode).toBe(201);
      expect(reply.sent).toBe(false);
      await reply.send("a,b");
      expect(reply.sent).toBe(true);
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("x-one")).toBe("1");
    expect(response.headers.get("x-two")).toBe("2");
    expect(response.headers.has("x-skip")).toBe(false);
    expect(response.headers.get("content-type")).toBe("text/csv");
    expect(await response.text()).toBe("a,b");
  });

  it("status is an alias of code and rejects invalid codes", async () => {
    const response = await get(async ({ reply }) => {
      expect(() => reply.status(99)).toThrow(RangeError);
      expect(() => reply.code(600)).toThrow(RangeError);
      await reply.status(418).send();
    });
    expect(response.status).toBe(418);
  });

  it("appends set-cookie and sends arrays as repeated headers", async () => {
    const response = await get(async ({ reply }) => {
      reply.header("set-cookie", "a=1").header("set-cookie", "b=2");
      await reply.send();
    });
    expect(response.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
  });

  it("sends nothing for undefined", async () => {
    const response = await get(async ({ reply }) => reply.send());
    expect(response.status).toBe(200);
    expect(response.headers.has("content-type")).toBe(false);
    expect(await response.text()).toBe("");
  });

  it("sends strings as UTF-8 text", async () => {
    const response = await get(async ({ reply }) => reply.send("héllo"));
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await response.text()).toBe("héllo");
  });

  it.each([
    [{ a: 1 }, '{"a":1}'],
    [[1, "two"], '[1,"two"]'],
    [42, "42"],
    [false, "false"],
    [null, "null"],
  ])("sends %j as JSON", async (body, expected) => {
    const response = await get(async ({ reply }) => reply.send(body));
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await response.text()).toBe(expected);
  });

  it("sends Uint8Array and ArrayBuffer as octet-stream", async () => {
    for (const body of [new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]).buffer]) {
      const response = await get(async ({ reply }) => reply.send(body));
      expect(response.headers.get("content-type")).toBe("application/octet-stream");
      expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([1, 2, 3]);
    }
  });

  it("sends a Blob with its type", async () => {
    const response = await get(async ({ reply }) => reply.send(new Blob(["<p>"], { type: "text/html" })));
    expect(response.headers.get("content-type")).toBe("text/html");
    expect(await response.text()).toBe("<p>");
  });

  it("streams a ReadableStream", async () => {
    const response = await get(async ({ reply }) =>
      reply.type("text/plain").send(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode("one "));
            controller.enqueue(new TextEncoder().encode("two"));
            controller.close();
          },
        }),
      ),
    );
    expect(await response.text()).toBe("one two");
  });

  it("streams an async iterable of strings and bytes", async () => {
    async function* tokens() {
      yield "to";
      yield new TextEncoder().encode("k");
      yield "ens";
    }
    const response = await get(async ({ reply }) => reply.send(tokens()));
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    expect(await response.text()).toBe("tokens");
  });

  it("sends a Response with the reply's headers merged in", async () => {
    const response = await get(async ({ reply }) =>
      reply
        .header("x-from-reply", "1")
        .header("content-type", "text/plain")
        .send(new Response("{}", { status: 202, headers: { "content-type": "application/json" } })),
    );
    expect(response.status).toBe(202);
    expect(response.headers.get("x-from-reply")).toBe("1");
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.text()).toBe("{}");
  });

  it("redirects with 302 by default or the given code", async () => {
    const found = await get(async ({ reply }) => reply.redirect("/login"));
    expect(found.status).toBe(302);
    expect(found.headers.get("location")).toBe("/login");
    const moved = await get(async ({ reply }) => reply.redirect(new URL("https://shop.test/"), 301));
    expect(moved.status).toBe(301);
    expect(moved.headers.get("location")).toBe("https://shop.test/");
    // Fastify 4's order, as Gadget's routes write it.
    const gadget = await get(async ({ reply }) => reply.redirect(308, "/new-home"));
    expect(gadget.status).toBe(308);
    expect(gadget.headers.get("location")).toBe("/new-home");
    const withoutUrl = await get(async ({ reply }) =>
      (reply.redirect as unknown as (code: number) => unknown)(301),
    );
    expect(withoutUrl.status).toBe(500);
    expect(withoutUrl.headers.has("location")).toBe(false);
  });

  it("sends no body for HEAD", async () => {
    const response = await get(async ({ reply }) => reply.send({ a: 1 }), "HEAD");
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.body).toBeNull();
  });

  it("sends no body and no content type for 204 and 304", async () => {
    for (const status of [204, 304]) {
      const response = await get(async ({ reply }) => reply.code(status).send("ignored"));
      expect(response.status).toBe(status);
      expect(response.headers.has("content-type")).toBe(false);
      expect(response.body).toBeNull();
    }
  });

  it("answers 500 when the body cannot be serialised, since nothing was sent", async () => {
    const response = await get(async ({ reply }) => reply.send({ big: 1n }));
    expect(response.status).toBe(500);
    expect((await response.json()).error.code).toBe("INTERNAL_SERVER_ERROR");
  });

  it("has Fastify's header accessors, a settable statusCode and statuses given as digits", async () => {
    const response = await get(async ({ reply }) => {
      reply.statusCode = 202;
      expect(reply.statusCode).toBe(202);
      expect(() => {
        reply.statusCode = 42;
      }).toThrow(RangeError);
      reply.status("201").header("X-One", "1").header("x-two", "2");
      expect(reply.getHeader("x-one")).toBe("1");
      expect(reply.hasHeader("X-TWO")).toBe(true);
      expect(reply.removeHeader("x-two").hasHeader("x-two")).toBe(false);
      expect(reply.getHeader("x-two")).toBeUndefined();
      expect(reply.getHeaders()).toEqual({ "x-one": "1" });
      reply.header("set-cookie", "a=1").header("set-cookie", "b=2");
      expect(reply.getHeaders()["set-cookie"]).toEqual(["a=1", "b=2"]);
      reply.removeHeader("set-cookie");
      expect(() => reply.code("2O1")).toThrow(RangeError);
      await reply.send("ok");
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("x-one")).toBe("1");
    expect(response.headers.has("x-two")).toBe(false);
  });

  it("sets a header with no value empty, as Fastify does, instead of the word or a 500", async () => {
    const response = await get(async ({ request, reply }) => {
      await reply.header("x-copied", request.headers["x-absent"]).header("x-null", null).send("ok");
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-copied")).toBe("");
    expect(response.headers.get("x-null")).toBe("");
  });

  it("answers an Error sent as Fastify does: the reply's error status, the error's 4xx, else a 500", async () => {
    const badInput = await get(async ({ reply }) => reply.code(400).send(new Error("bad input")));
    expect(badInput.status).toBe(400);
    expect((await badInput.json()).error.message).toBe("bad input");

    const notFound = await get(async ({ reply }) =>
      reply.send(Object.assign(new Error("no such chat"), { statusCode: 404 })),
    );
    expect(notFound.status).toBe(404);
    expect((await notFound.json()).error.message).toBe("no such chat");

    const lines: string[] = [];
    const failing = route(async ({ reply }) => reply.send(new Error("db password=hunter2 refused")), {
      logger: pino({ level: "error" }, { write: (line: string) => lines.push(line) }),
    });
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    let response: Response;
    try {
      response = await route(async ({ reply }) => reply.send(new Error("db password=hunter2 refused")), {
        logger,
      })(new Request("https://app.test/r"));
    } finally {
      process.env.NODE_ENV = previous;
    }
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain("hunter2");
    expect((await failing(new Request("https://app.test/r"))).status).toBe(500);
    expect(lines.join("")).toContain("refused");
  });

  it("gives the request Fastify's `log`, the context's logger", async () => {
    const lines: string[] = [];
    const handler = route(
      async ({ request, reply, logger: contextLogger }) => {
        expect(request.log).toBe(contextLogger);
        request.log.info({ chatId: "c1" }, "from request.log");
        await reply.send("ok");
      },
      { logger: pino({ level: "info" }, { write: (line: string) => lines.push(line) }) },
    );
    await handler(new Request("https://app.test/r"));
    expect(lines.some((line) => line.includes("from request.log") && line.includes('"chatId":"c1"'))).toBe(
      true,
    );
  });

  it("refuses a value to send as JSON under a content type that is not JSON, as Fastify does", async () => {
    const mislabelled = await get(async ({ reply }) => reply.type("text/html").send({ a: 1 }));
    expect(mislabelled.status).toBe(500);
    const problem = await get(async ({ reply }) =>
      reply.type("application/problem+json").send({ title: "x" }),
    );
    expect(problem.headers.get("content-type")).toBe("application/problem+json");
    expect(await problem.json()).toEqual({ title: "x" });
    const html = await get(async ({ reply }) => reply.type("text/html").send("<p>hi</p>"));
    expect(await html.text()).toBe("<p>hi</p>");
  });
});
