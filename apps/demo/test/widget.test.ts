// The chat widget's server side below the browser: the token endpoints (off Shopify, by allowed
// origin; on a storefront, through the signed app proxy, customer-aware), the framed page's
// policy, the widget-visitor role (one visitor never reaches another's chats), and the limits on
// POST /chat per token owner and per client address. Runs on both database legs.

import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { claimsFor, sessionToken } from "../../../packages/server/src/shopify/test/session-token";
import { seconds, signedQuery } from "../../../packages/server/src/shopify/test/sign";

const HOST = "https://shop.example";
const OTHER_HOST = "https://evil.example";
const SHOPIFY_SECRET = "widget-proxy-secret";
vi.hoisted(() => {
  process.env.WIDGET_TOKEN_SECRET = "widget-test-secret-0123456789abcdef";
  process.env.WIDGET_ALLOWED_ORIGINS = "https://shop.example, https://second.example";
  process.env.SHOPIFY_API_KEY = "widget-api-key";
  process.env.SHOPIFY_API_SECRET = "widget-proxy-secret";
  // Small, so the limit cases need few requests: 2 per owner, 6 per address.
  process.env.CHAT_RATE_LIMIT = "2";
});

import { verifySessionToken } from "@sprocket/server/shopify";
import { POST as createModel, GET as readModels } from "@/app/api/models/[...path]/route";
import { POST as TOKEN, OPTIONS as TOKEN_OPTIONS } from "@/app/api/widget/token/route";
import { POST as CHAT, OPTIONS as CHAT_OPTIONS } from "@/app/chat/route";
import { GET as PROXY_TOKEN } from "@/app/proxy/widget-token/route";
import { GET as FRAME } from "@/app/widget/frame/route";
import { db } from "@/lib/db";
import { issueWidgetToken, verifyWidgetToken } from "@/lib/widget/token";
import { buildWidget, LOADER_BUDGET_BYTES } from "../scripts/build-widget.mjs";
import { databaseKind } from "./database";

const APP = "http://127.0.0.1:3000";
const prisma = db();
const run = Math.random().toString(36).slice(2, 8);
const SHOP = `${run}-widget.myshopify.com`;
// Client addresses unique per run, one per case, so the address limit is each case's own.
const addressOf = (n: number) =>
  `10.${n}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
const CUSTOMER = `${Date.now() % 1_000_000_000}7`;
const visitorIds: string[] = [];

function tokenRequest({ origin = HOST as string | null, body = {} as unknown, ip = addressOf(1) } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json", "x-forwarded-for": ip };
  if (origin !== null) headers.origin = origin;
  return TOKEN(
    new Request(`${APP}/api/widget/token`, { method: "POST", headers, body: JSON.stringify(body) }),
  );
}

async function visitorToken(body: unknown = {}) {
  const response = await tokenRequest({ body });
  expect(response.status).toBe(200);
  const answer = (await response.json()) as { token: string; expiresAt: number; visitorKey: string };
  const verified = await verifyWidgetToken(answer.token, process.env.WIDGET_TOKEN_SECRET as string);
  if (!verified.ok || verified.owner.kind !== "visitor") throw new Error("expected a visitor token");
  visitorIds.push(verified.owner.visitorId);
  return { ...answer, visitorId: verified.owner.visitorId };
}

function proxied(path: string, pairs: [string, string][]) {
  const query = signedQuery(
    [["shop", SHOP], ["path_prefix", "/apps/sprocket"], ["timestamp", seconds(Date.now())], ...pairs],
    SHOPIFY_SECRET,
  );
  return new Request(`${APP}${path}?${query}`);
}

const bearer = (token: string, ip = addressOf(2)) => ({
  authorization: `Bearer ${token}`,
  "content-type": "application/json",
  "x-forwarded-for": ip,
});

async function newChat(token: string): Promise<string> {
  const response = await createModel(
    new Request(`${APP}/api/models/chat`, {
      method: "POST",
      headers: bearer(token),
      body: JSON.stringify({ data: { title: "Widget chat" } }),
    }),
  );
  expect(response.status).toBe(201);
  return (await response.json()).data.id;
}

async function chatIds(token: string): Promise<string[]> {
  const response = await readModels(new Request(`${APP}/api/models/chat`, { headers: bearer(token) }));
  expect(response.status).toBe(200);
  return (await response.json()).data.map((chat: { id: string }) => chat.id);
}

function ask(token: string, chatId: string, ip: string) {
  return CHAT(
    new Request(`${APP}/chat`, {
      method: "POST",
      headers: bearer(token, ip),
      body: JSON.stringify({ chatId, messages: [{ role: "user", content: "Hello [[fast]] [[tokens=3]]" }] }),
    }),
  );
}

/** Waits until no answer of these chats is still streaming, so the rows can be deleted. */
async function settled(chatIds: string[]) {
  await vi.waitFor(
    async () => {
      const streaming = await prisma.message.count({
        where: { chatId: { in: chatIds }, status: "streaming" },
      });
      if (streaming > 0) throw new Error("still streaming");
    },
    { timeout: 20_000, interval: 20 },
  );
}

let outdir = "";
beforeAll(async () => {
  outdir = await mkdtemp(join(tmpdir(), "sprocket-widget-"));
});
afterAll(async () => {
  await prisma.chat.deleteMany({ where: { OR: [{ visitorId: { in: visitorIds } }, { shop: SHOP }] } });
  await prisma.shopifyCustomer.deleteMany({ where: { shop: SHOP } });
  await rm(outdir, { recursive: true, force: true });
  await prisma.$disconnect();
});

describe(`widget tokens (${databaseKind})`, () => {
  it("gives an allowed origin an anonymous visitor token, with CORS for that origin only", async () => {
    const response = await tokenRequest();
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe(HOST);
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    // Shared caches must key the answer on the origin.
    expect(response.headers.get("vary")).toContain("Origin");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const { token, expiresAt, visitorKey } = await response.json();
    const verified = await verifyWidgetToken(token, process.env.WIDGET_TOKEN_SECRET as string);
    expect(verified).toMatchObject({ ok: true, owner: { kind: "visitor", shop: null } });
    // A few minutes, not a session.
    expect(expiresAt - Date.now()).toBeGreaterThan(60_000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    expect(typeof visitorKey).toBe("string");
    // The visitor key is not a token: it opens nothing by itself.
    expect((await verifyWidgetToken(visitorKey, process.env.WIDGET_TOKEN_SECRET as string)).ok).toBe(false);
  });

  it("keeps a visitor with their visitor key, and starts a new one for a forged key", async () => {
    const first = await visitorToken();
    const again = await visitorToken({ visitorKey: first.visitorKey });
    expect(again.visitorId).toBe(first.visitorId);
    const [header, payload] = first.visitorKey.split(".");
    const forgedPayload = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload as string, "base64url").toString()),
        sub: "someone-else",
      }),
    ).toString("base64url");
    const forged = await visitorToken({
      visitorKey: `${header}.${forgedPayload}.${first.visitorKey.split(".")[2]}`,
    });
    expect(forged.visitorId).not.toBe(first.visitorId);
    expect(forged.visitorId).not.toBe("someone-else");
  });

  it("refuses other origins and requests without one, preflights included", async () => {
    for (const origin of [OTHER_HOST, "null", null]) {
      const response = await tokenRequest({ origin });
      expect(response.status).toBe(403);
      expect(response.headers.get("access-control-allow-origin")).toBeNull();
      expect(response.headers.get("vary")).toContain("Origin");
      expect(JSON.stringify(await response.json())).not.toContain('token":');
    }
    const preflight = (origin: string) =>
      TOKEN_OPTIONS(
        new Request(`${APP}/api/widget/token`, {
          method: "OPTIONS",
          headers: {
            origin,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
          },
        }),
      );
    const denied = await preflight(OTHER_HOST);
    expect(denied.status).toBe(403);
    expect(denied.headers.get("access-control-allow-origin")).toBeNull();
    const allowed = await preflight(HOST);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(HOST);
  });

  it("limits the tokens one address is given, with 429 and Retry-After", async () => {
    const ip = addressOf(3);
    const statuses: number[] = [];
    for (let index = 0; index < 31; index++) {
      const response = await tokenRequest({ ip });
      statuses.push(response.status);
      if (response.status === 429) expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    expect(statuses.slice(0, 30).every((status) => status === 200)).toBe(true);
    expect(statuses[30]).toBe(429);
  });

  it("gives a storefront's logged-in customer a customer token through the signed app proxy", async () => {
    const response = await PROXY_TOKEN(proxied("/proxy/widget-token", [["logged_in_customer_id", CUSTOMER]]));
    expect(response.status).toBe(200);
    const { token, visitorKey } = await response.json();
    expect(visitorKey).toBeUndefined();
    expect(await verifyWidgetToken(token, process.env.WIDGET_TOKEN_SECRET as string)).toEqual({
      ok: true,
      owner: { kind: "customer", customerId: CUSTOMER, shop: SHOP },
    });
  });

  it("gives an anonymous storefront visitor a visitor token for the shop, and refuses unsigned requests", async () => {
    const response = await PROXY_TOKEN(proxied("/proxy/widget-token", []));
    expect(response.status).toBe(200);
    const { token, visitorKey } = await response.json();
    const verified = await verifyWidgetToken(token, process.env.WIDGET_TOKEN_SECRET as string);
    expect(verified).toMatchObject({ ok: true, owner: { kind: "visitor", shop: SHOP } });
    if (verified.ok && verified.owner.kind === "visitor") visitorIds.push(verified.owner.visitorId);
    // The visitor key comes back inside Shopify's signature: the same visitor.
    const again = await PROXY_TOKEN(proxied("/proxy/widget-token", [["visitorKey", visitorKey]]));
    const verifiedAgain = await verifyWidgetToken(
      (await again.json()).token,
      process.env.WIDGET_TOKEN_SECRET as string,
    );
    expect(verifiedAgain).toEqual(verified);

    const unsigned = await PROXY_TOKEN(
      new Request(`${APP}/proxy/widget-token?shop=${SHOP}&logged_in_customer_id=${CUSTOMER}`),
    );
    expect(unsigned.status).toBe(401);
    expect(JSON.stringify(await unsigned.json())).not.toContain('token":');
  });
});

describe(`the widget frame (${databaseKind})`, () => {
  it("may be framed by the allowed host it was opened for, and nowhere else", async () => {
    const allowed = await FRAME(new Request(`${APP}/widget/frame?host=${encodeURIComponent(HOST)}`));
    expect(allowed.status).toBe(200);
    const policy = allowed.headers.get("content-security-policy") ?? "";
    expect(policy).toContain(`frame-ancestors ${HOST}`);
    expect(policy).toContain("script-src 'self'");
    expect(await allowed.text()).toContain(
      '<script type="application/json" id="widget-settings">{"host":"https://shop.example"}</script>',
    );

    for (const host of [OTHER_HOST, "", "https://shop.example/path"]) {
      const refused = await FRAME(new Request(`${APP}/widget/frame?host=${encodeURIComponent(host)}`));
      expect(refused.status).toBe(403);
      expect(refused.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(refused.headers.get("x-frame-options")).toBe("DENY");
      expect(await refused.text()).not.toContain("<script");
    }
  });

  it("keeps the loader within its budget: at most 5 KB minified and gzipped", async () => {
    const { loader } = await buildWidget({ outdir });
    const size = gzipSync(await readFile(loader), { level: 9 }).length;
    expect(size).toBeGreaterThan(500);
    expect(size).toBeLessThanOrEqual(LOADER_BUDGET_BYTES);
  });
});

describe(`the widget-visitor role (${databaseKind})`, () => {
  it("lets a visitor reach their own chats only: visitor A never sees visitor B's", async () => {
    const alice = await visitorToken();
    const bob = await visitorToken();
    const aliceChat = await newChat(alice.token);
    const bobChat = await newChat(bob.token);
    const row = await prisma.chat.findUniqueOrThrow({ where: { id: aliceChat } });
    expect(row).toMatchObject({ visitorId: alice.visitorId, userId: null, customerId: null, shop: null });

    expect(await chatIds(alice.token)).toEqual([aliceChat]);
    expect(await chatIds(bob.token)).toEqual([bobChat]);
    const peek = await readModels(
      new Request(`${APP}/api/models/chat/${aliceChat}`, { headers: bearer(bob.token) }),
    );
    expect(peek.status).toBe(404);
    const messages = await readModels(
      new Request(
        `${APP}/api/models/message?filter=${encodeURIComponent(JSON.stringify({ chat: { equals: aliceChat } }))}`,
        {
          headers: bearer(bob.token),
        },
      ),
    );
    expect((await messages.json()).data).toEqual([]);

    // Bob cannot post into Alice's chat; Alice can, and her answer streams.
    const intrusion = await ask(bob.token, aliceChat, addressOf(4));
    expect(intrusion.status).toBe(404);
    const answer = await ask(alice.token, aliceChat, addressOf(4));
    expect(answer.status).toBe(200);
    expect((await answer.text()).length).toBeGreaterThan(0);
    await settled([aliceChat]);
    expect(await prisma.message.count({ where: { chatId: aliceChat } })).toBe(2);
    expect(await prisma.message.count({ where: { chatId: bobChat } })).toBe(0);
  });

  it("never writes a message into someone else's chat, by link or by naming its chatId", async () => {
    const alice = await visitorToken();
    const mallory = await visitorToken();
    const aliceChat = await newChat(alice.token);
    const intrusions = [
      { chat: { _link: aliceChat }, order: 1, role: "assistant", content: "Injected" },
      { chatId: aliceChat, order: 1, role: "assistant", content: "Injected" },
    ];
    for (const data of intrusions) {
      const response = await createModel(
        new Request(`${APP}/api/models/message`, {
          method: "POST",
          headers: bearer(mallory.token),
          body: JSON.stringify({ data }),
        }),
      );
      expect(response.status).toBe(404);
    }
    expect(await prisma.message.count({ where: { chatId: aliceChat } })).toBe(0);
  });

  it("sets the owner from the token, whatever the caller sends", async () => {
    const mallory = await visitorToken();
    const response = await createModel(
      new Request(`${APP}/api/models/chat`, {
        method: "POST",
        headers: bearer(mallory.token),
        body: JSON.stringify({ data: { visitorId: "someone-else" } }),
      }),
    );
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await prisma.chat.count({ where: { visitorId: "someone-else" } })).toBe(0);
  });

  it("gives a customer the chats of their own shop, apart from visitors", async () => {
    const response = await PROXY_TOKEN(proxied("/proxy/widget-token", [["logged_in_customer_id", CUSTOMER]]));
    const { token } = await response.json();
    const chat = await newChat(token);
    expect(await prisma.chat.findUniqueOrThrow({ where: { id: chat } })).toMatchObject({
      customerId: CUSTOMER,
      shop: SHOP,
      visitorId: null,
    });
    expect(await chatIds(token)).toEqual([chat]);
    const visitor = await visitorToken();
    expect(await chatIds(visitor.token)).not.toContain(chat);
  });

  it("never takes a widget token for a Shopify session token, nor the other way round, over one secret", async () => {
    // The configuration refuses one secret for both; the claims keep them apart regardless.
    const shared = "one-secret-for-both-0123456789abcdef";
    const widget = await issueWidgetToken({ kind: "customer", customerId: CUSTOMER, shop: SHOP }, shared);
    const admin = await sessionToken(claimsFor(SHOP, { aud: "widget-api-key" }), shared);
    expect((await verifySessionToken(admin, { apiKey: "widget-api-key", secrets: [shared] })).ok).toBe(true);
    expect((await verifyWidgetToken(widget.token, shared)).ok).toBe(true);
    expect((await verifySessionToken(widget.token, { apiKey: "widget-api-key", secrets: [shared] })).ok).toBe(
      false,
    );
    expect((await verifyWidgetToken(admin, shared)).ok).toBe(false);
  });

  it("refuses expired, forged and foreign widget tokens with a plain 401 the frame renews on", async () => {
    const alice = await visitorToken();
    const chat = await newChat(alice.token);
    const [header, payload, signature] = alice.token.split(".");
    const tampered = `${header}.${payload}.${(signature as string).slice(0, -2)}AA`;
    const expired = await issueWidgetToken(
      { kind: "visitor", visitorId: alice.visitorId, shop: null },
      process.env.WIDGET_TOKEN_SECRET as string,
      Date.now() - 10 * 60_000,
    );
    const otherSecret = await issueWidgetToken(
      { kind: "visitor", visitorId: alice.visitorId, shop: null },
      "another-secret-0123456789abcdef-0123",
    );
    for (const token of [tampered, expired.token, otherSecret.token]) {
      const response = await readModels(
        new Request(`${APP}/api/models/chat/${chat}`, { headers: bearer(token) }),
      );
      // The widget's own refusal: not Shopify's (no retry header), and nothing says which check failed.
      expect(response.status).toBe(401);
      expect(response.headers.get("x-shopify-retry-invalid-session-request")).toBeNull();
      expect(await response.text()).toBe("");
    }
    // Anything else is not the widget's: with the Shopify app configured, its source refuses it.
    const other = await readModels(
      new Request(`${APP}/api/models/chat/${chat}`, { headers: bearer("not.a.token") }),
    );
    expect(other.status).toBe(401);
    expect(other.headers.get("x-shopify-retry-invalid-session-request")).toBe("1");
    expect(
      (await readModels(new Request(`${APP}/api/models/chat/${chat}`, { headers: bearer(alice.token) })))
        .status,
    ).toBe(200);
  });
});

describe(`widget limits on POST /chat (${databaseKind})`, () => {
  it("answers CORS on POST /chat for allowed hosts only, never with credentials", async () => {
    const preflight = (origin: string) =>
      CHAT_OPTIONS(
        new Request(`${APP}/chat`, {
          method: "OPTIONS",
          headers: {
            origin,
            "access-control-request-method": "POST",
            "access-control-request-headers": "authorization, content-type",
          },
        }),
      );
    for (const origin of [OTHER_HOST, "null"]) {
      const denied = await preflight(origin);
      expect(denied.status).toBe(403);
      expect(denied.headers.get("access-control-allow-origin")).toBeNull();
      expect(denied.headers.get("vary")).toContain("Origin");
    }
    const allowed = await preflight(HOST);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(HOST);
    expect(allowed.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("limits each token's owner with 429 and Retry-After", async () => {
    const visitor = await visitorToken();
    const chat = await newChat(visitor.token);
    const ip = addressOf(5);
    const statuses: number[] = [];
    for (let index = 0; index < 3; index++) {
      const response = await ask(visitor.token, chat, ip);
      statuses.push(response.status);
      if (response.status === 429) expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
      await response.text();
      await settled([chat]);
    }
    expect(statuses).toEqual([200, 200, 429]);
    // A new token for the same visitor does not reset the count.
    const renewed = await visitorToken({ visitorKey: visitor.visitorKey });
    const again = await ask(renewed.token, chat, addressOf(6));
    expect(again.status).toBe(429);
  });

  it("limits widget visitors' model API writes per address, across visitors, reads untouched", async () => {
    const ip = addressOf(8);
    const create = (token: string) =>
      createModel(
        new Request(`${APP}/api/models/chat`, {
          method: "POST",
          headers: bearer(token, ip),
          body: JSON.stringify({ data: { title: "Filler" } }),
        }),
      );
    const statuses: number[] = [];
    // New visitors (as anyone may get) share the address's count.
    for (let visitorIndex = 0; visitorIndex < 2; visitorIndex++) {
      const visitor = await visitorToken();
      for (let index = 0; index < 16; index++) statuses.push((await create(visitor.token)).status);
    }
    expect(statuses.filter((status) => status === 201)).toHaveLength(30);
    expect(statuses.slice(30)).toEqual([429, 429]);
    const last = await visitorToken();
    const refused = await create(last.token);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    const read = await readModels(new Request(`${APP}/api/models/chat`, { headers: bearer(last.token, ip) }));
    expect(read.status).toBe(200);
  });

  it("limits each address across visitors with 429 and Retry-After", async () => {
    const ip = addressOf(7);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    const chats: string[] = [];
    for (let visitorIndex = 0; visitorIndex < 4; visitorIndex++) {
      const visitor = await visitorToken();
      const chat = await newChat(visitor.token);
      chats.push(chat);
      for (let index = 0; index < 2; index++) {
        const response = await ask(visitor.token, chat, ip);
        statuses.push(response.status);
        if (response.status === 429) retryAfter = response.headers.get("retry-after");
        await response.text();
        await settled([chat]);
      }
    }
    // 2 per visitor, 6 per address: the fourth visitor on the same address is refused.
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});
