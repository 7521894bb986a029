import { createServer } from "node:net";
import { describe, expect, it, vi } from "vitest";
import { databaseKind, databaseUrl } from "./database";

async function healthAt(url: string) {
  vi.resetModules();
  // The client and the pool it runs on are kept per process; a new URL needs new ones.
  const kept = globalThis as { sprocketPrisma?: unknown; sprocketPool?: { end(): Promise<void> } };
  delete kept.sprocketPrisma;
  void kept.sprocketPool?.end().catch(() => {});
  delete kept.sprocketPool;
  process.env.DATABASE_URL = url;
  const { GET } = await import("@/app/api/health/route");
  return GET(new Request("http://localhost/api/health"));
}

describe(`GET /api/health (${databaseKind})`, () => {
  it("answers 200 with the database up", async () => {
    const response = await healthAt(databaseUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-request-id")).toBeTruthy();
    const body = await response.json();
    expect(body).toMatchObject({ status: "ok", database: { status: "up" } });
    expect(body.database.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("answers 503 when the database does not answer", async () => {
    // A socket that accepts connections and never speaks: the check must give up on its own.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as { port: number };
    try {
      const response = await healthAt(`postgresql://postgres:postgres@127.0.0.1:${port}/postgres`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: "degraded", database: { status: "down" } });
    } finally {
      silent.close();
    }
  });
});
