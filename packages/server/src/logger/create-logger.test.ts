import { route } from "@sprocket/server";
import { pino } from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger, defaultLogLevel } from "./create-logger.js";

/** A route logger over a pino logger whose lines are kept, parsed. */
function capture(options: pino.LoggerOptions = {}) {
  const lines: Record<string, unknown>[] = [];
  const base = pino(options, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger: createLogger(base).child({ requestId: "r1" }), lines };
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("the default logger's level", () => {
  it("is LOG_LEVEL when it names a pino level, else info", () => {
    expect(defaultLogLevel({})).toBe("info");
    expect(defaultLogLevel({ LOG_LEVEL: "debug" })).toBe("debug");
    expect(defaultLogLevel({ LOG_LEVEL: " WARN " })).toBe("warn");
    expect(defaultLogLevel({ LOG_LEVEL: "silent" })).toBe("silent");
    expect(defaultLogLevel({ LOG_LEVEL: "verbose" })).toBe("info");
    expect(defaultLogLevel({ LOG_LEVEL: "toString" })).toBe("info");
  });

  it("lets a route's logger.debug line through with LOG_LEVEL=debug, as the webhook seed expects", async () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const handler = () =>
      route(async ({ logger, reply }) => {
        logger.debug("log the incoming webhook request");
        await reply.code(204).send();
      });
    vi.stubEnv("LOG_LEVEL", "debug");
    await handler()(new Request("https://app.test/webhook", { method: "POST" }));
    vi.stubEnv("LOG_LEVEL", "");
    await handler()(new Request("https://app.test/webhook", { method: "POST" }));
    const debugLines = written.filter((line) => line.includes("log the incoming webhook request"));
    expect(debugLines).toHaveLength(1);
  });
});

describe("the route logger's redaction", () => {
  it("redacts headers one level down, by listed name and by pattern, without touching the object", () => {
    const { logger, lines } = capture();
    const logged = {
      response: {
        status: 401,
        headers: { authorization: "Bearer SECRET1", "x-slack-signature": "SECRET2", etag: "v1" },
      },
      upstream: Object.assign(new Error("refused"), { headers: { cookie: "session=SECRET3" } }),
    };
    logger.warn(logged, "upstream refused");
    const line = JSON.stringify(lines[0]);
    for (const secret of ["SECRET1", "SECRET2", "SECRET3"]) expect(line).not.toContain(secret);
    expect(lines[0]).toMatchObject({
      requestId: "r1",
      response: {
        status: 401,
        headers: { authorization: "[Redacted]", "x-slack-signature": "[Redacted]", etag: "v1" },
      },
      upstream: { headers: { cookie: "[Redacted]" } },
    });
    expect(logged.response.headers.authorization).toBe("Bearer SECRET1");
  });

  it("redacts the headers an error carries, and top-level headers", () => {
    const { logger, lines } = capture();
    const error = Object.assign(new Error("HTTP 403"), { headers: { "x-shopify-access-token": "SECRET4" } });
    logger.error(
      { err: error, headers: new Headers({ "stripe-signature": "SECRET5", accept: "*/*" }) },
      "failed",
    );
    const line = JSON.stringify(lines[0]);
    expect(line).not.toContain("SECRET4");
    expect(line).not.toContain("SECRET5");
    expect(lines[0]).toMatchObject({ err: { message: "HTTP 403" }, headers: { accept: "*/*" } });
  });

  it("leaves a value that serializes itself to its toJSON", () => {
    const { logger, lines } = capture();
    logger.info({ shaped: { headers: { authorization: "x" }, toJSON: () => ({ kind: "own" }) } }, "shaped");
    expect(lines[0]).toMatchObject({ shaped: { kind: "own" } });
  });

  it("hands a key the app has a serializer for to it untouched, and redacts the headers it writes", () => {
    const { logger, lines } = capture({
      serializers: {
        upstream: (value: unknown) => ({
          isResponse: value instanceof Response,
          headers: Object.fromEntries((value as Response).headers),
        }),
      },
    });
    logger.info(
      { upstream: new Response("x", { headers: { "set-cookie": "session=SECRET8", etag: "v2" } }) },
      "answered",
    );
    expect(JSON.stringify(lines[0])).not.toContain("SECRET8");
    expect(lines[0]).toMatchObject({
      upstream: { isResponse: true, headers: { "set-cookie": "[Redacted]", etag: "v2" } },
    });
  });

  it("keeps the app logger's own log formatter", () => {
    const { logger, lines } = capture({ formatters: { log: (object) => ({ ...object, app: "formatted" }) } });
    logger.info({ call: { headers: { authorization: "SECRET7" } } }, "signed in");
    expect(JSON.stringify(lines[0])).not.toContain("SECRET7");
    expect(lines[0]).toMatchObject({ app: "formatted", requestId: "r1" });
  });

  it("redacts where pino writes besides the logged object: bindings, %j, toJSON, odd requests", () => {
    const { logger, lines } = capture({ level: "debug" });
    logger.child({ upstream: { headers: { authorization: "SECRET9" } } }).info("from a child");
    logger.info("upstream %j", { status: 401, headers: { authorization: "SECRET10" } });
    class Call {
      headers = { authorization: "SECRET11" };
      toJSON() {
        return { headers: this.headers };
      }
    }
    logger.info({ call: new Call() }, "with toJSON");
    logger.debug({ request: { headers: { authorization: "SECRET12" } } }, "a request-like object");
    const output = JSON.stringify(lines);
    for (const secret of ["SECRET9", "SECRET10", "SECRET11", "SECRET12"])
      expect(output).not.toContain(secret);
    expect(lines).toHaveLength(4);
  });

  it("leaks nothing from a circular object that carries headers", () => {
    const { logger, lines } = capture();
    const response: Record<string, unknown> = { status: 401, headers: { authorization: "SECRET14" } };
    response.self = response;
    logger.warn({ response }, "circular");
    expect(lines).toHaveLength(1);
    expect(JSON.stringify(lines[0])).not.toContain("SECRET14");
  });

  it("hands an Error under the app's errorKey to the error serializer", () => {
    const { logger, lines } = capture({ errorKey: "error" });
    logger.error(
      { error: Object.assign(new Error("HTTP 403"), { headers: { cookie: "SECRET13" } }) },
      "failed",
    );
    expect(JSON.stringify(lines[0])).not.toContain("SECRET13");
    expect(lines[0]).toMatchObject({ error: { type: "Error", message: "HTTP 403" } });
  });
});
