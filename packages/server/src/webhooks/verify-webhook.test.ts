import { route } from "@sprocket/server";
import { verifyWebhook, WEBHOOK_BODY_LIMITS } from "@sprocket/server/webhooks";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { encoder, githubHeaders, shopifyHeaders, standardSignature, stripeHeaders } from "./test/sign.js";

function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

const secret = "route-secret";
const body = encoder.encode('{"action":"created"}');

function post(bytes: Uint8Array, headers: Headers, url = "https://app.test/webhooks"): Request {
  return new Request(url, { method: "POST", headers, body: bytes as Uint8Array<ArrayBuffer> });
}

function githubRoute(options: Parameters<typeof verifyWebhook>[1] = { secrets: secret }) {
  const { logger, lines } = captureLogs();
  const github = verifyWebhook("github", options);
  const handler = route(
    async ({ request, reply }) => {
      const { event, deliveryId, secretIndex } = github.delivery(request);
      return await reply.send({ event, deliveryId, secretIndex, body: request.body });
    },
    { logger, onRequest: github, bodyLimit: github.bodyLimit },
  );
  return { handler, lines, github };
}

describe("verifyWebhook", () => {
  it("runs the handler with the verified delivery", async () => {
    const { handler } = githubRoute({ secrets: `new, ${secret}` });
    const response = await handler(post(body, githubHeaders(secret, body)));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      event: "star",
      deliveryId: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
      secretIndex: 1,
      body: { action: "created" },
    });
  });

  it("answers 400 naming the missing headers", async () => {
    const { handler } = githubRoute();
    const headers = githubHeaders(secret, body);
    headers.delete("X-GitHub-Event");
    const response = await handler(post(body, headers));
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({
      code: "BAD_REQUEST",
      message: "Missing webhook headers: X-GitHub-Event",
    });
  });

  it("answers the same plain 401 for a bad signature and a stale timestamp, the reason in the log only", async () => {
    const { handler, lines } = githubRoute();
    const forged = await handler(post(body, githubHeaders("wrong", body)));
    expect(forged.status).toBe(401);
    const forgedError = (await forged.json()).error;
    expect(forgedError).toEqual({
      code: "UNAUTHORIZED",
      message: "Unauthorized",
      requestId: expect.any(String),
    });
    expect(lines.find((line) => line.code === "INVALID_SIGNATURE")?.msg).toMatch(/invalid-signature/);

    const { logger, lines: stripeLines } = captureLogs();
    const now = new Date("2026-01-01T00:00:00Z");
    const stripe = verifyWebhook("stripe", { secrets: secret, now: () => now });
    const stripeRoute = route(async ({ reply }) => reply.send("unreachable"), { logger, onRequest: stripe });
    const event = encoder.encode('{"id":"evt_1","type":"charge.succeeded"}');
    const stale = await stripeRoute(post(event, stripeHeaders(secret, event, now.getTime() / 1000 - 301)));
    expect(stale.status).toBe(401);
    const staleError = (await stale.json()).error;
    expect({ ...staleError, requestId: "" }).toEqual({ ...forgedError, requestId: "" });
    expect(stripeLines.find((line) => line.code === "STALE_TIMESTAMP")?.msg).toMatch(
      /\(stale-timestamp\): The timestamp is 301 s old/,
    );
    const fresh = await stripeRoute(post(event, stripeHeaders(secret, event, now.getTime() / 1000 - 299)));
    expect(await fresh.text()).toBe("unreachable");
  });

  it("verifies the specification's reference vector through a route with a pinned clock", async () => {
    const specSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const standard = verifyWebhook("standard", { secrets: specSecret, now: () => 1614265330_000 });
    const handler = route(async ({ request, reply }) => reply.send(standard.delivery(request)), {
      logger: pino({ level: "silent" }),
      onRequest: standard,
    });
    const specBody = encoder.encode('{"test": 2432232314}');
    const headers = new Headers({
      "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
      "webhook-timestamp": "1614265330",
      "webhook-signature": standardSignature(
        specSecret,
        "msg_p5jXN8AQM9LWM0D4loKWxJek",
        1614265330,
        specBody,
      ),
      "content-type": "application/json",
    });
    const response = await handler(post(specBody, headers));
    expect(await response.json()).toMatchObject({ ok: true, messageId: "msg_p5jXN8AQM9LWM0D4loKWxJek" });
  });

  it("gives the provider's body limit to the route: 25 MiB for GitHub, 1 MiB for the others", async () => {
    expect(verifyWebhook("github", { secrets: secret }).bodyLimit).toBe(WEBHOOK_BODY_LIMITS.github);
    expect(verifyWebhook("shopify", { secrets: secret }).bodyLimit).toBe(1_048_576);
    const { handler } = githubRoute();
    const large = encoder.encode(JSON.stringify({ blob: "x".repeat(2 * 1_048_576) }));
    const response = await handler(post(large, githubHeaders(secret, large)));
    expect(response.status).toBe(200);
  });

  it("answers 413 past a lower limit, from the route before reading and from the hook after", async () => {
    const shopify = verifyWebhook("shopify", { secrets: secret, bodyLimit: 8 });
    const logger = pino({ level: "silent" });
    const limited = route(async ({ reply }) => reply.send("ok"), {
      logger,
      onRequest: shopify,
      bodyLimit: shopify.bodyLimit,
    });
    const roomy = route(async ({ reply }) => reply.send("ok"), { logger, onRequest: shopify });
    for (const handler of [limited, roomy]) {
      const response = await handler(post(body, shopifyHeaders(secret, body)));
      expect(response.status).toBe(413);
    }
    const small = encoder.encode("{}");
    expect(await (await roomy(post(small, shopifyHeaders(secret, small)))).text()).toBe("ok");
  });

  it("answers 500 when no secret is configured, without failing at definition (an unset variable at build)", async () => {
    const { handler, lines } = githubRoute({ secrets: undefined });
    const response = await handler(post(body, githubHeaders(secret, body)));
    expect(response.status).toBe(500);
    expect(JSON.stringify(lines)).toMatch(/invalid-secret/);
  });

  it("refuses to hand an unverified delivery to a handler", async () => {
    const github = verifyWebhook("github", { secrets: secret });
    const handler = route(async ({ request, reply }) => reply.send(github.delivery(request)), {
      logger: pino({ level: "silent" }),
    });
    const response = await handler(post(body, githubHeaders(secret, body)));
    expect(response.status).toBe(500);
  });

  it("rejects invalid options when the route module loads", () => {
    expect(() => verifyWebhook("gitlab" as never, { secrets: secret })).toThrow(/unknown provider "gitlab"/);
    expect(() => verifyWebhook("toString" as never, { secrets: secret })).toThrow(/unknown provider/);
    expect(() => verifyWebhook("github", { secrets: 42 as never })).toThrow(/secrets/);
    expect(() => verifyWebhook("github", { secrets: [secret, 1] as never })).toThrow(/secrets/);
    expect(() => verifyWebhook("github", { secrets: secret, now: 5 as never })).toThrow(/now/);
    expect(() => verifyWebhook("github", { secrets: secret, bodyLimit: -1 })).toThrow(/bodyLimit/);
  });
});
