import { type RouteContext, route } from "@sprocket/server";
import { pino } from "pino";
import { expect, it } from "vitest";

// Handlers log the request in many shapes; none of them may carry a credential into the logs.
const SECRETS = ["AUTHSECRET", "COOKIESECRET", "HMACSECRET", "SIGSECRET", "SLACKSECRET", "BODYSECRET"];

it.each([
  ["nested under another key", ({ request }: RouteContext) => ({ ctx: { request } })],
  ["url alone", ({ request }: RouteContext) => ({ url: request.url })],
  ["query alone", ({ request }: RouteContext) => ({ query: request.query })],
  ["the request", ({ request }: RouteContext) => ({ request })],
])("a request logged as %s leaks no secret", async (_, shape) => {
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
        "content-type": "application/json",
      },
      body: JSON.stringify({ password: "BODYSECRET" }),
    }),
  );
  expect(response.status).toBe(204);
  const appLine = lines.find((line) => line.includes("logged by the app"));
  expect(appLine).toBeDefined();
  for (const secret of SECRETS) expect(appLine).not.toContain(secret);
  expect(appLine).toContain("a.myshopify.com");
});
