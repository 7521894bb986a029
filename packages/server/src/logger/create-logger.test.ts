import { route } from "@sprocket/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { defaultLogLevel } from "./create-logger.js";

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
