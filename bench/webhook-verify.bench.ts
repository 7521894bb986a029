// Verifying one webhook delivery per call, per request: Sprocket's Shopify verifier (the same call
// verifyWebhook and webhookRoute make: required headers, base64 X-Shopify-Hmac-Sha256 decoded,
// HMAC-SHA256 of the raw body, constant-time compare) against a bare node:crypto HMAC-SHA256 base64
// of the same body, the floor any verifier pays, and against @shopify/shopify-api's
// webhooks.validate with its web-api adapter, at 1, 2 and 8 KB. Then the GitHub, Stripe and
// Standard Webhooks verifiers at 1 KB, each against a bare HMAC of what its scheme signs.
// A CPU-time table per size (interleaved rounds) is printed first; vitest's wall-clock bench follows.
import { createHmac } from "node:crypto";
import "@shopify/shopify-api/adapters/web-api";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import {
  verifyGitHubWebhook,
  verifyShopifyWebhook,
  verifyStandardWebhook,
  verifyStripeWebhook,
} from "@sprocket/server/webhooks";
import { bench, describe } from "vitest";
import { cpuTable, cpuTimes } from "./cpu-time.js";

const SECRET = "bench-app-secret-0123456789abcdef";
const STANDARD_KEY = Buffer.from("bench-standard-webhooks-key-0123");
const STANDARD_SECRET = `whsec_${STANDARD_KEY.toString("base64")}`;
const now = Date.now();
const timestamp = String(Math.floor(now / 1000));

/** An orders/create-like JSON body of exactly `size` bytes. */
function orderBody(size: number): Uint8Array {
  const head = `{"id":820982911946154508,"email":"jon@example.com","total_price":"199.65","line_items":[`;
  const item = `{"id":466157049,"title":"IPod Nano - 8gb","quantity":1,"price":"199.00","sku":"IPOD2008GREEN"},`;
  let text = head;
  while (text.length + item.length + 20 < size) text += item;
  text = `${text.slice(0, -1)}],"note":"`;
  text = `${text}${"x".repeat(size - text.length - 2)}"}`;
  const body = new TextEncoder().encode(text);
  if (body.byteLength !== size) throw new Error(`body is ${body.byteLength} bytes, not ${size}`);
  return body;
}

const shopify = shopifyApi({
  apiKey: "api-key",
  apiSecretKey: SECRET,
  hostName: "app.example",
  apiVersion: ApiVersion.January26,
  isEmbeddedApp: false,
  logger: { level: LogSeverity.Error },
});

function shopifyCase(size: number) {
  const body = orderBody(size);
  const rawBody = new TextDecoder().decode(body);
  const headers = new Headers({
    "Content-Type": "application/json",
    "X-Shopify-Hmac-Sha256": createHmac("sha256", SECRET).update(body).digest("base64"),
    "X-Shopify-Topic": "orders/create",
    "X-Shopify-Shop-Domain": "shop-name.myshopify.com",
    "X-Shopify-API-Version": "2026-01",
    "X-Shopify-Webhook-Id": "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
    "X-Shopify-Event-Id": "98880550-7158-44d4-b7cd-2c97c8a091b5",
    "X-Shopify-Triggered-At": "2026-11-30T07:00:00.000Z",
  });
  const rawRequest = new Request("https://app.example/webhooks", { method: "POST", headers });
  return {
    body,
    paths: {
      "bare node:crypto HMAC-SHA256 base64 of the body": () =>
        createHmac("sha256", SECRET).update(body).digest("base64"),
      "Sprocket verifyShopifyWebhook": () => verifyShopifyWebhook(body, headers, { secrets: SECRET }),
      "@shopify/shopify-api webhooks.validate": () => shopify.webhooks.validate({ rawBody, rawRequest }),
    },
  };
}

function otherCases() {
  const body = orderBody(1024);
  const github = new Headers({
    "X-Hub-Signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
    "X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
    "X-GitHub-Event": "push",
  });
  const stripeSigned = Buffer.concat([Buffer.from(`${timestamp}.`), body]);
  const stripe = new Headers({
    "Stripe-Signature": `t=${timestamp},v1=${createHmac("sha256", SECRET).update(stripeSigned).digest("hex")}`,
  });
  const stripeBody = new TextEncoder().encode(
    JSON.stringify({
      id: "evt_1",
      type: "payment_intent.succeeded",
      data: new TextDecoder().decode(body).slice(0, 960),
    }),
  );
  const stripeEventSigned = Buffer.concat([Buffer.from(`${timestamp}.`), stripeBody]);
  stripe.set(
    "Stripe-Signature",
    `t=${timestamp},v1=${createHmac("sha256", SECRET).update(stripeEventSigned).digest("hex")}`,
  );
  const standardSigned = Buffer.concat([Buffer.from(`msg_2KWPBgLlAfxdpx2AI54pPJ85f4W.${timestamp}.`), body]);
  const standard = new Headers({
    "webhook-id": "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W",
    "webhook-timestamp": timestamp,
    "webhook-signature": `v1,${createHmac("sha256", STANDARD_KEY).update(standardSigned).digest("base64")}`,
  });
  return {
    "bare HMAC hex of the body (GitHub's)": () => createHmac("sha256", SECRET).update(body).digest("hex"),
    "Sprocket verifyGitHubWebhook": () => verifyGitHubWebhook(body, github, { secrets: SECRET }),
    "bare HMAC hex of t.body (Stripe's)": () =>
      createHmac("sha256", SECRET).update(`${timestamp}.`).update(stripeBody).digest("hex"),
    "Sprocket verifyStripeWebhook (parses the event)": () =>
      verifyStripeWebhook(stripeBody, stripe, { secrets: SECRET, now }),
    "bare HMAC base64 of id.t.body (Standard's)": () =>
      createHmac("sha256", STANDARD_KEY)
        .update(`msg_2KWPBgLlAfxdpx2AI54pPJ85f4W.${timestamp}.`)
        .update(body)
        .digest("base64"),
    "Sprocket verifyStandardWebhook": () =>
      verifyStandardWebhook(body, standard, { secrets: STANDARD_SECRET, now }),
  };
}

const SIZES = [1024, 2048, 8192];
const cases = SIZES.map(shopifyCase);
const others = otherCases();

// Sanity: every path accepts its delivery, so each bench times a success.
for (const { paths } of cases) {
  for (const [name, path] of Object.entries(paths)) {
    const result = (await path()) as { ok?: boolean; valid?: boolean } | string;
    if (typeof result === "object" && result.ok !== true && result.valid !== true)
      throw new Error(`${name} refused the delivery: ${JSON.stringify(result)}`);
  }
}
for (const [name, path] of Object.entries(others)) {
  const result = (await path()) as { ok?: boolean } | string;
  if (typeof result === "object" && result.ok !== true)
    throw new Error(`${name} refused the delivery: ${JSON.stringify(result)}`);
}

for (const [index, { paths }] of cases.entries()) {
  const times = await cpuTimes(paths, { iterations: SIZES[index]! > 4096 ? 2000 : 10_000 });
  console.log(
    `\nShopify webhook, ${SIZES[index]! / 1024} KB body, CPU time:\n${cpuTable(
      times,
      "bare node:crypto HMAC-SHA256 base64 of the body",
      "@shopify/shopify-api webhooks.validate",
    )}`,
  );
}
{
  const times = await cpuTimes(others);
  const pairs = Object.keys(others);
  const rows = [
    "| verifier | µs CPU / call (median) | min-max | bare HMAC of its content | × bare |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (let index = 0; index < pairs.length; index += 2) {
    const floor = times[pairs[index]!]!;
    const verifier = times[pairs[index + 1]!]!;
    rows.push(
      `| ${pairs[index + 1]} | ${verifier.median.toFixed(2)} | ${verifier.min.toFixed(2)}-${verifier.max.toFixed(2)} | ${floor.median.toFixed(2)} | ${(verifier.median / floor.median).toFixed(2)} |`,
    );
  }
  console.log(`\nOther verifiers, 1 KB body, CPU time:\n${rows.join("\n")}`);
}

for (const [index, { paths }] of cases.entries()) {
  describe(`verify one Shopify webhook (${SIZES[index]! / 1024} KB body)`, () => {
    for (const [name, path] of Object.entries(paths)) bench(name, path as () => unknown);
  });
}
describe("verify one GitHub, Stripe and Standard Webhooks delivery (1 KB body)", () => {
  for (const [name, path] of Object.entries(others)) bench(name, path as () => unknown);
});
