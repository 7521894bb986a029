import {
  verifyGitHubWebhook,
  verifyShopifyWebhook,
  verifyStandardWebhook,
  verifyStripeWebhook,
  type WebhookVerifier,
} from "@sprocket/server/webhooks";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { flipByte, githubHeaders, shopifyHeaders, standardHeaders, stripeHeaders } from "./test/sign.js";

const secret = "whsec_c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0xMjM0NTY=";

const anyBytes = fc.uint8Array({ minLength: 1, maxLength: 512 });
// Stripe accepts only an event with an id and a type; the others sign any bytes.
const events = fc
  .record({ id: fc.string({ minLength: 1 }), type: fc.string(), note: fc.string() })
  .map((value) => new TextEncoder().encode(JSON.stringify(value)));

type Verifier = WebhookVerifier<never>;
const providers: [string, Verifier, (body: Uint8Array) => Headers, fc.Arbitrary<Uint8Array>][] = [
  ["shopify", verifyShopifyWebhook as Verifier, (body) => shopifyHeaders(secret, body), anyBytes],
  ["github", verifyGitHubWebhook as Verifier, (body) => githubHeaders(secret, body), anyBytes],
  ["stripe", verifyStripeWebhook as Verifier, (body) => stripeHeaders(secret, body), events],
  ["standard", verifyStandardWebhook as Verifier, (body) => standardHeaders(secret, body), anyBytes],
];

describe.each(providers)("%s: a body changed in any one byte", (_, verify, sign, bodies) => {
  it("is refused, while the original is accepted", async () => {
    await fc.assert(
      fc.asyncProperty(bodies, fc.nat(), fc.integer({ min: 1, max: 255 }), async (body, position, delta) => {
        const headers = sign(body);
        const original = await verify(body, headers, { secrets: secret });
        const changed = await verify(flipByte(body, position % body.length, delta), headers, {
          secrets: secret,
        });
        return original.ok && !changed.ok && changed.reason === "invalid-signature";
      }),
      { numRuns: 100 },
    );
  });

  it("never throws, whatever the headers and body", async () => {
    const headerValues = fc.dictionary(
      fc.constantFrom(
        "x-hub-signature-256",
        "x-github-delivery",
        "x-github-event",
        "x-shopify-hmac-sha256",
        "x-shopify-topic",
        "x-shopify-shop-domain",
        "x-shopify-api-version",
        "x-shopify-webhook-id",
        "stripe-signature",
        "webhook-id",
        "webhook-timestamp",
        "webhook-signature",
      ),
      fc.string({ unit: "binary-ascii" }).map((value) => value.replace(/[\0\r\n]/g, "")),
    );
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), headerValues, async (body, values) => {
        const result = await verify(body, new Headers(values), { secrets: secret });
        expect(result.ok).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
