import { createHmac } from "node:crypto";

/** Test fixtures signed with node:crypto, independently of the verifiers' Web Crypto code. */
export const encoder = new TextEncoder();

export function hmac(key: string | Buffer, content: string | Uint8Array, encoding: "hex" | "base64"): string {
  return createHmac("sha256", key).update(content).digest(encoding);
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export function shopifyHeaders(
  secret: string,
  body: Uint8Array,
  extra: Record<string, string> = {},
): Headers {
  return new Headers({
    "X-Shopify-Hmac-Sha256": hmac(secret, body, "base64"),
    "X-Shopify-Topic": "orders/create",
    "X-Shopify-Shop-Domain": "example.myshopify.com",
    "X-Shopify-API-Version": "2025-10",
    "X-Shopify-Webhook-Id": "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
    "content-type": "application/json",
    ...extra,
  });
}

export function githubHeaders(secret: string, body: Uint8Array): Headers {
  return new Headers({
    "X-Hub-Signature-256": `sha256=${hmac(secret, body, "hex")}`,
    "X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
    "X-GitHub-Event": "star",
    "content-type": "application/json",
  });
}

export function stripeSignature(secret: string, body: Uint8Array, timestamp = nowSeconds()): string {
  const content = Buffer.concat([Buffer.from(`${timestamp}.`), body]);
  return `t=${timestamp},v1=${hmac(secret, content, "hex")}`;
}

export function stripeHeaders(secret: string, body: Uint8Array, timestamp = nowSeconds()): Headers {
  return new Headers({
    "Stripe-Signature": stripeSignature(secret, body, timestamp),
    "content-type": "application/json",
  });
}

export function standardSignature(secret: string, id: string, timestamp: number, body: Uint8Array): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return `v1,${hmac(key, Buffer.concat([Buffer.from(`${id}.${timestamp}.`), body]), "base64")}`;
}

export function standardHeaders(
  secret: string,
  body: Uint8Array,
  timestamp = nowSeconds(),
  id = "msg_test",
): Headers {
  return new Headers({
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": standardSignature(secret, id, timestamp, body),
    "content-type": "application/json",
  });
}

/** A copy of `body` with the byte at `index` changed by `delta` (1-255). */
export function flipByte(body: Uint8Array, index: number, delta = 1): Uint8Array {
  const copy = new Uint8Array(body);
  copy[index] = (copy[index]! + delta) % 256;
  return copy;
}
