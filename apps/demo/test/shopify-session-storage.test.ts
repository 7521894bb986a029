// Shopify's session storage contract over the demo's ShopifySession model and a real database:
// what is stored loads back equal (offline and online sessions, user info, expiry, refresh token),
// a store with the same id overwrites, deletes are idempotent, and shops do not mix. Both legs.
import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@sprocket/server/shopify";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";

const storage = new PrismaSessionStorage(db().shopifySession);
const run = Math.random().toString(36).slice(2, 8);
const shopOf = (name: string) => `${run}-${name}.myshopify.com`;

const offline = (shop: string) =>
  new Session({
    id: `offline_${shop}`,
    shop,
    state: "state-1",
    isOnline: false,
    scope: "read_customers,write_customers",
    accessToken: "shpat_offline",
  });

const online = (shop: string, userId: number) =>
  new Session({
    id: `${shop}_${userId}`,
    shop,
    state: "state-2",
    isOnline: true,
    scope: "read_customers",
    accessToken: "shpua_online",
    expires: new Date("2031-01-02T03:04:05.000Z"),
    onlineAccessInfo: {
      expires_in: 86_400,
      associated_user_scope: "read_customers",
      associated_user: {
        // Above 2^31: the column is a BigInt.
        id: userId,
        first_name: "Ada",
        last_name: "Lovelace",
        email: "ada@example.com",
        email_verified: true,
        account_owner: true,
        locale: "en",
        collaborator: false,
      },
    },
  });

describe("PrismaSessionStorage", () => {
  it("loads back an offline session as it was stored", async () => {
    const session = offline(shopOf("offline"));
    session.refreshToken = "refresh-1";
    session.refreshTokenExpires = new Date("2030-05-06T07:08:09.000Z");
    expect(await storage.storeSession(session)).toBe(true);
    const loaded = await storage.loadSession(session.id);
    expect(loaded).toBeInstanceOf(Session);
    expect(loaded?.equals(session)).toBe(true);
    expect(loaded?.onlineAccessInfo).toBeUndefined();
    expect(loaded?.refreshTokenExpires?.toISOString()).toBe("2030-05-06T07:08:09.000Z");
  });

  it("loads back an online session with its user and expiry", async () => {
    const session = online(shopOf("online"), 9_007_199_254);
    await storage.storeSession(session);
    const loaded = await storage.loadSession(session.id);
    expect(loaded?.equals(session)).toBe(true);
    expect(loaded?.expires?.toISOString()).toBe("2031-01-02T03:04:05.000Z");
    expect(loaded?.onlineAccessInfo?.associated_user).toMatchObject({
      id: 9_007_199_254,
      first_name: "Ada",
      last_name: "Lovelace",
      email: "ada@example.com",
      email_verified: true,
      account_owner: true,
      locale: "en",
      collaborator: false,
    });
    const row = await db().shopifySession.findUnique({ where: { id: session.id } });
    expect(row?.userId).toBe(9_007_199_254n);
  });

  it("overwrites a session stored again under the same id", async () => {
    const session = offline(shopOf("overwrite"));
    await storage.storeSession(session);
    session.accessToken = "shpat_rotated";
    session.scope = "read_customers";
    await storage.storeSession(session);
    const loaded = await storage.loadSession(session.id);
    expect(loaded?.accessToken).toBe("shpat_rotated");
    expect(loaded?.scope).toBe("read_customers");
    expect(await storage.findSessionsByShop(session.shop)).toHaveLength(1);
  });

  it("answers undefined for an unknown id", async () => {
    expect(await storage.loadSession(`offline_${shopOf("nobody")}`)).toBeUndefined();
  });

  it("deletes one session, and deleting it again still succeeds", async () => {
    const session = offline(shopOf("delete"));
    await storage.storeSession(session);
    expect(await storage.deleteSession(session.id)).toBe(true);
    expect(await storage.loadSession(session.id)).toBeUndefined();
    expect(await storage.deleteSession(session.id)).toBe(true);
  });

  it("deletes many sessions at once, leaving the others", async () => {
    const shop = shopOf("many");
    const sessions = [offline(shop), online(shop, 1), online(shop, 2)];
    for (const session of sessions) await storage.storeSession(session);
    expect(await storage.deleteSessions([sessions[0]!.id, sessions[1]!.id, "no-such-id"])).toBe(true);
    const left = await storage.findSessionsByShop(shop);
    expect(left.map((session) => session.id)).toEqual([sessions[2]!.id]);
  });

  it("finds every session of a shop and none of another", async () => {
    const shop = shopOf("find");
    const other = shopOf("other");
    await storage.storeSession(offline(shop));
    await storage.storeSession(online(shop, 7));
    await storage.storeSession(offline(other));
    const found = await storage.findSessionsByShop(shop);
    expect(found.map((session) => session.id).sort()).toEqual([`${shop}_7`, `offline_${shop}`].sort());
    expect(found.every((session) => session instanceof Session && session.shop === shop)).toBe(true);
    expect(await storage.findSessionsByShop(shopOf("empty"))).toEqual([]);
  });

  it("refuses something that is not a model delegate", () => {
    expect(() => new PrismaSessionStorage({} as never)).toThrow(/prisma\.shopifySession/);
  });
});
