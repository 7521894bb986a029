import { route } from "@sprocket/server";
import { pino } from "pino";
import { describe, expect, it } from "vitest";

const logger = pino({ level: "silent" });

/** A route that answers with what the handler saw, so tests assert on the parsed request. */
const echo = route(
  async ({ request, reply }) => {
    const { body } = request;
    await reply.send({
      method: request.method,
      url: request.url,
      headers: request.headers,
      query: request.query,
      queryPrototype: Object.getPrototypeOf(request.query),
      params: request.params,
      ip: request.ip ?? null,
      bodyKind:
        body === undefined ? "undefined" : body instanceof FormData ? "FormData" : body?.constructor?.name,
      bodyPrototype: typeof body === "object" && body !== null ? Object.getPrototypeOf(body) : "n/a",
      body:
        body instanceof FormData ? [...body.entries()].map(([name, value]) => [name, String(value)]) : body,
      bodyBytes: body instanceof Uint8Array ? [...body] : undefined,
      rawBody: request.rawBody === undefined ? null : new TextDecoder().decode(request.rawBody),
      rawStillReadable: request.raw.bodyUsed ? false : request.raw.body ? await request.raw.text() : null,
    });
  },
  { logger },
);

const post = (body: BodyInit, contentType?: string) =>
  new Request("https://app.test/echo", {
    method: "POST",
    body,
    headers: contentType ? { "content-type": contentType } : {},
  });

describe("request parsing", () => {
  it("parses JSON and keeps the exact bytes and a readable raw request", async () => {
    const text = '{ "name": "Big Tuna", "tags": ["a"] }';
    const response = await echo(post(text, "application/json; charset=utf-8"));
    expect(response.status).toBe(200);
    const seen = await response.json();
    expect(seen.body).toEqual({ name: "Big Tuna", tags: ["a"] });
    expect(seen.rawBody).toBe(text);
    expect(seen.rawStillReadable).toBe(text);
  });

  it("parses +json media types as JSON", async () => {
    const seen = await (await echo(post('{"a":1}', "application/vnd.api+json"))).json();
    expect(seen.body).toEqual({ a: 1 });
  });

  it("answers malformed JSON with 400 INVALID_JSON", async () => {
    const response = await echo(post("{ not json", "application/json"));
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const { error } = await response.json();
    expect(error.code).toBe("INVALID_JSON");
    expect(error.requestId).toBe(response.headers.get("x-request-id"));
  });

  it("refuses JSON that would set a prototype, as Fastify does, and keeps such words as values", async () => {
    for (const text of [
      '{"__proto__":{"isAdmin":true}}',
      '{"a":[{"\\u005f_proto__":{"isAdmin":true}}]}',
      '{"constructor":{"prototype":{"isAdmin":true}}}',
    ]) {
      const response = await echo(post(text, "application/json"));
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe("INVALID_JSON");
    }
    const seen = await (
      await echo(post('{"note":"__proto__","constructor":"x"}', "application/json"))
    ).json();
    expect(seen.body).toEqual({ note: "__proto__", constructor: "x" });
  });

  it("treats an empty JSON body as undefined", async () => {
    const seen = await (await echo(post("", "application/json"))).json();
    expect(seen.bodyKind).toBe("undefined");
    expect(seen.rawBody).toBe("");
  });

  it("parses URL-encoded forms into a null-prototype object with arrays for repeated keys", async () => {
    const seen = await (
      await echo(post("a=1&a=2&b=x+y&__proto__=p", "application/x-www-form-urlencoded"))
    ).json();
    expect(seen.body).toEqual({ a: ["1", "2"], b: "x y", ["__proto__"]: "p" });
    expect(seen.bodyPrototype).toBeNull();
  });

  it("parses multipart bodies into FormData", async () => {
    const form = new FormData();
    form.append("name", "tuna");
    form.append("file", new Blob(["hello"], { type: "text/plain" }), "hello.txt");
    const seen = await (
      await echo(new Request("https://app.test/echo", { method: "POST", body: form }))
    ).json();
    expect(seen.bodyKind).toBe("FormData");
    expect(seen.body[0]).toEqual(["name", "tuna"]);
    expect(seen.body[1][0]).toBe("file");
  });

  it("answers a malformed multipart body with 400", async () => {
    const response = await echo(post("garbage", "multipart/form-data; boundary=zz"));
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("BAD_REQUEST");
  });

  it("reads text/* as a string", async () => {
    const seen = await (await echo(post("plain words", "text/plain"))).json();
    expect(seen.body).toBe("plain words");
  });

  it("keeps other content types as bytes", async () => {
    const seen = await (await echo(post(new Uint8Array([1, 2, 255]), "application/octet-stream"))).json();
    expect(seen.bodyKind).toBe("Uint8Array");
    expect(seen.bodyBytes).toEqual([1, 2, 255]);
  });

  it("reads nothing of a body declared empty, as fetch declares a POST without one", async () => {
    let pulls = 0;
    const request = new Request("https://app.test/echo", {
      method: "POST",
      headers: { "content-length": "0", "content-type": "application/json" },
      // Pulled only when something reads it.
      body: new ReadableStream(
        {
          pull(controller) {
            pulls++;
            controller.close();
          },
        },
        { highWaterMark: 0 },
      ),
      duplex: "half",
    } as RequestInit);
    const response = await route(
      async ({ request: seen, reply }) => {
        await reply.send({ bodyKind: typeof seen.body, rawBody: seen.rawBody?.byteLength });
      },
      { logger },
    )(request);
    expect(await response.json()).toEqual({ bodyKind: "undefined", rawBody: 0 });
    expect(pulls).toBe(0);
    expect(request.bodyUsed).toBe(false);
  });

  it("has no body for GET", async () => {
    const seen = await (await echo(new Request("https://app.test/echo"))).json();
    expect(seen.bodyKind).toBe("undefined");
    expect(seen.rawBody).toBeNull();
  });

  it("decodes the query into a null-prototype object with arrays for repeated keys", async () => {
    const seen = await (
      await echo(new Request("https://app.test/echo?tag=a&tag=b&q=tuna%20can&empty="))
    ).json();
    expect(seen.query).toEqual({ tag: ["a", "b"], q: "tuna can", empty: "" });
    expect(seen.queryPrototype).toBeNull();
  });

  it("awaits params from Next's context and defaults to {}", async () => {
    const withParams = await echo(new Request("https://app.test/products/7"), {
      params: Promise.resolve({ id: "7", slug: ["a", "b"] }),
    });
    expect((await withParams.json()).params).toEqual({ id: "7", slug: ["a", "b"] });
    expect((await (await echo(new Request("https://app.test/"))).json()).params).toEqual({});
  });

  it("lower-cases header names and finds the client IP", async () => {
    const request = new Request("https://app.test/", {
      headers: { "X-Custom": "v", "x-forwarded-for": " 203.0.113.7 , 10.0.0.1 ", "x-real-ip": "10.0.0.2" },
    });
    const seen = await (await echo(request)).json();
    expect(seen.headers["x-custom"]).toBe("v");
    // The address the proxy appended, never what the client wrote before it.
    expect(seen.ip).toBe("10.0.0.1");
    const realIp = await (
      await echo(new Request("https://app.test/", { headers: { "x-real-ip": "10.0.0.2" } }))
    ).json();
    expect(realIp.ip).toBe("10.0.0.2");
    expect((await (await echo(new Request("https://app.test/"))).json()).ip).toBeNull();
  });
});
