// The verifiers against the reference libraries of the senders' schemes: what the Standard Webhooks
// reference library (`standardwebhooks`) and GitHub's own (`@octokit/webhooks-methods`) sign is
// accepted, what they refuse is refused, and what `sprocket webhook trigger` signs they accept.
import { sign as octokitSign, verify as octokitVerify } from "@octokit/webhooks-methods";
import { verifyGitHubWebhook, verifyStandardWebhook } from "@sprocket/server/webhooks";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { signWebhook } from "../cli/sign-webhook.js";
import { encoder, nowSeconds } from "./test/sign.js";

const body = '{"type":"invoice.paid","data":{"id":"in_1","note":"café ☕","amount":12345678901234567891}}';
const bytes = encoder.encode(body);

describe("Standard Webhooks: the standardwebhooks reference library", () => {
  const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  const other = `whsec_${Buffer.from("another key of twenty-four").toString("base64")}`;
  const reference = new Webhook(secret);
  const headersAt = (
    id: string,
    seconds: number,
    signature = reference.sign(id, new Date(seconds * 1000), body),
  ) =>
    new Headers({ "webhook-id": id, "webhook-timestamp": String(seconds), "webhook-signature": signature });

  it("accepts what the library signs, with the id and the timestamp it signed", async () => {
    const seconds = nowSeconds();
    const result = await verifyStandardWebhook(bytes, headersAt("msg_agree_1", seconds), { secrets: secret });
    expect(result).toMatchObject({
      ok: true,
      deliveryId: "msg_agree_1",
      timestamp: new Date(seconds * 1000),
    });
  });

  it("accepts a header with the library's signatures under two secrets, for either secret", async () => {
    const seconds = nowSeconds();
    const date = new Date(seconds * 1000);
    const both = `${new Webhook(other).sign("msg_rotate", date, body)} ${reference.sign("msg_rotate", date, body)}`;
    for (const secrets of [secret, other, `${other},${secret}`]) {
      expect(
        (await verifyStandardWebhook(bytes, headersAt("msg_rotate", seconds, both), { secrets })).ok,
      ).toBe(true);
    }
    // The library itself agrees that the header carries a valid signature for each.
    const plain = Object.fromEntries(headersAt("msg_rotate", seconds, both));
    expect(() => reference.verify(body, plain)).not.toThrow();
    expect(() => new Webhook(other).verify(body, plain)).not.toThrow();
  });

  it("refuses what the library refuses: another body, id, secret or a stale timestamp", async () => {
    const seconds = nowSeconds();
    const cases: { headers: Headers; content: string }[] = [
      { headers: headersAt("msg_x", seconds), content: body.replace("in_1", "in_2") },
      {
        headers: headersAt("msg_y", seconds, reference.sign("msg_x", new Date(seconds * 1000), body)),
        content: body,
      },
      {
        headers: headersAt(
          "msg_x",
          seconds,
          new Webhook(other).sign("msg_x", new Date(seconds * 1000), body),
        ),
        content: body,
      },
      // Well outside the window: the clock may tick between here and the checks (the edge, ±1 s,
      // is tested with a pinned clock in verify-standard-webhook.test.ts).
      { headers: headersAt("msg_x", seconds - 310), content: body },
      { headers: headersAt("msg_x", seconds + 310), content: body },
    ];
    for (const { headers, content } of cases) {
      expect(() => reference.verify(content, Object.fromEntries(headers))).toThrow();
      const result = await verifyStandardWebhook(encoder.encode(content), headers, { secrets: secret });
      expect(result.ok).toBe(false);
    }
  });

  it("reads Svix's header names (svix-id, svix-timestamp, svix-signature), as Svix's library does", async () => {
    const seconds = nowSeconds();
    const signature = reference.sign("msg_svix_1", new Date(seconds * 1000), body);
    const svix = new Headers({
      "svix-id": "msg_svix_1",
      "svix-timestamp": String(seconds),
      "svix-signature": signature,
    });
    expect(await verifyStandardWebhook(bytes, svix, { secrets: secret })).toMatchObject({
      ok: true,
      deliveryId: "msg_svix_1",
    });
    // Svix's set is read first when sent, whatever else is there, as Svix's library reads it.
    const both = new Headers(svix);
    both.set("webhook-id", "msg_other");
    expect(await verifyStandardWebhook(bytes, both, { secrets: secret })).toMatchObject({
      ok: true,
      deliveryId: "msg_svix_1",
    });
    // Under either name a wrong signature is refused, and a delivery with neither set is told the standard's.
    svix.set("svix-signature", new Webhook(other).sign("msg_svix_1", new Date(seconds * 1000), body));
    expect(await verifyStandardWebhook(bytes, svix, { secrets: secret })).toMatchObject({
      reason: "invalid-signature",
    });
    expect(await verifyStandardWebhook(bytes, new Headers(), { secrets: secret })).toMatchObject({
      reason: "missing-headers",
      missing: ["webhook-id", "webhook-timestamp", "webhook-signature"],
    });
  });

  it("takes a secret without its base64 padding, as the library does", async () => {
    const unpadded = other.replace(/=+$/, "");
    expect(unpadded).not.toBe(other);
    const seconds = nowSeconds();
    const signature = new Webhook(unpadded).sign("msg_pad", new Date(seconds * 1000), body);
    expect(signature).toBe(new Webhook(other).sign("msg_pad", new Date(seconds * 1000), body));
    expect(
      (await verifyStandardWebhook(bytes, headersAt("msg_pad", seconds, signature), { secrets: unpadded }))
        .ok,
    ).toBe(true);
  });

  it("signs, in `sprocket webhook trigger`, what the library accepts", () => {
    const headers = signWebhook({
      provider: "standard",
      secret,
      body: bytes,
      topic: "invoice.paid",
      deliveryId: "msg_cli_1",
      timestamp: nowSeconds(),
      shop: "unused.myshopify.com",
    });
    expect(reference.verify(body, headers)).toEqual(JSON.parse(body));
  });
});

describe("GitHub: @octokit/webhooks-methods", () => {
  const secret = "It's a Secret to Everybody";
  const headers = (signature: string) =>
    new Headers({
      "X-Hub-Signature-256": signature,
      "X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
      "X-GitHub-Event": "star",
    });

  it("accepts what octokit signs, GitHub's documented example included", async () => {
    expect(await octokitSign(secret, "Hello, World!")).toBe(
      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
    );
    for (const content of ["Hello, World!", body]) {
      const result = await verifyGitHubWebhook(
        encoder.encode(content),
        headers(await octokitSign(secret, content)),
        {
          secrets: secret,
        },
      );
      expect(result).toMatchObject({
        ok: true,
        event: "star",
        deliveryId: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
      });
    }
  });

  it("refuses what octokit refuses: another body or secret", async () => {
    const signature = await octokitSign(secret, body);
    const changed = body.replace("in_1", "in_2");
    expect(await octokitVerify(secret, changed, signature)).toBe(false);
    expect(
      (await verifyGitHubWebhook(encoder.encode(changed), headers(signature), { secrets: secret })).ok,
    ).toBe(false);
    const wrong = await octokitSign("another secret", body);
    expect(await octokitVerify(secret, body, wrong)).toBe(false);
    expect((await verifyGitHubWebhook(bytes, headers(wrong), { secrets: secret })).ok).toBe(false);
  });

  it("signs, in `sprocket webhook trigger`, what octokit accepts", async () => {
    const signed = signWebhook({
      provider: "github",
      secret,
      body: bytes,
      topic: "star",
      deliveryId: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
      timestamp: nowSeconds(),
      shop: "unused.myshopify.com",
    });
    const signature = new Headers(signed).get("x-hub-signature-256") ?? "";
    expect(await octokitVerify(secret, body, signature)).toBe(true);
  });
});
