import { type RouteContext, route } from "@sprocket/server";
import { pino } from "pino";
import { expect, it } from "vitest";

// Handlers log the request in many shapes; none of them may carry a credential into the logs.
const SECRETS = [
  "AUTHSECRET",
  "COOKIESECRET",
  "HMACSECRET",
  "EVENTHMACSECRET",
  "SIGSECRET",
  "SLACKSECRET",
  "APIKEYSECRET",
  "BODYSECRET",
];

it.each([
  ["nested under another key", ({ request }: RouteContext) => ({ ctx: { request } }), "a.myshopify.com"],
  ["url alone", ({ request }: RouteContext) => ({ url: request.url }), "a.myshopify.com"],
  ["query alone", ({ request }: RouteContext) => ({ query: request.query }), "a.myshopify.com"],
  ["the request", ({ request }: RouteContext) => ({ request }), "a.myshopify.com"],
  ["its headers object", ({ request }: RouteContext) => ({ headers: request.headers }), "application/json"],
  [
    "the Web Request's Headers",
    ({ request }: RouteContext) => ({ headers: request.raw.headers }),
    "application/json",
  ],
])("a request logged as %s leaks no secret", async (_, shape, visible) => {
  const lines: string[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => lines.push(line) });
  const handler = route(
    async (context) => {
      context.logger.info(shape(context), "logged by the app");
      await context.reply.code(204).send();
    },
    { logger },
  );
  const response = await handler(
    new Request("https://app.test/proxy?shop=a.myshopify.com&signature=SIGSECRET", {
      method: "POST",
      headers: {
        authorization: "Bearer AUTHSECRET",
        cookie: "session=COOKIESECRET",
        "x-shopify-hmac-sha256": "HMACSECRET",
        "x-slack-signature": "SLACKSECRET",
        "shopify-hmac-sha256": "EVENTHMACSECRET",
        "x-api-key-v2": "APIKEYSECRET",
        "content-type": "application/json",
      },
      body: JSON.stringify({ password: "BODYSECRET" }),
    }),
  );
  expect(response.status).toBe(204);
  const appLine = lines.find((line) => line.includes("logged by the app"));
  expect(appLine).toBeDefined();
  for (const secret of SECRETS) expect(appLine).not.toContain(secret);
  // What is not secret still shows.
  expect(appLine).toContain(visible);
});

it("an error whose message quotes a token logs it redacted", async () => {
  const lines: string[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => lines.push(line) });
  const token = "eyJhbGciOiJIUzI1NiJ9.eyJkZXN0IjoiaHR0cHM6Ly9hLm15c2hvcGlmeS5jb20ifQ.c2lnbmF0dXJl";
  const handler = route(
    async ({ logger: log, reply }) => {
      const inner = new Error(`Failed to parse session token '${token}': expired`);
      log.warn({ err: inner }, "refused");
      log.warn({ err: new AggregateError([inner], "every secret refused the token") }, "refused all");
      log.warn(
        { err: Object.assign(new Error("wrapped"), { original: { message: `token ${token}` } }) },
        "refused wrapped",
      );
      await reply.code(204).send();
    },
    { logger },
  );
  await handler(new Request("https://app.test/admin"));
  const refused = lines.filter((text) => text.includes('"msg":"refused'));
  expect(refused).toHaveLength(3);
  expect(refused[0]).toContain("Failed to parse session token");
  for (const line of refused) {
    expect(line).not.toContain(token);
    expect(line).not.toContain("c2lnbmF0dXJl");
  }
  expect(refused[1]).toContain("[Redacted]");
});
