// The demo's app-proxy routes over real HTTP, as Shopify forwards them: URLs signed with the app's
// secret, the shop's offline session and customer row stored by the global setup, and the POST's
// Admin API call received by the local stand-in.
import { createHmac } from "node:crypto";
import { expect, test } from "@playwright/test";
import { appProxyCanonicalString } from "@sprocket/server/shopify";
import { adminRequestsUrl, E2E_SHOPIFY } from "../shopify";

interface AdminRequest {
  accessToken: string;
  query: string;
  variables: { metafields?: { ownerId?: string; key?: string; value?: string }[] };
}

/** `path` as Shopify forwards it: shop, customer, path prefix and timestamp, signed with the secret. */
function signedPath(
  path: string,
  {
    customer = "",
    timestamp = Math.floor(Date.now() / 1000),
  }: { customer?: string; timestamp?: number } = {},
): string {
  const query = new URLSearchParams({
    shop: E2E_SHOPIFY.shop,
    logged_in_customer_id: customer,
    path_prefix: "/apps/sprocket",
    timestamp: String(timestamp),
  });
  const signature = createHmac("sha256", E2E_SHOPIFY.secret)
    .update(appProxyCanonicalString(query))
    .digest("hex");
  query.append("signature", signature);
  return `${path}?${query}`;
}

/** The metafieldsSet requests the stand-in received for one customer. */
async function metafieldRequestsFor(
  request: import("@playwright/test").APIRequestContext,
  baseURL: string,
  customer: string,
): Promise<AdminRequest[]> {
  const response = await request.get(adminRequestsUrl(baseURL));
  expect(response.status()).toBe(200);
  const received = (await response.json()) as AdminRequest[];
  return received.filter(
    (sent) =>
      /\bmetafieldsSet\s*\(/.test(sent.query) &&
      sent.variables.metafields?.some((field) => field.ownerId === `gid://shopify/Customer/${customer}`),
  );
}

test.describe("GET /proxy", () => {
  test("answers the logged-in customer's own row", async ({ request }) => {
    const { customer } = E2E_SHOPIFY;
    const response = await request.get(signedPath("/proxy", { customer: customer.id }));
    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual({ id: customer.id, customData: customer.customData });
  });

  test("answers 401 when no customer is logged in", async ({ request }) => {
    const response = await request.get(signedPath("/proxy"));
    expect(response.status()).toBe(401);
    expect(await response.json()).toEqual({ error: { message: "Unauthorized" } });
  });

  test("answers a plain 401 to a URL with a parameter changed after signing", async ({ request }) => {
    const signed = signedPath("/proxy", { customer: "7002" });
    const tampered = signed.replace(
      "logged_in_customer_id=7002",
      `logged_in_customer_id=${E2E_SHOPIFY.customer.id}`,
    );
    expect(tampered).not.toBe(signed);
    const response = await request.get(tampered);
    expect(response.status()).toBe(401);
    const body = await response.json();
    expect(body.error.code).toBe("UNAUTHORIZED");
    expect(JSON.stringify(body)).not.toContain("gold");
  });

  test("answers a plain 401 to a URL signed 10 minutes ago", async ({ request }) => {
    const response = await request.get(
      signedPath("/proxy", {
        customer: E2E_SHOPIFY.customer.id,
        timestamp: Math.floor(Date.now() / 1000) - 600,
      }),
    );
    expect(response.status()).toBe(401);
    const body = await response.json();
    expect(body.error.code).toBe("UNAUTHORIZED");
    expect(JSON.stringify(body)).not.toContain("gold");
  });
});

test.describe("POST /proxy", () => {
  test("sets the customer's nickname metafield through the Admin API with the shop's token", async ({
    request,
    baseURL,
  }) => {
    const customer = "7101";
    const response = await request.post(signedPath("/proxy", { customer }), {
      data: { nickname: "Big Tuna" },
    });
    expect(response.status()).toBe(200);
    const sent = await metafieldRequestsFor(request, baseURL!, customer);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.accessToken).toBe(E2E_SHOPIFY.accessToken);
    expect(sent[0]!.variables.metafields).toEqual([
      {
        key: "nickname",
        namespace: "my_fields",
        ownerId: `gid://shopify/Customer/${customer}`,
        type: "single_line_text_field",
        value: "Big Tuna",
      },
    ]);
  });

  test("answers 401 when no customer is logged in", async ({ request }) => {
    const response = await request.post(signedPath("/proxy"), { data: { nickname: "Nobody" } });
    expect(response.status()).toBe(401);
    expect(await response.json()).toEqual({ error: { message: "Unauthorized" } });
  });

  test("answers a plain 401 to a tampered URL, without calling Shopify", async ({ request, baseURL }) => {
    const signed = signedPath("/proxy", { customer: "7102" });
    const tampered = signed.replace("logged_in_customer_id=7102", "logged_in_customer_id=7103");
    const response = await request.post(tampered, { data: { nickname: "Mallory" } });
    expect(response.status()).toBe(401);
    expect((await response.json()).error.code).toBe("UNAUTHORIZED");
    expect(await metafieldRequestsFor(request, baseURL!, "7103")).toEqual([]);
    expect(await metafieldRequestsFor(request, baseURL!, "7102")).toEqual([]);
  });

  test("answers a plain 401 to a stale URL, without calling Shopify", async ({ request, baseURL }) => {
    const response = await request.post(
      signedPath("/proxy", { customer: "7104", timestamp: Math.floor(Date.now() / 1000) - 600 }),
      { data: { nickname: "Late" } },
    );
    expect(response.status()).toBe(401);
    expect((await response.json()).error.code).toBe("UNAUTHORIZED");
    expect(await metafieldRequestsFor(request, baseURL!, "7104")).toEqual([]);
  });
});
