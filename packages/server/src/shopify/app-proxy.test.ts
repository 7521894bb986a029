import { HttpError, route } from "@sprocket/server";
import { appProxy, appProxyContext } from "@sprocket/server/shopify";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { type Pairs, seconds, signedQuery } from "./test/sign.js";

const SECRET = "app-secret";

function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

// Signed with the current time, as Shopify signs it: the hook reads the real clock.
const freshPairs = (customerId = "42"): Pairs => [
  ["shop", "shop-name.myshopify.com"],
  ["logged_in_customer_id", customerId],
  ["path_prefix", "/apps/reviews"],
  ["timestamp", seconds(Date.now())],
];
const proxyRequest = (query: string) => new Request(`https://app.example/api/proxy?${query}`);

function proxiedRoute() {
  const { logger, lines } = captureLogs();
  const calls: unknown[] = [];
  const handler = route(
    async ({ request, reply }) => {
      const context = appProxyContext(request);
      calls.push(context);
      // The seed reads the customer straight from the query; it stays there as sent.
      await reply.send({ ...context, fromQuery: request.query.logged_in_customer_id });
    },
    { logger, onRequest: appProxy({ secrets: ["new-secret", SECRET] }) },
  );
  return { handler, calls, lines };
}

describe("appProxy() on a route", () => {
  it("runs the handler for a signed request, with the shop and customer", async () => {
    const { handler, calls } = proxiedRoute();
    const response = await handler(proxyRequest(signedQuery(freshPairs(), SECRET)));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      shop: "shop-name.myshopify.com",
      customerId: "42",
      pathPrefix: "/apps/reviews",
      fromQuery: "42",
    });
    expect(calls).toHaveLength(1);
  });

  const refused: [string, () => string, string][] = [
    [
      "a tampered customer id",
      () =>
        signedQuery(freshPairs("42"), SECRET).replace("logged_in_customer_id=42", "logged_in_customer_id=1"),
      "signature_mismatch",
    ],
    [
      "a stale timestamp",
      () => {
        const pairs = freshPairs().map(([key, value]) =>
          key === "timestamp" ? ([key, String(Number(value) - 3600)] as const) : ([key, value] as const),
        );
        return signedQuery(pairs, SECRET);
      },
      "stale_timestamp",
    ],
    [
      "no signature",
      () => new URLSearchParams(freshPairs().map(([k, v]) => [k, v])).toString(),
      "missing_signature",
    ],
    ["an unknown secret", () => signedQuery(freshPairs(), "someone-else"), "signature_mismatch"],
  ];

  it.each(refused)(
    "answers %s with a plain 401, logs why, and never runs the handler",
    async (_label, query, reason) => {
      const { handler, calls, lines } = proxiedRoute();
      const response = await handler(proxyRequest(query()));
      expect(response.status).toBe(401);
      const body = await response.text();
      expect(JSON.parse(body).error).toMatchObject({ code: "UNAUTHORIZED", message: "Unauthorized" });
      expect(body).not.toContain(reason);
      expect(body).not.toMatch(/signature|timestamp|stale|mismatch/i);
      expect(calls).toHaveLength(0);
      const warning = lines.find((line) => line.level === 40);
      expect(warning?.msg).toContain(reason);
      expect(warning?.requestId).toBe(response.headers.get("x-request-id"));
    },
  );

  it("stops later hooks too", async () => {
    const later: string[] = [];
    const handler = route(async ({ reply }) => reply.send("unreachable"), {
      logger: pino({ level: "silent" }),
      onRequest: [appProxy({ secrets: SECRET }), () => void later.push("ran")],
    });
    expect((await handler(proxyRequest("shop=x"))).status).toBe(401);
    expect(later).toEqual([]);
  });

  it("refuses bad options when the hook is made", () => {
    expect(() => appProxy({ secrets: "" })).toThrow(/secrets/);
    expect(() => appProxy({ secrets: [" "] })).toThrow(/secrets/);
    expect(() => appProxy({ secrets: SECRET, tolerance: -1 })).toThrow(/tolerance/);
  });

  it("answers a 500 when a handler asks for the proxy context on a route without the hook", async () => {
    const handler = route(async ({ request, reply }) => reply.send(appProxyContext(request)), {
      logger: pino({ level: "silent" }),
    });
    expect((await handler(proxyRequest(signedQuery(freshPairs(), SECRET)))).status).toBe(500);
    expect(() => appProxyContext(new Request("https://app.example/"))).toThrow(HttpError);
  });
});
