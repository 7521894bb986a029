// Differential test against @shopify/shopify-api 13.1.0's `auth.tokenExchange`: the request
// authenticate.admin sends to exchange a session token, and the session it stores, must be the
// library's. Both sides post to a capturing fetch; nothing leaves the process.
import "@shopify/shopify-api/adapters/web-api";
import { ApiVersion, LogSeverity, RequestedTokenType, type Session, shopifyApi } from "@shopify/shopify-api";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { type SessionStorage, shopifyApp } from "@sprocket/server/shopify";
import { pino } from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { API_KEY, claimsFor, sessionToken } from "./test/session-token.js";

const SECRET = "agreement-secret";
const SHOP = "agreement.myshopify.com";
const ANSWER = { access_token: "shpat_agreement", scope: "read_products,write_customers" };

interface Captured {
  url: string;
  method: string | undefined;
  headers: Record<string, string>;
  body: unknown;
}

/** A fetch that records the request and answers as Shopify does to an offline token exchange. */
function capturingFetch(captured: Captured[]) {
  return async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = Object.fromEntries(
      Object.entries((init?.headers ?? {}) as Record<string, string>).map(([key, value]) => [
        key.toLowerCase(),
        value,
      ]),
    );
    captured.push({
      url: String(input),
      method: init?.method,
      headers,
      body: JSON.parse(String(init?.body)),
    });
    return new Response(JSON.stringify(ANSWER), { headers: { "content-type": "application/json" } });
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
  // The web-api adapter's own setting, as the library's other users expect it.
  setAbstractFetchFunc(fetch);
});

describe("token exchange agrees with @shopify/shopify-api's auth.tokenExchange", () => {
  it("sends the same request and stores the same offline session", async () => {
    const token = await sessionToken(claimsFor(SHOP), SECRET);

    const libraryRequests: Captured[] = [];
    setAbstractFetchFunc(capturingFetch(libraryRequests) as typeof fetch);
    const library = shopifyApi({
      apiKey: API_KEY,
      apiSecretKey: SECRET,
      hostName: "app.example",
      apiVersion: ApiVersion.January26,
      isEmbeddedApp: true,
      logger: { level: LogSeverity.Error },
    });
    const { session: librarySession } = await library.auth.tokenExchange({
      shop: SHOP,
      sessionToken: token,
      requestedTokenType: RequestedTokenType.OfflineAccessToken,
    });

    const ownRequests: Captured[] = [];
    vi.stubGlobal("fetch", capturingFetch(ownRequests));
    const stored: Session[] = [];
    const storage: SessionStorage = {
      storeSession: async (session) => Boolean(stored.push(session)),
      loadSession: async () => undefined,
      deleteSession: async () => true,
      deleteSessions: async () => true,
      findSessionsByShop: async () => [],
    };
    const app = shopifyApp({
      apiKey: API_KEY,
      apiSecretKey: SECRET,
      apiVersion: "2026-01",
      sessionStorage: storage,
      logger: pino({ level: "silent" }),
    });
    const context = await app.authenticate.admin(
      new Request("https://app.example/api", { headers: { authorization: `Bearer ${token}` } }),
    );

    expect(ownRequests).toHaveLength(1);
    expect(libraryRequests).toHaveLength(1);
    const [own] = ownRequests;
    const [theirs] = libraryRequests;
    expect(own!.url).toBe(theirs!.url);
    expect(own!.url).toBe(`https://${SHOP}/admin/oauth/access_token`);
    expect(own!.method).toBe(theirs!.method);
    expect(own!.headers["content-type"]).toBe(theirs!.headers["content-type"]);
    expect(own!.body).toEqual(theirs!.body);

    expect(stored).toHaveLength(1);
    const fields = (session: Session) => {
      const { id, shop, state, isOnline, accessToken, scope, expires } = session;
      return { id, shop, state, isOnline, accessToken, scope, expires };
    };
    expect(fields(stored[0]!)).toEqual(fields(librarySession));
    expect(fields(context.session)).toEqual(fields(librarySession));
  });
});
