import { route, withRequestLog } from "@sprocket/server";
import { webhookRoute } from "@sprocket/server/webhooks";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { memoryInboxStore } from "../webhooks/test/memory-inbox-store.js";
import { encoder, githubHeaders } from "../webhooks/test/sign.js";

function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const completed = () => lines.filter((line) => line.msg === "request completed");
  return { logger, lines, completed };
}

const secret = "request-log-test-secret";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function githubDelivery(signatureSecret = secret) {
  const body = encoder.encode(JSON.stringify({ action: "created" }));
  return new Request("https://app.test/webhooks/github?token=t0k3n", {
    method: "POST",
    headers: githubHeaders(signatureSecret, body),
    body,
  });
}

describe("one log line per request", () => {
  it("route(): a streamed body logs once, when its status is committed", async () => {
    const { logger, completed } = captureLogs();
    let finish: () => void = () => {};
    const handler = route(
      async ({ reply }) => {
        const body = new ReadableStream<string>({
          start: (controller) => {
            controller.enqueue("first");
            finish = () => controller.close();
          },
        });
        await reply.code(202).send(body.pipeThrough(new TextEncoderStream()));
      },
      { logger },
    );
    const response = await handler(new Request("https://app.test/chat?signature=s1g", { method: "POST" }));
    // The stream is still open: the line is already there.
    expect(completed()).toEqual([
      expect.objectContaining({
        requestId: response.headers.get("x-request-id"),
        method: "POST",
        path: "/chat",
        status: 202,
        durationMs: expect.any(Number),
      }),
    ]);
    finish();
    expect(await response.text()).toBe("first");
    expect(completed()).toHaveLength(1);
  });

  it("webhookRoute: one line for a stored delivery and one for a refused one, no query, no signature", async () => {
    const { logger, lines, completed } = captureLogs();
    const POST = webhookRoute({
      provider: "github",
      secrets: secret,
      store: memoryInboxStore(),
      onEvent: () => {},
      after: () => {},
      logger,
    });
    const delivery = githubDelivery();
    const stored = await POST(delivery);
    const forged = githubDelivery("not-the-secret");
    const refused = await POST(forged);
    expect([stored.status, refused.status]).toEqual([200, 401]);
    expect(completed()).toEqual([
      expect.objectContaining({
        requestId: stored.headers.get("x-request-id"),
        method: "POST",
        path: "/webhooks/github",
        status: 200,
        durationMs: expect.any(Number),
      }),
      expect.objectContaining({ requestId: refused.headers.get("x-request-id"), status: 401 }),
    ]);
    const output = JSON.stringify(lines);
    for (const request of [delivery, forged]) {
      expect(output).not.toContain(request.headers.get("x-hub-signature-256"));
    }
    expect(output).not.toContain("t0k3n");
    expect(output).not.toContain(secret);
  });

  it("withRequestLog around a webhookRoute: still one line, with the outer id and x-request-id", async () => {
    const { logger, completed } = captureLogs();
    const inner = webhookRoute({
      provider: "github",
      secrets: secret,
      store: memoryInboxStore(),
      onEvent: () => {},
      after: () => {},
      logger,
    });
    const POST = withRequestLog((request) => inner(request), { logger });
    const response = await POST(githubDelivery());
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toMatch(UUID);
    expect(completed()).toEqual([
      expect.objectContaining({ requestId: response.headers.get("x-request-id"), status: 200 }),
    ]);
  });

  it("withRequestLog: a plain handler's status, a redirect's immutable headers, a throw as 500", async () => {
    const { logger, completed } = captureLogs();
    const GET = withRequestLog(
      async (request: Request) => {
        const path = new URL(request.url).pathname;
        if (path === "/fail") throw new Error("boom");
        if (path === "/moved") return Response.redirect("https://app.test/elsewhere", 307);
        return new Response(null, { status: 401 });
      },
      { logger },
    );
    const denied = await GET(
      new Request("https://app.test/api/cron/webhooks", {
        headers: { authorization: "Bearer cr0ns3cr3t", "x-request-id": "edge-1" },
      }),
    );
    const moved = await GET(new Request("https://app.test/moved"));
    await expect(GET(new Request("https://app.test/fail?code=abc"))).rejects.toThrow("boom");
    expect(denied.headers.get("x-request-id")).toBe("edge-1");
    expect(moved.headers.get("x-request-id")).toMatch(UUID);
    expect(completed()).toEqual([
      expect.objectContaining({
        requestId: "edge-1",
        method: "GET",
        path: "/api/cron/webhooks",
        status: 401,
      }),
      expect.objectContaining({ path: "/moved", status: 307 }),
      expect.objectContaining({ path: "/fail", status: 500 }),
    ]);
    expect(JSON.stringify(completed())).not.toContain("cr0ns3cr3t");
  });

  it("route() calling a wrapped handler with its raw request: one line, the route's id", async () => {
    const { logger, completed } = captureLogs();
    const plain = withRequestLog(async () => new Response("ok"), { logger });
    const handler = route(async ({ request, reply }) => reply.send(await plain(request.raw)), { logger });
    const response = await handler(new Request("https://app.test/api/auth/get-session"));
    expect(response.status).toBe(200);
    expect(completed()).toEqual([
      expect.objectContaining({
        requestId: response.headers.get("x-request-id"),
        path: "/api/auth/get-session",
      }),
    ]);
  });
});

describe("the line's path", () => {
  it("is the URL's path as new URL() reads it, never its query or fragment", async () => {
    const { logger, completed } = captureLogs();
    const handler = withRequestLog(async () => new Response("ok"), { logger });
    const urls = [
      "https://app.test/proxy?signature=abc&shop=s.myshopify.com",
      "https://app.test",
      "https://app.test/?q=1",
      "http://[::1]:3000/chat/a%20b?x=/y#z",
      "https://app.test:8443/a/b/c/",
      "https://app.test/caf%C3%A9/%E2%9C%93?token=t?u",
      "https://app.test/a/../b/./c?d",
    ];
    for (const url of urls) await handler(new Request(url));
    expect(completed().map((line) => line.path)).toEqual(urls.map((url) => new URL(url).pathname));
    for (const line of completed()) expect(String(line.path)).not.toMatch(/[?#]/);
  });

  it("is cut before the query of a URL that is not absolute, even one carrying a URL", async () => {
    const { logger, completed } = captureLogs();
    const handler = withRequestLog(async () => new Response("ok"), { logger });
    // A test double with a relative URL, as some frameworks' adapters hand over.
    const double = {
      method: "GET",
      url: "/callback?return=https://a.example/p&token=S",
      headers: new Headers(),
    };
    await handler(double as unknown as Request);
    expect(completed()[0]?.path).toBe("/callback");
  });
});
