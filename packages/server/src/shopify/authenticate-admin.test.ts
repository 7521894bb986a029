import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { Session } from "@shopify/shopify-api";
import { type ShopifyAdminServer, startShopifyAdminServer } from "@sprocket/dev/shopify-admin";
import { identify, UNAUTHENTICATED } from "@sprocket/server/auth";
import {
  RETRY_INVALID_SESSION_HEADER,
  SESSION_TOKEN_CLOCK_TOLERANCE_SECONDS,
  type SessionStorage,
  shopifyApp,
} from "@sprocket/server/shopify";
import { generateKeyPair, SignJWT } from "jose";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { API_KEY, claimsFor, forgedToken, sessionToken, type TokenClaims } from "./test/session-token.js";

const SECRET = "admin-secret-new";
const OLD_SECRET = "admin-secret-old";
const SHOP = "admin-one.myshopify.com";
const OTHER_SHOP = "admin-two.myshopify.com";
const STORED_TOKEN = "shpat_admin_one";
const API_VERSION = "2026-01";

/** A session storage over a Map that counts writes: the contract, without a database. */
function memoryStorage() {
  const sessions = new Map<string, Session>();
  const storage: SessionStorage & { stored: number } = {
    stored: 0,
    async storeSession(session) {
      storage.stored += 1;
      sessions.set(session.id, session);
      return true;
    },
    loadSession: async (id) => sessions.get(id),
    async deleteSession(id) {
      sessions.delete(id);
      return true;
    },
    async deleteSessions(ids) {
      for (const id of ids) sessions.delete(id);
      return true;
    },
    findSessionsByShop: async (shop) => [...sessions.values()].filter((session) => session.shop === shop),
  };
  return storage;
}

/** A pino logger whose lines land in `lines`, to check what refusals log (and what they do not). */
function capturedLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level: "debug" }, stream), lines };
}

const bearer = (token: string, url = "https://app.example.com/api/admin") =>
  new Request(url, { headers: { authorization: `Bearer ${token}` } });

let standIn: ShopifyAdminServer;
let storage: ReturnType<typeof memoryStorage>;
let log: ReturnType<typeof capturedLogger>;
let shopify: ReturnType<typeof shopifyApp>;

beforeAll(async () => {
  standIn = await startShopifyAdminServer({
    accessTokens: [STORED_TOKEN],
    app: { apiKey: API_KEY, secrets: [SECRET, OLD_SECRET] },
  });
});
afterAll(() => standIn.stop());

beforeEach(async () => {
  storage = memoryStorage();
  await storage.storeSession(
    new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: STORED_TOKEN }),
  );
  storage.stored = 0;
  log = capturedLogger();
  shopify = appWith({ apiSecretKey: [SECRET, OLD_SECRET] });
});

/** The app under test: this file's key, version, storage, stand-in and logger, with `options` on top. */
function appWith(options: Partial<Parameters<typeof shopifyApp>[0]>) {
  return shopifyApp({
    apiKey: API_KEY,
    apiSecretKey: SECRET,
    apiVersion: API_VERSION,
    sessionStorage: storage,
    adminOrigin: standIn.origin,
    logger: log.logger,
    ...options,
  });
}
afterEach(() => vi.useRealTimers());

/** Resolves the thrown `Response` of a refused request. */
async function refusal(request: Request): Promise<Response> {
  const error = await shopify.authenticate.admin(request).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(Response);
  return error as Response;
}

/** Asserts the plain retryable 401, and that the log names `reason` but never the token. */
async function expectRefused(request: Request, reason: string) {
  const response = await refusal(request);
  expect(response.status).toBe(401);
  expect(response.headers.get(RETRY_INVALID_SESSION_HEADER)).toBe("1");
  expect(await response.text()).toBe("");
  const logged = log.lines.join("");
  expect(logged).toContain(`"reason":"${reason}"`);
  const token = request.headers.get("authorization")?.slice("Bearer ".length);
  if (token) expect(logged).not.toContain(token);
}

describe("authenticate.admin: a valid session token", () => {
  it("resolves to the shop's stored session, its Admin API, the token's claims and the shop", async () => {
    const claims = claimsFor(SHOP);
    const context = await shopify.authenticate.admin(bearer(await sessionToken(claims, SECRET)));
    expect(context.shop).toBe(SHOP);
    expect(context.session).toMatchObject({ id: `offline_${SHOP}`, accessToken: STORED_TOKEN });
    expect(context.sessionToken).toMatchObject({
      iss: claims.iss,
      dest: claims.dest,
      aud: API_KEY,
      sub: "42",
    });
    expect(standIn.exchangeCount(SHOP)).toBe(0);

    const before = standIn.requests.length;
    const response = await context.admin.graphql("query ($id: ID!) { customer(id: $id) { id } }", {
      variables: { id: "gid://shopify/Customer/1" },
    });
    expect(response).toBeInstanceOf(Response);
    expect(await response.json()).toMatchObject({ data: { customer: null } });
    expect(standIn.requests.slice(before)).toMatchObject([
      { accessToken: STORED_TOKEN, apiVersion: API_VERSION },
    ]);
  });

  it("accepts a token signed with an older secret during a rotation", async () => {
    const context = await shopify.authenticate.admin(bearer(await sessionToken(claimsFor(SHOP), OLD_SECRET)));
    expect(context.shop).toBe(SHOP);
  });

  it("reads the id_token query parameter of a document request without an Authorization header", async () => {
    const token = await sessionToken(claimsFor(SHOP), SECRET);
    const context = await shopify.authenticate.admin(
      new Request(`https://app.example.com/admin?shop=${SHOP}&embedded=1&id_token=${token}`),
    );
    expect(context.shop).toBe(SHOP);
  });

  it("gives Gadget's connections.shopify through adminContext", async () => {
    const context = await shopify.adminContext(bearer(await sessionToken(claimsFor(SHOP), SECRET)));
    expect(context.shopify.currentShop).toEqual({ myshopifyDomain: SHOP });
    const data = await context.shopify.current.graphql("query ($id: ID!) { customer(id: $id) { id } }", {
      id: "gid://shopify/Customer/1",
    });
    expect(data).toEqual({ customer: null });
  });
});

describe("authenticate.admin: refusals are a plain 401 App Bridge retries, the reason only in the log", () => {
  const wrongClaims: Array<[string, TokenClaims, string]> = [
    ["aud is another app", { aud: "another-app" }, "invalid-audience"],
    ["iss is not the shop's admin URL", { iss: `https://${SHOP}` }, "invalid-issuer"],
    ["iss is on another host", { iss: "https://evil.example.com/admin" }, "invalid-issuer"],
    ["dest is not the shop's URL", { dest: `https://${SHOP}/admin` }, "invalid-destination"],
    ["dest has a port", { dest: `https://${SHOP}:444` }, "invalid-destination"],
    ["dest is plain http", { dest: `http://${SHOP}` }, "invalid-destination"],
    ["iss and dest name different shops", { iss: `https://${OTHER_SHOP}/admin` }, "shop-mismatch"],
    [
      "the shop is not a myshopify.com domain",
      { iss: "https://shop.example.com/admin", dest: "https://shop.example.com" },
      "invalid-issuer",
    ],
    [
      "the shop domain has a path trick",
      { iss: "https://evil.com/.myshopify.com/admin", dest: "https://evil.com/.myshopify.com" },
      "invalid-issuer",
    ],
    ["exp has passed", { exp: Math.floor(Date.now() / 1000) - 120 }, "expired"],
    ["nbf is in the future", { nbf: Math.floor(Date.now() / 1000) + 120 }, "not-yet-valid"],
    ["exp is missing", { exp: undefined }, "malformed"],
    ["dest is missing", { dest: undefined }, "invalid-destination"],
  ];

  it.each(wrongClaims)("when %s", async (_name, overrides, reason) => {
    const claims = Object.fromEntries(
      Object.entries(claimsFor(SHOP, overrides)).filter(([, value]) => value !== undefined),
    );
    await expectRefused(bearer(await sessionToken(claims, SECRET)), reason);
  });

  it("when the token is signed with a secret the app does not have", async () => {
    await expectRefused(bearer(await sessionToken(claimsFor(SHOP), "not-the-secret")), "invalid-signature");
  });

  it("when the token is unsigned (alg: none)", async () => {
    await expectRefused(bearer(forgedToken(claimsFor(SHOP), SECRET, "none")), "disallowed-algorithm");
  });

  it.each(["RS256", "ES256", "HS384", "HS512", "PS256"])(
    "when the header claims %s over an HS256 signature with the secret (algorithm confusion)",
    async (alg) => {
      await expectRefused(bearer(forgedToken(claimsFor(SHOP), SECRET, alg)), "disallowed-algorithm");
    },
  );

  it.each(["HS384", "HS512"] as const)(
    "when the token is genuinely signed %s with the secret",
    async (algorithm) => {
      await expectRefused(
        bearer(await sessionToken(claimsFor(SHOP), SECRET, algorithm)),
        "disallowed-algorithm",
      );
    },
  );

  it("when the token is an RS256 token signed with a private key", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const token = await new SignJWT(claimsFor(SHOP)).setProtectedHeader({ alg: "RS256" }).sign(privateKey);
    await expectRefused(bearer(token), "disallowed-algorithm");
  });

  it("when the HS256 signature was tampered with", async () => {
    const token = await sessionToken(claimsFor(SHOP), SECRET);
    const [header, , signature] = token.split(".");
    const payload = Buffer.from(JSON.stringify(claimsFor(OTHER_SHOP))).toString("base64url");
    await expectRefused(bearer(`${header}.${payload}.${signature}`), "invalid-signature");
  });

  it("when the Authorization header is missing", async () => {
    await expectRefused(new Request("https://app.example.com/api/admin"), "missing");
  });

  it.each([
    ["another scheme", (token: string) => `Basic ${token}`],
    ["no token", () => "Bearer "],
    ["two tokens (a duplicated header)", (token: string) => `Bearer ${token}, Bearer ${token}`],
    ["something that is not a JWS", () => "Bearer not-a-token"],
  ])("when the Authorization header has %s", async (_name, value) => {
    const token = await sessionToken(claimsFor(SHOP), SECRET);
    const response = await refusal(
      new Request("https://app.example.com/api/admin", { headers: { authorization: value(token) } }),
    );
    expect(response.status).toBe(401);
    expect(response.headers.get(RETRY_INVALID_SESSION_HEADER)).toBe("1");
    expect(log.lines.join("")).toContain('"reason":"malformed-authorization"');
    expect(log.lines.join("")).not.toContain(token);
  });

  it("when a document request carries two id_token parameters", async () => {
    const token = await sessionToken(claimsFor(SHOP), SECRET);
    await expectRefused(
      new Request(`https://app.example.com/admin?id_token=${token}&id_token=${token}`),
      "malformed-authorization",
    );
  });
});

describe("authenticate.admin: exp and nbf within the clock tolerance", () => {
  const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
  const nowSeconds = NOW / 1000;
  const tolerance = SESSION_TOKEN_CLOCK_TOLERANCE_SECONDS;

  /** Signs claims at the real clock's time (jose's `iat` default is not used), then pins the clock. */
  async function atPinnedClock(overrides: TokenClaims) {
    const token = await sessionToken(claimsFor(SHOP, { iat: nowSeconds, ...overrides }), SECRET);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW);
    return bearer(token);
  }

  it("documents a tolerance of a few seconds", () => {
    expect(tolerance).toBe(5);
  });

  it("accepts a token that expired less than the tolerance ago", async () => {
    const request = await atPinnedClock({ exp: nowSeconds - tolerance + 1, nbf: nowSeconds - 60 });
    await expect(shopify.authenticate.admin(request)).resolves.toMatchObject({ shop: SHOP });
  });

  it("refuses a token that expired more than the tolerance ago", async () => {
    await expectRefused(
      await atPinnedClock({ exp: nowSeconds - tolerance - 1, nbf: nowSeconds - 60 }),
      "expired",
    );
  });

  it("accepts a token valid from within the tolerance ahead", async () => {
    const request = await atPinnedClock({ nbf: nowSeconds + tolerance - 1, exp: nowSeconds + 60 });
    await expect(shopify.authenticate.admin(request)).resolves.toMatchObject({ shop: SHOP });
  });

  it("refuses a token valid only from beyond the tolerance ahead", async () => {
    await expectRefused(
      await atPinnedClock({ nbf: nowSeconds + tolerance + 1, exp: nowSeconds + 60 }),
      "not-yet-valid",
    );
  });

  it("takes another tolerance from the options", async () => {
    shopify = appWith({ sessionTokenClockTolerance: 30, adminOrigin: undefined });
    const request = await atPinnedClock({ exp: nowSeconds - 29, nbf: nowSeconds - 60 });
    await expect(shopify.authenticate.admin(request)).resolves.toMatchObject({ shop: SHOP });
    expect(() =>
      shopifyApp({
        apiKey: API_KEY,
        apiSecretKey: SECRET,
        apiVersion: API_VERSION,
        sessionStorage: storage,
        sessionTokenClockTolerance: -1,
      }),
    ).toThrow(/sessionTokenClockTolerance/);
  });
});

describe("authenticate.admin: token exchange on a shop's first request", () => {
  // One shop per test: the stand-in counts exchanges per shop for the whole file.
  const shopFor = (name: string) => `exchange-${name}.myshopify.com`;

  it("exchanges the token for an offline token, stores the session, then uses the stored one", async () => {
    const shop = shopFor("first");
    const context = await shopify.authenticate.admin(bearer(await sessionToken(claimsFor(shop), SECRET)));
    expect(standIn.exchangeCount(shop)).toBe(1);
    expect(storage.stored).toBe(1);
    const stored = await storage.loadSession(`offline_${shop}`);
    expect(stored).toMatchObject({
      shop,
      isOnline: false,
      state: "",
      scope: "read_customers,write_customers",
    });
    expect(stored?.accessToken).toMatch(/^shpat_exchanged_/);
    expect(context.session.accessToken).toBe(stored?.accessToken);

    // The exchanged token works against the Admin API.
    const response = await context.admin.graphql("query ($id: ID!) { customer(id: $id) { id } }", {
      variables: { id: "gid://shopify/Customer/1" },
    });
    expect(await response.json()).toMatchObject({ data: { customer: null } });

    const again = await shopify.authenticate.admin(bearer(await sessionToken(claimsFor(shop), SECRET)));
    expect(again.session.accessToken).toBe(stored?.accessToken);
    expect(standIn.exchangeCount(shop)).toBe(1);
    expect(storage.stored).toBe(1);
  });

  it("exchanges once for 10 concurrent first requests of a shop", async () => {
    const shop = shopFor("concurrent");
    const requests = await Promise.all(
      Array.from({ length: 10 }, async () => bearer(await sessionToken(claimsFor(shop), SECRET))),
    );
    const contexts = await Promise.all(requests.map((request) => shopify.authenticate.admin(request)));
    expect(standIn.exchangeCount(shop)).toBe(1);
    expect(storage.stored).toBe(1);
    expect(new Set(contexts.map((context) => context.session.accessToken)).size).toBe(1);
  });

  it("exchanges a token signed with the older secret, sending the newest client secret", async () => {
    const shop = shopFor("rotated");
    const context = await shopify.authenticate.admin(bearer(await sessionToken(claimsFor(shop), OLD_SECRET)));
    expect(context.shop).toBe(shop);
    expect(standIn.exchangeCount(shop)).toBe(1);
  });

  it("answers the retryable 401 when the library refuses a token ours accepted, never logging the token", async () => {
    // A tolerance wider than the library's own (10 s): a token 30 s past its exp passes ours, and the
    // library's exchange refuses it with an error that quotes the whole token.
    shopify = appWith({ sessionTokenClockTolerance: 60 });
    const shop = shopFor("late");
    const now = Math.floor(Date.now() / 1000);
    const token = await sessionToken(
      claimsFor(shop, { exp: now - 30, nbf: now - 90, iat: now - 90 }),
      SECRET,
    );
    await expectRefused(bearer(token), "invalid-subject-token");
    expect(standIn.exchangeCount(shop)).toBe(0);
  });

  it("answers the retryable 401 when Shopify refuses the exchange (the app is not installed)", async () => {
    const shop = shopFor("uninstalled");
    standIn.uninstall(shop);
    await expectRefused(bearer(await sessionToken(claimsFor(shop), SECRET)), "invalid-subject-token");
    expect(standIn.exchangeCount(shop)).toBe(0);
    expect(await storage.loadSession(`offline_${shop}`)).toBeUndefined();
  });

  it("exchanges a token signed with an older secret during a rotation, as that secret's client", async () => {
    const shop = shopFor("older-secret");
    // The newest secret is not yet the stand-in's; the token is signed with the older one.
    shopify = appWith({ apiSecretKey: ["rotated-in", SECRET] });
    const context = await shopify.authenticate.admin(bearer(await sessionToken(claimsFor(shop), SECRET)));
    expect(context.session.accessToken).toBeTruthy();
    expect((await storage.loadSession(`offline_${shop}`))?.accessToken).toBe(context.session.accessToken);
  });

  it("answers a plain 500 when the exchange fails otherwise (Shopify unreachable), and stores nothing", async () => {
    const shop = shopFor("unreachable");
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    // A port nothing listens on any more: the exchange's request is refused.
    shopify = appWith({ adminOrigin: `http://127.0.0.1:${port}` });
    const response = await refusal(bearer(await sessionToken(claimsFor(shop), SECRET)));
    expect(response.status).toBe(500);
    expect(response.headers.get(RETRY_INVALID_SESSION_HEADER)).toBeNull();
    expect(await storage.loadSession(`offline_${shop}`)).toBeUndefined();
  });
});

describe("authenticate.admin: a stored access token Shopify no longer accepts", () => {
  it("deletes the session and throws a plain 401 from the Admin API call; the next request exchanges again", async () => {
    const shop = "revoked-token.myshopify.com";
    await storage.storeSession(
      new Session({ id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: "shpat_revoked" }),
    );
    const request = async () => bearer(await sessionToken(claimsFor(shop), SECRET));
    const query = "query ($id: ID!) { customer(id: $id) { id } }";

    const stale = await shopify.authenticate.admin(await request());
    const error = await stale.admin
      .graphql(query, { variables: { id: "1" } })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(Response);
    expect((error as Response).status).toBe(401);
    expect((error as Response).headers.get(RETRY_INVALID_SESSION_HEADER)).toBeNull();
    expect(await storage.loadSession(`offline_${shop}`)).toBeUndefined();
    expect(log.lines.join("")).toContain('"reason":"revoked-access-token"');

    const fresh = await shopify.adminContext(await request());
    expect(standIn.exchangeCount(shop)).toBe(1);
    expect(await fresh.shopify.current.graphql(query, { id: "1" })).toEqual({ customer: null });
  });

  it("passes GraphQL errors through, and throws other HTTP errors as Responses with Shopify's status, as its packages do", async () => {
    const context = await shopify.authenticate.admin(bearer(await sessionToken(claimsFor(SHOP), SECRET)));
    await expect(context.admin.graphql("{ shop { name } }")).rejects.toThrow(
      /metafieldsSet and customer only/,
    );
    standIn.failNext(503);
    const unavailable = await context.admin.graphql("{ shop { name } }").catch((thrown: unknown) => thrown);
    expect(unavailable).toBeInstanceOf(Response);
    expect((unavailable as Response).status).toBe(503);
    expect(await storage.loadSession(`offline_${SHOP}`)).toBeDefined();
  });
});

describe("adminIdentity: the shopify-admin role for identify()", () => {
  it("makes a valid token { role: 'shopify-admin', shop }", async () => {
    const request = bearer(await sessionToken(claimsFor(OTHER_SHOP), SECRET));
    expect(await identify(request, [shopify.adminIdentity])).toEqual({
      role: "shopify-admin",
      shop: OTHER_SHOP,
    });
    // Identity only: no session lookup, no exchange.
    expect(standIn.exchangeCount(OTHER_SHOP)).toBe(0);
  });

  it("leaves requests without a Bearer Authorization header to the next source", async () => {
    const next = () => ({ role: "signed-in" });
    expect(await identify(new Request("https://app.example.com/"), [shopify.adminIdentity, next])).toEqual({
      role: "signed-in",
    });
    const basic = new Request("https://app.example.com/", {
      headers: { authorization: "Basic dXNlcjpwYXNz" },
    });
    expect(await identify(basic, [shopify.adminIdentity, next])).toEqual({ role: "signed-in" });
    expect(await identify(new Request("https://app.example.com/"), [shopify.adminIdentity])).toBe(
      UNAUTHENTICATED,
    );
  });

  it.each([
    ["signed with another secret", () => sessionToken(claimsFor(SHOP), "not-the-secret")],
    ["unsigned", async () => forgedToken(claimsFor(SHOP), SECRET, "none")],
    ["not a JWS", async () => "not-a-token"],
    ["empty", async () => ""],
  ])(
    "refuses a Bearer token %s with the retryable 401, not a fallback to the next source",
    async (_name, make) => {
      const next = () => ({ role: "signed-in" });
      const request = bearer(await make());
      const error = await identify(request, [shopify.adminIdentity, next]).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(Response);
      expect((error as Response).status).toBe(401);
      expect((error as Response).headers.get(RETRY_INVALID_SESSION_HEADER)).toBe("1");
    },
  );
});
