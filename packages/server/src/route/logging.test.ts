import { route } from "@sprocket/server";
import { pino } from "pino";
import { describe, expect, it, vi } from "vitest";

function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("request ids", () => {
  const handler = route(async ({ request, reply }) => reply.send(request.id), {
    logger: pino({ level: "silent" }),
  });

  it("reuses a well-formed incoming x-request-id", async () => {
    const response = await handler(
      new Request("https://app.test/", { headers: { "x-request-id": "edge:abc-123.4_5" } }),
    );
    expect(response.headers.get("x-request-id")).toBe("edge:abc-123.4_5");
    expect(await response.text()).toBe("edge:abc-123.4_5");
  });

  it.each([["has spaces"], ["a".repeat(129)], ['quote"d'], ["line\tbreak"]])(
    "replaces an unsafe incoming id (%j) with a UUID",
    async (incoming) => {
      const response = await handler(
        new Request("https://app.test/", { headers: { "x-request-id": incoming } }),
      );
      expect(response.headers.get("x-request-id")).toMatch(UUID);
    },
  );

  it("generates one when none is sent, on errors and preflights too", async () => {
    const failing = route(
      () => {
        throw new Error("x");
      },
      { logger: pino({ level: "silent" }), cors: { origin: true } },
    );
    expect((await failing(new Request("https://app.test/"))).headers.get("x-request-id")).toMatch(UUID);
    const preflight = await failing(
      new Request("https://app.test/", {
        method: "OPTIONS",
        headers: { origin: "https://a.example", "access-control-request-method": "POST" },
      }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("x-request-id")).toMatch(UUID);
  });
});

describe("logs", () => {
  it("never contain the Authorization header or a signature query parameter", async () => {
    const { logger, lines } = captureLogs();
    const handler = route(
      async ({ request, reply, logger: log }) => {
        log.debug({ request }, "log the incoming webhook request");
        log.info({ request: request.raw }, "raw request");
        log.info({ headers: request.headers }, "headers");
        return await reply.code(204).send();
      },
      { logger },
    );
    const response = await handler(
      new Request("https://app.test/proxy?shop=tuna.myshopify.com&signature=s3cr3tsig&path_prefix=%2Fa", {
        method: "POST",
        body: JSON.stringify({ starred: true }),
        headers: {
          authorization: "Bearer t0ps3cr3t",
          cookie: "session=c00kie",
          "x-hub-signature-256": "sha256=h4shsig",
          "content-type": "application/json",
        },
      }),
    );
    expect(response.status).toBe(204);
    const output = JSON.stringify(lines);
    for (const secret of ["t0ps3cr3t", "s3cr3tsig", "c00kie", "h4shsig"])
      expect(output).not.toContain(secret);

    const logged = lines.find((line) => line.msg === "log the incoming webhook request");
    expect(logged).toMatchObject({
      requestId: response.headers.get("x-request-id"),
      request: {
        method: "POST",
        url: "https://app.test/proxy?shop=tuna.myshopify.com&signature=[Redacted]&path_prefix=%2Fa",
        headers: { authorization: "[Redacted]", "content-type": "application/json" },
      },
    });
    expect(logged?.request).not.toHaveProperty("body");
    expect(lines.find((line) => line.msg === "headers")).toMatchObject({
      headers: { authorization: "[Redacted]", cookie: "[Redacted]" },
    });
  });

  it("write one completion line per request with method, path, status and duration", async () => {
    const { logger, lines } = captureLogs();
    const handler = route(async ({ reply }) => reply.code(201).send(), { logger });
    const response = await handler(new Request("https://app.test/items?token=abc", { method: "PUT" }));
    const completed = lines.filter((line) => line.msg === "request completed");
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({
      level: 30,
      requestId: response.headers.get("x-request-id"),
      method: "PUT",
      path: "/items",
      status: 201,
      durationMs: expect.any(Number),
    });
  });
});

describe("the request's logger", () => {
  it("is made only when something logs: a request that writes only its line makes none", async () => {
    const { logger, lines } = captureLogs();
    const quiet = route(async ({ reply }) => reply.send("ok"), { logger });
    const chatty = route(
      async ({ reply, logger: requestLogger }) => {
        requestLogger.info("handling");
        return reply.send("ok");
      },
      { logger },
    );
    // Every pino logger, the route's children included, makes children through this prototype.
    const child = vi.spyOn(Object.getPrototypeOf(logger) as pino.Logger, "child");
    try {
      await quiet(new Request("https://app.test/quiet"));
      expect(child).not.toHaveBeenCalled();
      expect(lines.at(-1)).toMatchObject({ msg: "request completed", path: "/quiet", status: 200 });

      const response = await chatty(new Request("https://app.test/chatty"));
      expect(child).toHaveBeenCalledTimes(1);
      const requestId = response.headers.get("x-request-id");
      expect(lines.filter((line) => line.requestId === requestId).map((line) => line.msg)).toEqual([
        "handling",
        "request completed",
      ]);
    } finally {
      child.mockRestore();
    }
  });
});
