import {
  STANDARD_WEBHOOK_HEADERS,
  STANDARD_WEBHOOK_SECRET_PREFIX,
  STANDARD_WEBHOOK_SIGNATURE_VERSION,
  STANDARD_WEBHOOK_TOLERANCE_SECONDS,
  verifyStandardWebhook,
  WEBHOOK_BODY_LIMITS,
} from "@sprocket/server/webhooks";
import { Webhook } from "standardwebhooks";
import { describe, expect, it, vi } from "vitest";
import { encoder, flipByte, standardHeaders, standardSignature } from "./test/sign.js";

// The reference vector of the Standard Webhooks specification.
const SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const SPEC_TIMESTAMP = 1614265330;
const SPEC_BODY = encoder.encode('{"test": 2432232314}');
const SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
const SPEC_NOW = new Date(SPEC_TIMESTAMP * 1000);

function specHeaders(signature = SPEC_SIGNATURE, timestamp = SPEC_TIMESTAMP): Headers {
  return new Headers({
    "webhook-id": SPEC_ID,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signature,
  });
}

const secret = "whsec_c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0xMjM0NTY=";

describe("verifyStandardWebhook", () => {
  it("names the specification's headers, version, secret prefix, tolerance and body limit", () => {
    expect(STANDARD_WEBHOOK_HEADERS).toEqual({
      id: "webhook-id",
      timestamp: "webhook-timestamp",
      signature: "webhook-signature",
    });
    expect(STANDARD_WEBHOOK_SIGNATURE_VERSION).toBe("v1");
    expect(STANDARD_WEBHOOK_SECRET_PREFIX).toBe("whsec_");
    expect(STANDARD_WEBHOOK_TOLERANCE_SECONDS).toBe(300);
    expect(WEBHOOK_BODY_LIMITS.standard).toBe(1_048_576);
  });

  it("accepts the specification's reference vector, clock pinned", async () => {
    expect(
      await verifyStandardWebhook(SPEC_BODY, specHeaders(), { secrets: SPEC_SECRET, now: SPEC_NOW }),
    ).toEqual({
      ok: true,
      provider: "standard",
      deliveryId: SPEC_ID,
      messageId: SPEC_ID,
      timestamp: SPEC_NOW,
      secretIndex: 0,
    });
    expect(standardSignature(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY)).toBe(SPEC_SIGNATURE);
  });

  it("accepts a secret without the whsec_ prefix", async () => {
    const result = await verifyStandardWebhook(SPEC_BODY, specHeaders(), {
      secrets: SPEC_SECRET.slice(STANDARD_WEBHOOK_SECRET_PREFIX.length),
      now: SPEC_NOW.getTime(),
    });
    expect(result).toMatchObject({ ok: true });
  });

  it("accepts several signatures where only the second matches, skipping other versions", async () => {
    const forged = `v1,${btoa("x".repeat(32))}`;
    const header = `v1a,${btoa("y".repeat(64))} ${forged} ${SPEC_SIGNATURE}`;
    const result = await verifyStandardWebhook(SPEC_BODY, specHeaders(header), {
      secrets: SPEC_SECRET,
      now: SPEC_NOW,
    });
    expect(result).toMatchObject({ ok: true });
  });

  it('reads a signature header sent twice, joined with ", ", as the reference library does', async () => {
    for (const [first, second] of [
      [SPEC_SIGNATURE, `v1,${btoa("x".repeat(32))}`],
      [`v1,${btoa("x".repeat(32))}`, SPEC_SIGNATURE],
    ]) {
      const headers = specHeaders(first);
      headers.append("webhook-signature", second as string);
      expect(headers.get("webhook-signature")).toBe(`${first}, ${second}`);
      const library = new Webhook(SPEC_SECRET);
      const verify = () => library.verify(new TextDecoder().decode(SPEC_BODY), Object.fromEntries(headers));
      vi.useFakeTimers({ now: SPEC_NOW });
      try {
        expect(verify).not.toThrow();
      } finally {
        vi.useRealTimers();
      }
      const ours = await verifyStandardWebhook(SPEC_BODY, headers, { secrets: SPEC_SECRET, now: SPEC_NOW });
      expect(ours).toMatchObject({ ok: true });
    }
  });

  it("accepts the old secret during a rotation", async () => {
    const result = await verifyStandardWebhook(SPEC_BODY, specHeaders(), {
      secrets: `${secret},${SPEC_SECRET}`,
      now: SPEC_NOW,
    });
    expect(result).toMatchObject({ ok: true, secretIndex: 1 });
  });

  it("refuses timestamps beyond five minutes, past and future, and accepts them at the edge", async () => {
    const options = (offset: number) => ({ secrets: SPEC_SECRET, now: (SPEC_TIMESTAMP + offset) * 1000 });
    for (const offset of [STANDARD_WEBHOOK_TOLERANCE_SECONDS + 1, -STANDARD_WEBHOOK_TOLERANCE_SECONDS - 1]) {
      expect(await verifyStandardWebhook(SPEC_BODY, specHeaders(), options(offset))).toMatchObject({
        reason: "stale-timestamp",
      });
    }
    for (const offset of [STANDARD_WEBHOOK_TOLERANCE_SECONDS, -STANDARD_WEBHOOK_TOLERANCE_SECONDS]) {
      expect(await verifyStandardWebhook(SPEC_BODY, specHeaders(), options(offset))).toMatchObject({
        ok: true,
      });
    }
  });

  it("signs with the current time too", async () => {
    const body = encoder.encode('{"type":"user.created"}');
    expect(
      await verifyStandardWebhook(body, standardHeaders(secret, body), { secrets: secret }),
    ).toMatchObject({
      ok: true,
      deliveryId: "msg_test",
    });
  });

  it("refuses a wrong secret, another id or timestamp, and a body changed by one byte", async () => {
    const options = { secrets: SPEC_SECRET, now: SPEC_NOW };
    expect(
      await verifyStandardWebhook(SPEC_BODY, specHeaders(), { ...options, secrets: secret }),
    ).toMatchObject({
      reason: "invalid-signature",
    });
    expect(await verifyStandardWebhook(flipByte(SPEC_BODY, 0), specHeaders(), options)).toMatchObject({
      reason: "invalid-signature",
    });
    const otherId = specHeaders();
    otherId.set("webhook-id", "msg_other");
    expect(await verifyStandardWebhook(SPEC_BODY, otherId, options)).toMatchObject({
      reason: "invalid-signature",
    });
    const otherTime = specHeaders(SPEC_SIGNATURE, SPEC_TIMESTAMP + 1);
    expect(await verifyStandardWebhook(SPEC_BODY, otherTime, options)).toMatchObject({
      reason: "invalid-signature",
    });
  });

  it("refuses missing and malformed headers", async () => {
    const options = { secrets: SPEC_SECRET, now: SPEC_NOW };
    const headers = specHeaders();
    headers.delete("webhook-timestamp");
    headers.delete("webhook-id");
    expect(await verifyStandardWebhook(SPEC_BODY, headers, options)).toMatchObject({
      reason: "missing-headers",
      missing: ["webhook-id", "webhook-timestamp"],
    });
    for (const signature of [
      "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
      "v2,abc",
      "v1,not base64!",
      "v1",
    ]) {
      expect(await verifyStandardWebhook(SPEC_BODY, specHeaders(signature), options)).toMatchObject({
        reason: "malformed-header",
      });
    }
    const badTime = specHeaders();
    badTime.set("webhook-timestamp", "1614265330.5");
    expect(await verifyStandardWebhook(SPEC_BODY, badTime, options)).toMatchObject({
      reason: "malformed-header",
    });
  });

  it("refuses a secret that is not base64 as a configuration error", async () => {
    const result = await verifyStandardWebhook(SPEC_BODY, specHeaders(), {
      secrets: "whsec_!!!",
      now: SPEC_NOW,
    });
    expect(result).toMatchObject({ ok: false, reason: "invalid-secret" });
  });
});
