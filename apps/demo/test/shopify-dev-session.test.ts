// `sprocket-dev shopify session` against the real database: the row it writes is the one
// PrismaSessionStorage writes for the same offline session, loadSession finds it with its token,
// a second run replaces it, --delete removes it, and a bad shop is refused (exit 2) before any write.
import { Session } from "@shopify/shopify-api";
import { main } from "@sprocket/dev/commands";
import { PrismaSessionStorage } from "@sprocket/server/shopify";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { databaseUrl } from "./database";

const storage = new PrismaSessionStorage(db().shopifySession);
const run = Math.random().toString(36).slice(2, 8);
const shopOf = (name: string) => `${run}-${name}.myshopify.com`;
const TOKEN = "shpat_0123456789abcdef0123456789abcdef";

async function sprocketDev(argv: string[], env: Record<string, string | undefined> = {}) {
  let stdout = "";
  let stderr = "";
  const status = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
  });
  return { status, stdout, stderr };
}

describe("sprocket-dev shopify session", () => {
  it("stores an offline session that loadSession finds with its token, never printing the token", async () => {
    const shop = shopOf("store");
    const result = await sprocketDev([
      "shopify",
      "session",
      "--shop",
      shop,
      "--token",
      TOKEN,
      "--scope",
      "read_products, write_customers",
      "--database-url",
      databaseUrl,
    ]);
    expect(result).toMatchObject({ status: 0, stderr: "" });
    expect(result.stdout).toContain(`offline_${shop}`);
    expect(result.stdout).not.toContain(TOKEN);

    const session = await storage.loadSession(`offline_${shop}`);
    expect(session).toBeInstanceOf(Session);
    expect(session).toMatchObject({
      id: `offline_${shop}`,
      shop,
      isOnline: false,
      accessToken: TOKEN,
      scope: "read_products,write_customers",
    });
    expect(session?.expires).toBeUndefined();
    expect(session?.onlineAccessInfo).toBeUndefined();
  });

  it("writes the same row PrismaSessionStorage.storeSession writes for that session", async () => {
    const byCommand = shopOf("by-command");
    const byStorage = shopOf("by-storage");
    expect(
      (
        await sprocketDev(
          ["shopify", "session", "--shop", byCommand, "--token", TOKEN, "--scope", "read_products"],
          { DATABASE_URL: databaseUrl },
        )
      ).status,
    ).toBe(0);
    await storage.storeSession(
      new Session({
        id: `offline_${byStorage}`,
        shop: byStorage,
        state: "",
        isOnline: false,
        scope: "read_products",
        accessToken: TOKEN,
      }),
    );
    const rows = await db().shopifySession.findMany({ where: { shop: { in: [byCommand, byStorage] } } });
    const strip = ({ id: _id, shop: _shop, ...row }: (typeof rows)[number]) => row;
    const commandRow = rows.find((row) => row.shop === byCommand)!;
    const storageRow = rows.find((row) => row.shop === byStorage)!;
    expect(commandRow.id).toBe(`offline_${byCommand}`);
    expect(strip(commandRow)).toEqual(strip(storageRow));
  });

  it("replaces the session on a second run and deletes it with --delete", async () => {
    const shop = shopOf("replace");
    const store = (token: string, env: Record<string, string | undefined> = {}) =>
      sprocketDev(["shopify", "session", "--shop", shop, "--token", token], {
        DIRECT_DATABASE_URL: databaseUrl,
        ...env,
      });
    expect((await store("shpat_first")).status).toBe(0);
    expect((await store("shpat_second")).status).toBe(0);
    expect(await db().shopifySession.count({ where: { shop } })).toBe(1);
    expect((await storage.loadSession(`offline_${shop}`))?.accessToken).toBe("shpat_second");
    expect((await storage.loadSession(`offline_${shop}`))?.scope).toBeUndefined();

    const deleted = await sprocketDev([
      "shopify",
      "session",
      "--delete",
      "--shop",
      shop,
      "--database-url",
      databaseUrl,
    ]);
    expect(deleted).toMatchObject({ status: 0, stdout: `deleted offline_${shop}\n` });
    expect(await storage.loadSession(`offline_${shop}`)).toBeUndefined();
    const again = await sprocketDev([
      "shopify",
      "session",
      "--delete",
      "--shop",
      shop,
      "--database-url",
      databaseUrl,
    ]);
    expect(again).toMatchObject({ status: 0, stdout: `no session offline_${shop} to delete\n` });
  });

  it("takes the token from SHOPIFY_ACCESS_TOKEN when --token is absent", async () => {
    const shop = shopOf("env-token");
    const result = await sprocketDev(["shopify", "session", "--shop", shop], {
      DATABASE_URL: databaseUrl,
      SHOPIFY_ACCESS_TOKEN: TOKEN,
    });
    expect(result.status).toBe(0);
    expect(result.stdout).not.toContain(TOKEN);
    expect((await storage.loadSession(`offline_${shop}`))?.accessToken).toBe(TOKEN);
  });

  it.each([
    "My-Store.myshopify.com",
    "my-store.example.com",
    "evil.com/.myshopify.com",
    "-store.myshopify.com",
    "my-store",
  ])("refuses the shop %j with exit 2 and writes nothing", async (shop) => {
    const before = await db().shopifySession.count();
    const result = await sprocketDev(["shopify", "session", "--shop", shop, "--token", TOKEN], {
      DATABASE_URL: databaseUrl,
    });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("myshopify.com");
    expect(result.stderr).not.toContain(TOKEN);
    expect(await db().shopifySession.count()).toBe(before);
  });

  it("refuses missing arguments with exit 2", async () => {
    const shop = shopOf("missing");
    const cases: [string[], Record<string, string | undefined>, string][] = [
      [["shopify", "session", "--token", TOKEN], { DATABASE_URL: databaseUrl }, "--shop"],
      [["shopify", "session", "--shop", shop], { DATABASE_URL: databaseUrl }, "--token"],
      [["shopify", "session", "--shop", shop, "--token", TOKEN], {}, "DATABASE_URL"],
      [
        ["shopify", "session", "--delete", "--shop", shop, "--token", TOKEN],
        { DATABASE_URL: databaseUrl },
        "--delete",
      ],
    ];
    for (const [argv, env, hint] of cases) {
      const result = await sprocketDev(argv, env);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(hint);
      expect(result.stderr).not.toContain(TOKEN);
    }
    expect(await storage.loadSession(`offline_${shop}`)).toBeUndefined();
  });
});
