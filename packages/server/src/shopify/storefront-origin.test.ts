// `storefrontOrigin`: the appProxy context's Storefront client calls a local stand-in, with the
// library's path, API version and private token header, instead of https://{shop}.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { Session } from "@shopify/shopify-api";
import { type SessionStorage, shopifyApp } from "@sprocket/server/shopify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seconds, signedQuery } from "./test/sign.js";

const SECRET = "hush";
const SHOP = "shop-one.myshopify.com";
const TOKEN = "shpat_shop_one";

interface Received {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: unknown;
}

const received: Received[] = [];
const server = createServer((request, response) => {
  let body = "";
  request.on("data", (chunk) => (body += chunk));
  request.on("end", () => {
    received.push({
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: JSON.parse(body),
    });
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ data: { shop: { name: "Shop One" } } }));
  });
});
let origin: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const storageWith = (session: Session): SessionStorage => ({
  storeSession: async () => true,
  loadSession: async (id) => (id === session.id ? session : undefined),
  deleteSession: async () => true,
  deleteSessions: async () => true,
  findSessionsByShop: async (shop) => (shop === session.shop ? [session] : []),
});

const proxied = () =>
  new Request(
    `https://app.example.com/proxy?${signedQuery(
      [
        ["shop", SHOP],
        ["logged_in_customer_id", ""],
        ["path_prefix", "/apps/sprocket"],
        ["timestamp", seconds(Date.now())],
      ],
      SECRET,
    )}`,
  );

const app = (options: { storefrontOrigin?: string }) =>
  shopifyApp({
    apiKey: "key",
    apiSecretKey: SECRET,
    apiVersion: "2026-01",
    sessionStorage: storageWith(
      new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: TOKEN }),
    ),
    ...options,
  });

describe("storefrontOrigin", () => {
  it("sends the appProxy context's Storefront API calls to the stand-in", async () => {
    const { storefront } = await app({
      storefrontOrigin: `${origin}/ignored/path`,
    }).authenticate.public.appProxy(proxied());
    const response = await storefront!.graphql("query ($n: Int) { shop { name } }", { variables: { n: 1 } });
    expect(await response.json()).toMatchObject({ data: { shop: { name: "Shop One" } } });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      method: "POST",
      url: "/api/2026-01/graphql.json",
      headers: { "shopify-storefront-private-token": TOKEN },
      body: { query: "query ($n: Int) { shop { name } }", variables: { n: 1 } },
    });
  });

  it("must be an absolute http(s) URL", () => {
    expect(() => app({ storefrontOrigin: "not a url" })).toThrow(/storefrontOrigin/);
    expect(() => app({ storefrontOrigin: "ftp://127.0.0.1" })).toThrow(/storefrontOrigin/);
  });
});
