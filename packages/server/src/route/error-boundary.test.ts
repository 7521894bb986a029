import { HttpError, type RouteHandler, route } from "@sprocket/server";
import { pino } from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";

function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

const call = (handler: RouteHandler, logger = pino({ level: "silent" })) =>
  route(handler, { logger })(new Request("https://app.test/boundary", { method: "POST" }));

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("error boundary", () => {
  it("renders a thrown HttpError with its status, code, message and details", async () => {
    const response = await call(() => {
      throw new HttpError("CONFLICT", "Order already fulfilled", {
        details: { orderId: 7 },
        headers: { "retry-after": "5" },
      });
    });
    expect(response.status).toBe(409);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("retry-after")).toBe("5");
    expect(await response.json()).toEqual({
      error: {
        code: "CONFLICT",
        message: "Order already fulfilled",
        requestId: response.headers.get("x-request-id"),
        details: { orderId: 7 },
      },
    });
  });

  it("answers signature failures as a plain 401 and logs the real code", async () => {
    for (const code of ["INVALID_SIGNATURE", "STALE_TIMESTAMP"] as const) {
      const { logger, lines } = captureLogs();
      const response = await call(() => {
        throw new HttpError(code, "hmac mismatch for shop a.myshopify.com");
      }, logger);
      expect(response.status).toBe(401);
      const { error } = await response.json();
      expect(error).toEqual({ code: "UNAUTHORIZED", message: "Unauthorized", requestId: expect.any(String) });
      expect(lines.find((line) => line.level === 40)).toMatchObject({ code });
    }
  });

  it("masks an unknown error as 500 and logs it with the request id", async () => {
    const { logger, lines } = captureLogs();
    const response = await call(() => {
      throw new Error("database password is hunter2");
    }, logger);
    expect(response.status).toBe(500);
    const requestId = response.headers.get("x-request-id");
    const text = await response.text();
    expect(text).not.toContain("hunter2");
    expect(JSON.parse(text)).toEqual({
      error: { code: "INTERNAL_SERVER_ERROR", message: "Internal Server Error", requestId },
    });
    const logged = lines.find((line) => line.level === 50);
    expect(logged).toMatchObject({ requestId, err: { message: "database password is hunter2" } });
    expect(logged?.err).toHaveProperty("stack");
  });

  it("masks non-Error throws too", async () => {
    const response = await call(() => {
      throw "a string";
    });
    expect(response.status).toBe(500);
    expect((await response.json()).error.code).toBe("INTERNAL_SERVER_ERROR");
  });

  it("sends a thrown Response as it is, plus the request id", async () => {
    const response = await call(() => {
      throw new Response("go away", {
        status: 401,
        headers: { "x-shopify-retry-invalid-session-request": "1" },
      });
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("x-shopify-retry-invalid-session-request")).toBe("1");
    expect(response.headers.get("x-request-id")).toBeTruthy();
    expect(await response.text()).toBe("go away");
  });

  it("adds the request id to a thrown Response with immutable headers", async () => {
    const response = await call(() => {
      throw Response.redirect("https://shop.test/auth", 302);
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("https://shop.test/auth");
    expect(response.headers.get("x-request-id")).toBeTruthy();
  });

  it("sends a returned Response as it is", async () => {
    const response = await call(() => new Response("from shopify style", { status: 202 }));
    expect(response.status).toBe(202);
    expect(await response.text()).toBe("from shopify style");
  });

  it("sends another returned value as the body", async () => {
    const response = await call(async () => ({ ok: true }));
    expect(await response.json()).toEqual({ ok: true });
  });

  it("answers NO_REPLY and logs it when the handler sends nothing", async () => {
    const { logger, lines } = captureLogs();
    const response = await call(async ({ reply }) => {
      reply.code(201); // returning without send
    }, logger);
    expect(response.status).toBe(500);
    const { error } = await response.json();
    expect(error.code).toBe("NO_REPLY");
    expect(error.message).toContain("without calling reply.send()");
    expect(lines.find((line) => line.level === 50)).toMatchObject({ err: { code: "NO_REPLY" } });
  });

  it("masks NO_REPLY and other 500s in production", async () => {
    vi.stubEnv("NODE_ENV", "production");
    const { logger, lines } = captureLogs();
    const response = await call(async () => undefined, logger);
    expect(response.status).toBe(500);
    expect((await response.json()).error).toMatchObject({
      code: "INTERNAL_SERVER_ERROR",
      message: "Internal Server Error",
    });
    expect(lines.find((line) => line.level === 50)).toMatchObject({ err: { code: "NO_REPLY" } });
  });

  it("keeps deliberate 4xx messages in production", async () => {
    vi.stubEnv("NODE_ENV", "production");
    const response = await call(() => {
      throw new HttpError("NOT_FOUND", "Customer not found");
    });
    expect((await response.json()).error).toMatchObject({ code: "NOT_FOUND", message: "Customer not found" });
  });
});
