import {
  STRIPE_SIGNATURE_HEADER,
  STRIPE_SIGNATURE_SCHEME,
  STRIPE_TOLERANCE_SECONDS,
  STRIPE_UNKNOWN_EVENT_TYPE,
  verifyStripeWebhook,
  WEBHOOK_BODY_LIMITS,
} from "@sprocket/server/webhooks";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { encoder, flipByte, hmac, nowSeconds, stripeHeaders, stripeSignature } from "./test/sign.js";

const secret = "whsec_test_0123456789abcdef";
const event = { id: "evt_1QxYz", object: "event", type: "payment_intent.succeeded", data: { object: {} } };
const body = encoder.encode(JSON.stringify(event, null, 2));
const stripe = new Stripe("sk_test_offline");

function withSignature(signature: string): Headers {
  return new Headers({ "Stripe-Signature": signature });
}

describe("verifyStripeWebhook", () => {
  it("names Stripe's header, scheme, five-minute tolerance and 1 MiB body limit", () => {
    expect(STRIPE_SIGNATURE_HEADER).toBe("Stripe-Signature");
    expect(STRIPE_SIGNATURE_SCHEME).toBe("v1");
    expect(STRIPE_TOLERANCE_SECONDS).toBe(300);
    expect(WEBHOOK_BODY_LIMITS.stripe).toBe(1_048_576);
  });

  it("accepts a signed event, reads its id after verifying, and agrees with the stripe package", async () => {
    const timestamp = nowSeconds();
    const headers = stripeHeaders(secret, body, timestamp);
    expect(await verifyStripeWebhook(body, headers, { secrets: secret })).toEqual({
      ok: true,
      provider: "stripe",
      deliveryId: "evt_1QxYz",
      event: "payment_intent.succeeded",
      timestamp: new Date(timestamp * 1000),
      payload: event,
      secretIndex: 0,
    });
    const constructed = stripe.webhooks.constructEvent(
      Buffer.from(body),
      headers.get("Stripe-Signature")!,
      secret,
    );
    expect(constructed.id).toBe("evt_1QxYz");
  });

  it("accepts headers the stripe package generates", async () => {
    const payload = new TextDecoder().decode(body);
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret });
    expect(await verifyStripeWebhook(body, withSignature(header), { secrets: secret })).toMatchObject({
      ok: true,
    });
  });

  it("accepts any matching v1 among several and ignores v0", async () => {
    const timestamp = nowSeconds();
    const good = stripeSignature(secret, body, timestamp).split(",")[1]!;
    const forged = `v1=${"ab".repeat(32)}`;
    const header = `t=${timestamp},${forged},${good},v0=${"cd".repeat(32)}`;
    expect(await verifyStripeWebhook(body, withSignature(header), { secrets: secret })).toMatchObject({
      ok: true,
    });
    const onlyV0 = `t=${timestamp},v0=${good.slice(3)}`;
    expect(await verifyStripeWebhook(body, withSignature(onlyV0), { secrets: secret })).toMatchObject({
      reason: "malformed-header",
    });
  });

  it('reads a header sent twice, joined with ", ": one timestamp repeated, any of its v1', async () => {
    const timestamp = nowSeconds();
    const signed = stripeSignature(secret, body, timestamp);
    const forged = `t=${timestamp},v1=${"ab".repeat(32)}`;
    for (const [first, second] of [
      [signed, forged],
      [forged, signed],
    ]) {
      const headers = withSignature(first as string);
      headers.append("Stripe-Signature", second as string);
      expect(await verifyStripeWebhook(body, headers, { secrets: secret })).toMatchObject({ ok: true });
    }
    // As the stripe package reads it, with the valid signature first.
    const joined = `${signed}, ${forged}`;
    expect(() => stripe.webhooks.constructEvent(Buffer.from(body), joined, secret)).not.toThrow();
    // Two different timestamps: nothing says which one the signatures sign.
    const other = `t=${timestamp - 1},v1=${"cd".repeat(32)}`;
    expect(
      await verifyStripeWebhook(body, withSignature(`${signed}, ${other}`), { secrets: secret }),
    ).toMatchObject({ reason: "malformed-header" });
  });

  it("accepts the old secret during a rotation", async () => {
    const headers = stripeHeaders("whsec_old", body);
    expect(await verifyStripeWebhook(body, headers, { secrets: [secret, "whsec_old"] })).toMatchObject({
      ok: true,
      secretIndex: 1,
    });
  });

  it("refuses timestamps beyond the tolerance, past and future, and accepts them at its edge", async () => {
    const now = new Date("2026-01-01T00:00:00Z");
    const at = (offset: number) => stripeHeaders(secret, body, now.getTime() / 1000 + offset);
    for (const offset of [-STRIPE_TOLERANCE_SECONDS - 1, STRIPE_TOLERANCE_SECONDS + 1]) {
      expect(await verifyStripeWebhook(body, at(offset), { secrets: secret, now })).toMatchObject({
        reason: "stale-timestamp",
      });
    }
    for (const offset of [-STRIPE_TOLERANCE_SECONDS, STRIPE_TOLERANCE_SECONDS]) {
      expect(await verifyStripeWebhook(body, at(offset), { secrets: secret, now })).toMatchObject({
        ok: true,
      });
    }
  });

  it("refuses a wrong secret, a changed timestamp and a body changed by one byte", async () => {
    const timestamp = nowSeconds();
    const headers = stripeHeaders(secret, body, timestamp);
    expect(await verifyStripeWebhook(body, headers, { secrets: "whsec_other" })).toMatchObject({
      reason: "invalid-signature",
    });
    expect(await verifyStripeWebhook(flipByte(body, 10), headers, { secrets: secret })).toMatchObject({
      reason: "invalid-signature",
    });
    const moved = headers.get("Stripe-Signature")!.replace(`t=${timestamp}`, `t=${timestamp - 1}`);
    expect(await verifyStripeWebhook(body, withSignature(moved), { secrets: secret })).toMatchObject({
      reason: "invalid-signature",
    });
  });

  it("refuses a missing header as missing and a malformed one as malformed", async () => {
    expect(await verifyStripeWebhook(body, new Headers(), { secrets: secret })).toMatchObject({
      reason: "missing-headers",
      missing: ["Stripe-Signature"],
    });
    const v1 = `v1=${hmac(secret, body, "hex")}`;
    for (const header of [
      v1,
      `t=1,t=2,${v1}`,
      "t=123",
      "garbage",
      `t=abc,${v1}`,
      `t=${nowSeconds()},v1=xyz`,
    ]) {
      expect(await verifyStripeWebhook(body, withSignature(header), { secrets: secret })).toMatchObject({
        reason: "malformed-header",
      });
    }
  });

  it("accepts Stripe's own testing example, an event without a type, as the stripe package does", async () => {
    // From the stripe package's README: `{ id: "evt_test_webhook", object: "event" }`, pretty-printed.
    const payload = JSON.stringify({ id: "evt_test_webhook", object: "event" }, null, 2);
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret });
    expect(stripe.webhooks.constructEvent(payload, header, secret).id).toBe("evt_test_webhook");
    const result = await verifyStripeWebhook(
      encoder.encode(payload),
      new Headers({ "stripe-signature": header }),
      {
        secrets: secret,
      },
    );
    expect(result).toMatchObject({
      ok: true,
      deliveryId: "evt_test_webhook",
      event: STRIPE_UNKNOWN_EVENT_TYPE,
    });
  });

  it("refuses a signed body that is not an event with an id", async () => {
    for (const text of ["not json", "[1]", '{"type":"x"}', '{"id":"","type":"x"}', '{"id":7}']) {
      const bytes = encoder.encode(text);
      expect(
        await verifyStripeWebhook(bytes, stripeHeaders(secret, bytes), { secrets: secret }),
      ).toMatchObject({
        reason: "invalid-payload",
      });
    }
  });
});
