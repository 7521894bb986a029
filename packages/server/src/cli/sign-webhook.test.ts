import {
  verifyGitHubWebhook,
  verifyShopifyWebhook,
  verifyStandardWebhook,
  verifyStripeWebhook,
} from "@sprocket/server/webhooks";
import { describe, expect, it } from "vitest";
import { decodeStandardSecret, signWebhook, WEBHOOK_SENDERS, type WebhookSender } from "./sign-webhook.js";
import { DEFAULT_TOPICS, sampleTopics, webhookSample } from "./webhook-samples.js";

const timestamp = 1_700_000_000;
const now = timestamp * 1000;
const shop = "sprocket-dev.myshopify.com";
const SECRETS: Record<WebhookSender, string> = {
  shopify: "shpss_secret",
  github: "It's a Secret to Everybody",
  stripe: "whsec_stripe_test_secret",
  standard: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
};
const VERIFIERS = {
  shopify: verifyShopifyWebhook,
  github: verifyGitHubWebhook,
  stripe: verifyStripeWebhook,
  standard: verifyStandardWebhook,
};

function signedSample(provider: WebhookSender, topic: string, deliveryId: string) {
  const payload = webhookSample(provider, { topic, deliveryId, timestamp, shop });
  const body = new TextEncoder().encode(JSON.stringify(payload));
  const headers = signWebhook({
    provider,
    secret: SECRETS[provider],
    body,
    topic,
    deliveryId,
    timestamp,
    shop,
  });
  return { body, headers: new Headers(headers) };
}

describe("signWebhook", () => {
  for (const provider of WEBHOOK_SENDERS) {
    for (const topic of sampleTopics(provider) ?? [DEFAULT_TOPICS[provider]]) {
      it(`signs a ${provider} ${topic} delivery its verifier accepts`, async () => {
        const deliveryId = provider === "stripe" ? "evt_1" : "d1f0c3a2-0000-4000-8000-000000000001";
        const { body, headers } = signedSample(provider, topic, deliveryId);
        const verified = await VERIFIERS[provider](body, headers, { secrets: SECRETS[provider], now });
        expect(verified).toMatchObject({ ok: true, deliveryId, secretIndex: 0 });
        const forged = await VERIFIERS[provider](body, headers, { secrets: "whsec_b3RoZXI=", now });
        expect(forged).toMatchObject({ ok: false, reason: "invalid-signature" });
      });
    }
  }

  it("sends Shopify's headers", () => {
    const { headers } = signedSample("shopify", "app/uninstalled", "abc");
    expect(Object.fromEntries(headers)).toMatchObject({
      "x-shopify-topic": "app/uninstalled",
      "x-shopify-shop-domain": shop,
      "x-shopify-webhook-id": "abc",
      "x-shopify-event-id": "abc",
      "x-shopify-triggered-at": "2023-11-14T22:13:20.000Z",
    });
    expect(headers.get("x-shopify-api-version")).toMatch(/^\d{4}-\d{2}$/);
  });

  it("gives Standard Webhooks' reference signature", () => {
    const body = new TextEncoder().encode('{"test": 2432232314}');
    const headers = signWebhook({
      provider: "standard",
      secret: SECRETS.standard,
      body,
      topic: "",
      deliveryId: "msg_p5jXN8AQM9LWM0D4loKWxJek",
      timestamp: 1614265330,
      shop,
    });
    expect(headers["webhook-signature"]).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });

  it("gives GitHub's documented signature", () => {
    const body = new TextEncoder().encode("Hello, World!");
    const headers = signWebhook({
      provider: "github",
      secret: SECRETS.github,
      body,
      topic: "ping",
      deliveryId: "1",
      timestamp,
      shop,
    });
    expect(headers["X-Hub-Signature-256"]).toBe(
      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
    );
  });

  it("refuses a Standard Webhooks secret that is not base64", () => {
    expect(decodeStandardSecret("whsec_not base64!")).toBeUndefined();
    expect(decodeStandardSecret("whsec_")).toBeUndefined();
    expect(() =>
      signWebhook({
        provider: "standard",
        secret: "whsec_#",
        body: new Uint8Array(),
        topic: "",
        deliveryId: "m",
        timestamp,
        shop,
      }),
    ).toThrow(TypeError);
  });

  it("has no sample for an unknown topic", () => {
    expect(
      webhookSample("shopify", { topic: "orders/nope", deliveryId: "1", timestamp, shop }),
    ).toBeUndefined();
    expect(webhookSample("github", { topic: "toString", deliveryId: "1", timestamp, shop })).toBeUndefined();
  });
});
