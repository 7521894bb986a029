import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyAppProxyRequest } from "@sprocket/server/shopify";
import {
  verifyGitHubWebhook,
  verifyShopifyWebhook,
  verifyStandardWebhook,
  verifyStripeWebhook,
} from "@sprocket/server/webhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

interface Received {
  method: string;
  url: string;
  headers: Headers;
  body: Uint8Array;
}

const received: Received[] = [];
let origin = "";
const server = createServer(async (request: IncomingMessage, response) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === "string") headers.set(name, value);
  }
  received.push({ method: request.method!, url: request.url!, headers, body: Buffer.concat(chunks) });
  const status = request.url?.startsWith("/fail") ? 500 : 200;
  response.writeHead(status, { "content-type": "text/plain", "x-answer": "yes" }).end("received");
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received.length = 0;
});

const SECRETS = {
  SHOPIFY_API_SECRET: "shopify-new, shopify-old",
  GITHUB_WEBHOOK_SECRET: "github-secret",
  STRIPE_WEBHOOK_SECRET: "whsec_stripe_secret",
  STANDARD_WEBHOOK_SECRET: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
};

async function run(argv: string[], env: Record<string, string | undefined> = SECRETS) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
  });
  const output = stdout + stderr;
  for (const secret of Object.values(SECRETS)) {
    for (const part of secret.split(",")) expect(output).not.toContain(part.trim());
  }
  return { code, stdout, stderr };
}

describe("sprocket proxy", () => {
  it("sign prints a URL verifyAppProxyRequest accepts with the newest secret", async () => {
    const { code, stdout } = await run([
      "proxy",
      "sign",
      `${origin}/proxy?x=1`,
      "--customer",
      "7",
      "--shop",
      "demo.myshopify.com",
    ]);
    expect(code).toBe(0);
    const verified = verifyAppProxyRequest(stdout.trim(), { secrets: "shopify-new" });
    expect(verified).toMatchObject({ ok: true, shop: "demo.myshopify.com", customerId: "7" });
  });

  it("call sends the signed request and prints the response", async () => {
    const { code, stdout } = await run([
      "proxy",
      "call",
      `${origin}/proxy`,
      "--data",
      '{"a":1}',
      "--secret",
      "s",
    ]);
    expect(code).toBe(0);
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request!.method).toBe("POST");
    expect(new TextDecoder().decode(request!.body)).toBe('{"a":1}');
    expect(request!.headers.get("content-type")).toBe("application/json");
    expect(verifyAppProxyRequest(`${origin}${request!.url}`, { secrets: "s" }).ok).toBe(true);
    expect(stdout).toContain("HTTP 200 OK");
    expect(stdout).toContain("< x-answer: yes");
    expect(stdout).toContain("received");
  });

  it("call exits 1 when the app answers an error", async () => {
    const { code, stdout } = await run(["proxy", "call", `${origin}/fail`]);
    expect(code).toBe(1);
    expect(stdout).toContain("HTTP 500");
  });
});

describe("sprocket webhook trigger", () => {
  const verifiers = {
    shopify: [verifyShopifyWebhook, "shopify-old"],
    github: [verifyGitHubWebhook, SECRETS.GITHUB_WEBHOOK_SECRET],
    stripe: [verifyStripeWebhook, SECRETS.STRIPE_WEBHOOK_SECRET],
    standard: [verifyStandardWebhook, SECRETS.STANDARD_WEBHOOK_SECRET],
  } as const;

  for (const [provider, [verify, secret]] of Object.entries(verifiers)) {
    it(`sends ${provider} deliveries the verifier accepts, each with its own id`, async () => {
      const address = `${origin}/webhooks/${provider}`;
      for (let index = 0; index < 2; index++) {
        const { code, stdout } = await run([
          "webhook",
          "trigger",
          "--provider",
          provider,
          "--address",
          address,
        ]);
        expect(code).toBe(0);
        expect(stdout).toContain("HTTP 200 OK");
      }
      expect(received.map((request) => request.url)).toEqual([
        `/webhooks/${provider}`,
        `/webhooks/${provider}`,
      ]);
      // The receiver still lists the old secret, as during a rotation: the newest one must have signed.
      const secrets = provider === "shopify" ? ["shopify-new", secret] : [secret];
      const ids: string[] = [];
      for (const request of received) {
        const verified = await verify(request.body, request.headers, { secrets });
        expect(verified).toMatchObject({ ok: true, secretIndex: 0 });
        if (verified.ok) ids.push(verified.deliveryId);
        JSON.parse(new TextDecoder().decode(request.body));
      }
      expect(new Set(ids).size).toBe(2);
    });
  }

  it("resends a delivery id with --repeat-id", async () => {
    const argv = ["webhook", "trigger", "--provider", "shopify", "--address", `${origin}/webhooks/shopify`];
    await run([...argv, "--topic", "app/uninstalled", "--repeat-id", "same-id"]);
    await run([...argv, "--topic", "customers/redact", "--repeat-id", "same-id"]);
    expect(received.map((request) => request.headers.get("x-shopify-webhook-id"))).toEqual([
      "same-id",
      "same-id",
    ]);
    expect(received.map((request) => request.headers.get("x-shopify-event-id"))).toEqual([
      "same-id",
      "same-id",
    ]);
    expect(received[1]!.headers.get("x-shopify-topic")).toBe("customers/redact");
  });

  it("sends GitHub's event header and a Stripe event whose id is the delivery id", async () => {
    await run(["webhook", "trigger", "--provider", "github", "--topic", "ping", "--address", `${origin}/g`]);
    expect(received[0]!.headers.get("x-github-event")).toBe("ping");
    await run([
      "webhook",
      "trigger",
      "--provider",
      "stripe",
      "--address",
      `${origin}/s`,
      "--repeat-id",
      "evt_9",
    ]);
    expect(JSON.parse(new TextDecoder().decode(received[1]!.body))).toMatchObject({
      id: "evt_9",
      type: "payment_intent.succeeded",
    });
  });

  it("exits 1 and says so when nothing listens", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { code, stderr } = await run([
      "webhook",
      "trigger",
      "--provider",
      "github",
      "--address",
      `http://127.0.0.1:${port}/`,
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^sprocket: /);
  });
});

describe("arguments", () => {
  it("--help prints the usage and exits 0", async () => {
    const { code, stdout } = await run(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("sprocket webhook trigger");
    expect(stdout).toContain("sprocket proxy sign");
    expect((await run([])).stdout).toContain("usage:");
  });

  const bad: [string, string[], Record<string, string | undefined>?, RegExp?][] = [
    ["an unknown command", ["deploy"], undefined, /unknown command: deploy/],
    ["an unknown option", ["proxy", "sign", "http://x/", "--nope"], undefined, /--nope/],
    ["a relative URL", ["proxy", "sign", "/proxy"], undefined, /absolute URL/],
    ["no URL", ["proxy", "call"], undefined, /one URL/],
    ["no secret", ["proxy", "sign", "http://x/"], {}, /SHOPIFY_API_SECRET/],
    [
      "a shop that is not myshopify",
      ["proxy", "sign", "http://x/", "--shop", "evil.com"],
      undefined,
      /--shop/,
    ],
    ["a bad timestamp", ["proxy", "sign", "http://x/", "--timestamp", "soon"], undefined, /--timestamp/],
    ["--data that is not JSON", ["proxy", "call", "http://x/", "--data", "{"], undefined, /JSON/],
    ["--data with GET", ["proxy", "call", "http://x/", "--method", "GET", "--data", "{}"], undefined, /GET/],
    ["no provider", ["webhook", "trigger", "--address", "http://x/"], undefined, /--provider/],
    [
      "an unknown provider",
      ["webhook", "trigger", "--provider", "gitlab", "--address", "http://x/"],
      undefined,
      /--provider/,
    ],
    ["no address", ["webhook", "trigger", "--provider", "github"], undefined, /--address/],
    [
      "an unknown topic",
      ["webhook", "trigger", "--provider", "shopify", "--topic", "x/y", "--address", "http://x/"],
      undefined,
      /products\/update/,
    ],
    [
      "a provider's missing secret",
      ["webhook", "trigger", "--provider", "stripe", "--address", "http://x/"],
      {},
      /STRIPE_WEBHOOK_SECRET/,
    ],
    [
      "a Standard secret that is not base64",
      ["webhook", "trigger", "--provider", "standard", "--address", "http://x/", "--secret", "whsec_!!"],
      undefined,
      /base64/,
    ],
  ];
  for (const [name, argv, env, message] of bad) {
    it(`exits 2 with a clear message for ${name}`, async () => {
      const { code, stderr, stdout } = await run(argv, env ?? SECRETS);
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toMatch(message!);
      expect(stderr).toContain("usage:");
      expect(received).toHaveLength(0);
    });
  }
});
