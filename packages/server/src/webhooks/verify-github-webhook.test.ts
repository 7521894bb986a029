import {
  GITHUB_SIGNATURE_PREFIX,
  GITHUB_WEBHOOK_HEADERS,
  verifyGitHubWebhook,
  WEBHOOK_BODY_LIMITS,
} from "@sprocket/server/webhooks";
import { describe, expect, it } from "vitest";
import { encoder, flipByte, githubHeaders, hmac } from "./test/sign.js";

// GitHub's documentation ("Validating webhook deliveries", testing the webhook payload validation).
const KNOWN_SECRET = "It's a Secret to Everybody";
const KNOWN_BODY = encoder.encode("Hello, World!");
const KNOWN_SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

const secret = "github-secret";
const body = encoder.encode('{"action":"created","starred_at":"2026-01-01T00:00:00Z"}');

function knownHeaders(signature = KNOWN_SIGNATURE): Headers {
  return new Headers({
    "X-Hub-Signature-256": signature,
    "X-GitHub-Delivery": "d-1",
    "X-GitHub-Event": "ping",
  });
}

describe("verifyGitHubWebhook", () => {
  it("names GitHub's headers, prefix and 25 MiB body limit", () => {
    expect(GITHUB_WEBHOOK_HEADERS).toEqual({
      signature: "X-Hub-Signature-256",
      deliveryId: "X-GitHub-Delivery",
      event: "X-GitHub-Event",
      hookId: "X-GitHub-Hook-ID",
    });
    expect(GITHUB_SIGNATURE_PREFIX).toBe("sha256=");
    expect(WEBHOOK_BODY_LIMITS.github).toBe(26_214_400);
  });

  it("accepts GitHub's documented known answer", async () => {
    const result = await verifyGitHubWebhook(KNOWN_BODY, knownHeaders(), { secrets: KNOWN_SECRET });
    expect(result).toEqual({
      ok: true,
      provider: "github",
      deliveryId: "d-1",
      event: "ping",
      hookId: undefined,
      secretIndex: 0,
    });
  });

  it("accepts upper-case hex and reads the hook id", async () => {
    const headers = knownHeaders(`sha256=${KNOWN_SIGNATURE.slice(7).toUpperCase()}`);
    headers.set("X-GitHub-Hook-ID", "42");
    const result = await verifyGitHubWebhook(KNOWN_BODY, headers, { secrets: [KNOWN_SECRET] });
    expect(result).toMatchObject({ ok: true, hookId: "42" });
    headers.set("X-GitHub-Hook-ID", " ");
    const blank = await verifyGitHubWebhook(KNOWN_BODY, headers, { secrets: [KNOWN_SECRET] });
    expect(blank).toMatchObject({ ok: true, hookId: undefined });
  });

  it("accepts a delivery signed with the old secret during a rotation", async () => {
    const result = await verifyGitHubWebhook(body, githubHeaders("old", body), { secrets: "new, old" });
    expect(result).toMatchObject({ ok: true, secretIndex: 1, event: "star" });
  });

  it("lists every missing header", async () => {
    const result = await verifyGitHubWebhook(body, new Headers({ "X-GitHub-Event": "star" }), {
      secrets: secret,
    });
    expect(result).toMatchObject({
      ok: false,
      reason: "missing-headers",
      missing: ["X-Hub-Signature-256", "X-GitHub-Delivery"],
    });
  });

  it.each([
    ["the sha1 scheme", `sha1=${hmac(secret, body, "hex").slice(0, 40)}`],
    ["no prefix", hmac(secret, body, "hex")],
    ["non-hex digits", `sha256=${"z".repeat(64)}`],
    ["an odd length", "sha256=abc"],
  ])("refuses a malformed signature: %s", async (_, signature) => {
    const headers = githubHeaders(secret, body);
    headers.set("X-Hub-Signature-256", signature);
    expect(await verifyGitHubWebhook(body, headers, { secrets: secret })).toMatchObject({
      ok: false,
      reason: "malformed-header",
    });
  });

  it("refuses a wrong secret, a truncated digest and a body changed by one byte", async () => {
    const headers = githubHeaders(secret, body);
    expect(await verifyGitHubWebhook(body, headers, { secrets: "other" })).toMatchObject({
      reason: "invalid-signature",
    });
    expect(await verifyGitHubWebhook(flipByte(body, 3), headers, { secrets: secret })).toMatchObject({
      reason: "invalid-signature",
    });
    headers.set("X-Hub-Signature-256", headers.get("X-Hub-Signature-256")!.slice(0, -2));
    expect(await verifyGitHubWebhook(body, headers, { secrets: secret })).toMatchObject({
      reason: "invalid-signature",
    });
  });

  it("answers a failure, never throws, for bad input or no secret", async () => {
    const headers = githubHeaders(secret, body);
    expect(await verifyGitHubWebhook("body" as never, headers, { secrets: secret })).toMatchObject({
      reason: "invalid-input",
    });
    expect(await verifyGitHubWebhook(body, {} as never, { secrets: secret })).toMatchObject({
      reason: "invalid-input",
    });
    expect(await verifyGitHubWebhook(body, headers, undefined as never)).toMatchObject({
      reason: "invalid-secret",
    });
    expect(await verifyGitHubWebhook(body, headers, { secrets: " , " })).toMatchObject({
      reason: "invalid-secret",
    });
    expect(await verifyGitHubWebhook(body, headers, { secrets: [1] as never })).toMatchObject({
      reason: "invalid-secret",
    });
  });
});
