// The embedded admin page (/admin) in Chromium, as the Shopify admin frames it: App Bridge's CDN
// script is answered with the stand-in from @sprocket/dev, whose shopify.idToken() fetches session
// tokens this spec signs with the app's secret. The page's hooks send them as Bearer tokens, and the
// demo shows only the token's shop's rows. Chats are stored by the global setup (admin-fixtures.ts);
// webhook deliveries arrive signed, as Shopify sends them.
import { createHmac } from "node:crypto";
import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import {
  APP_BRIDGE_SCRIPT_URL,
  appBridgeStandInScript,
  issueSessionToken,
} from "@sprocket/dev/shopify-admin";
import { ADMIN_CHATS, OTHER_SHOP } from "../admin-fixtures";
import { E2E_SHOPIFY } from "../shopify";
import { signUp } from "./sign-up";

const SHOP = E2E_SHOPIFY.shop;
/** Where the stand-in asks for tokens: the page's own origin, answered by `page.route` below. */
const TOKEN_PATH = "/__app-bridge-stand-in/session-token";

/** Deliveries of both shops; fixed ids, so a second worker's delivery is deduplicated. */
const DELIVERIES = [
  { eventId: "e2e-admin-event-a1", shop: SHOP, topic: "orders/create" },
  { eventId: "e2e-admin-event-a2", shop: SHOP, topic: "products/create" },
  { eventId: "e2e-admin-event-b1", shop: OTHER_SHOP, topic: "orders/paid" },
] as const;

async function deliverWebhooks(request: APIRequestContext): Promise<void> {
  for (const { eventId, shop, topic } of DELIVERIES) {
    const body = JSON.stringify({ id: eventId });
    const response = await request.post("/webhooks/shopify", {
      headers: {
        "content-type": "application/json",
        "X-Shopify-Hmac-Sha256": createHmac("sha256", E2E_SHOPIFY.secret).update(body).digest("base64"),
        "X-Shopify-Topic": topic,
        "X-Shopify-Shop-Domain": shop,
        "X-Shopify-API-Version": "2026-01",
        "X-Shopify-Webhook-Id": `webhook-${eventId}`,
        "X-Shopify-Event-Id": eventId,
        "X-Shopify-Triggered-At": new Date().toISOString(),
      },
      data: body,
    });
    expect(response.ok()).toBe(true);
  }
}

/**
 * Puts the stand-in in place of App Bridge's CDN script and answers its token requests: the
 * first living `firstTokenExpiresIn` seconds (negative: already expired), the rest 60 s. Returns the tokens issued.
 */
async function standInAppBridge(
  page: Page,
  baseURL: string,
  { firstTokenExpiresIn = 60 } = {},
): Promise<string[]> {
  const issued: string[] = [];
  await page.route(APP_BRIDGE_SCRIPT_URL, (route) =>
    route.fulfill({
      contentType: "text/javascript",
      body: appBridgeStandInScript({ tokenUrl: new URL(TOKEN_PATH, baseURL).href }),
    }),
  );
  await page.route(`**${TOKEN_PATH}?*`, async (route) => {
    const shop = new URL(route.request().url()).searchParams.get("shop") ?? "";
    const token = await issueSessionToken({
      shop,
      apiKey: E2E_SHOPIFY.apiKey,
      secret: E2E_SHOPIFY.secret,
      expiresInSeconds: issued.length === 0 ? firstTokenExpiresIn : 60,
    });
    issued.push(token);
    await route.fulfill({ contentType: "text/plain", body: token });
  });
  return issued;
}

/**
 * Each read the page sent to the models endpoint (the live stream apart): its path, its bearer
 * token, the answer's status and retry header.
 */
function recordModelRequests(page: Page) {
  const sent: { path: string; token: string | undefined; status: number; retryHeader: string | null }[] = [];
  page.on("response", async (response) => {
    const url = new URL(response.url());
    if (!url.pathname.startsWith("/api/models/") || url.pathname === "/api/models/_live") return;
    const authorization = await response.request().headerValue("authorization");
    sent.push({
      path: url.pathname,
      token: authorization?.replace(/^Bearer /, ""),
      status: response.status(),
      retryHeader: await response.headerValue("x-shopify-retry-invalid-session-request"),
    });
  });
  return sent;
}

const table = (page: Page, name: string) => page.getByRole("table", { name });

test("the embedded admin page shows its shop's deliveries and chats, never another shop's", async ({
  page,
  request,
  baseURL,
}) => {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  // Hydration mismatches and failed loads are console errors, not page errors.
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  await deliverWebhooks(request);
  const issued = await standInAppBridge(page, baseURL ?? "");
  const sent = recordModelRequests(page);

  const response = await page.goto(`/admin?shop=${SHOP}&host=YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvZTJl`);
  expect(response?.headers()["content-security-policy"]).toBe(
    `frame-ancestors https://${SHOP} https://admin.shopify.com`,
  );
  await expect(page.getByRole("heading", { level: 1, name: "Shop admin" })).toBeVisible();

  const deliveries = table(page, "Webhook deliveries");
  for (const delivery of DELIVERIES.filter((delivery) => delivery.shop === SHOP)) {
    await expect(deliveries.getByRole("row").filter({ hasText: delivery.eventId })).toContainText(
      delivery.topic,
    );
  }
  const chats = table(page, "Chats");
  for (const chat of ADMIN_CHATS.filter((chat) => chat.shop === SHOP)) {
    await expect(chats.getByRole("cell", { name: chat.title })).toBeVisible();
  }
  // Shop B's rows exist, and never reach shop A's page.
  await expect(deliveries.getByText("e2e-admin-event-b1")).toHaveCount(0);
  await expect(deliveries.getByText("orders/paid")).toHaveCount(0);
  await expect(chats.getByText("(shop B)")).toHaveCount(0);

  // Every read carried the one session token App Bridge gave, for this shop.
  expect(issued).toHaveLength(1);
  await expect.poll(() => sent.length).toBe(2);
  expect(sent.map((request) => request.path).sort()).toEqual([
    "/api/models/chat",
    "/api/models/webhookEvent",
  ]);
  expect(sent.every((request) => request.token === issued[0] && request.status === 200)).toBe(true);
  expect(errors).toEqual([]);
});

test("a refused session token is renewed once and the reads sent again", async ({
  page,
  request,
  baseURL,
}) => {
  await deliverWebhooks(request);
  // The first token expired two minutes ago (beyond the server's clock tolerance); the next is fresh.
  const issued = await standInAppBridge(page, baseURL ?? "", { firstTokenExpiresIn: -120 });
  const sent = recordModelRequests(page);

  await page.goto(`/admin?shop=${SHOP}`);
  await expect(table(page, "Chats").getByRole("cell", { name: ADMIN_CHATS[0].title })).toBeVisible();
  await expect(table(page, "Webhook deliveries").getByText("e2e-admin-event-a1")).toBeVisible();

  // Two tokens: the expired one, and the one both retries shared.
  expect(issued).toHaveLength(2);
  await expect.poll(() => sent.length).toBe(4);
  for (const path of ["/api/models/chat", "/api/models/webhookEvent"]) {
    // The 401 first; sorted, since the listener records answers asynchronously.
    expect(sent.filter((request) => request.path === path).sort((a, b) => b.status - a.status)).toEqual([
      { path, token: issued[0], status: 401, retryHeader: "1" },
      { path, token: issued[1], status: 200, retryHeader: null },
    ]);
  }
});

test("live reads stream through fetch with the session token and refetch on a change", async ({
  page,
  browser,
  baseURL,
}) => {
  const issued = await standInAppBridge(page, baseURL ?? "");
  // The browser's EventSource cannot send the token: the stream is a fetch carrying it.
  const liveStream = page.waitForResponse(
    (response) => new URL(response.url()).pathname === "/api/models/_live",
  );
  await page.goto(`/admin?shop=${SHOP}`);
  await expect(table(page, "Chats").getByRole("cell", { name: ADMIN_CHATS[0].title })).toBeVisible();
  const live = await liveStream;
  expect(live.status()).toBe(200);
  expect(live.headers()["content-type"]).toMatch(/^text\/event-stream/);
  expect(live.request().resourceType()).toBe("fetch");
  expect(await live.request().headerValue("authorization")).toBe(`Bearer ${issued[0]}`);
  expect(new URL(live.url()).searchParams.get("models")).toBe("chat,webhookEvent");

  // A signed-in user's new chat (no shop) is announced on the stream: the admin page reads its
  // chats again, with the token, and still shows none but its shop's.
  const refetch = page.waitForRequest(
    (request) => new URL(request.url()).pathname === "/api/models/chat" && request.method() === "GET",
  );
  const user = await browser.newPage();
  await signUp(user, `admin-live-${test.info().workerIndex}-${test.info().repeatEachIndex}@example.com`);
  const created = await user.request.post("/api/models/chat", {
    data: { data: { title: "A user's own chat" } },
  });
  expect(created.status()).toBe(201);
  expect(await (await refetch).headerValue("authorization")).toBe(`Bearer ${issued[0]}`);
  await expect(table(page, "Chats").getByText("A user's own chat")).toHaveCount(0);
  await user.close();
});

test("the admin page may be framed by nobody without a shop's domain", async ({ request }) => {
  for (const shop of ["", "evil.example.com", "shop.myshopify.com.evil.example.com"]) {
    const response = await request.get(`/admin?shop=${encodeURIComponent(shop)}`);
    expect(response.headers()["content-security-policy"]).toBe("frame-ancestors 'none'");
  }
  // Other pages keep their own frame rules: the admin policy is scoped to /admin.
  const home = await request.get("/");
  expect(home.headers()["content-security-policy"] ?? "").not.toContain("admin.shopify.com");
});
