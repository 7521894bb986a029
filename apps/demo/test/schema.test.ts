import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { databaseKind } from "./database";

const prisma = db();
afterAll(() => prisma.$disconnect());
const unique = () => Math.random().toString(36).slice(2);

describe(`schema v1 through Prisma and @prisma/adapter-pg (${databaseKind})`, () => {
  it("stores a user's chat with ordered messages and deletes them with the chat", async () => {
    const user = await prisma.user.create({ data: { email: `${unique()}@example.com`, name: "Ada" } });
    const chat = await prisma.chat.create({
      data: {
        userId: user.id,
        shop: "shop-name.myshopify.com",
        messages: {
          create: [
            { order: 1, role: "user", content: "Hello" },
            { order: 2, role: "assistant", content: "Hi! ✨", status: "streaming" },
          ],
        },
      },
      include: { messages: { orderBy: { order: "asc" } } },
    });
    expect(chat.title).toBe("New chat");
    expect(chat.messages.map((message) => [message.role, message.content, message.status])).toEqual([
      ["user", "Hello", "complete"],
      ["assistant", "Hi! ✨", "streaming"],
    ]);
    await prisma.chat.delete({ where: { id: chat.id } });
    expect(await prisma.message.count({ where: { chatId: chat.id } })).toBe(0);
  });

  it("refuses a second delivery with the same provider and delivery id", async () => {
    const deliveryId = unique();
    const data = { provider: "shopify", deliveryId, topic: "products/update", payload: { id: 1 } };
    const first = await prisma.webhookEvent.create({ data });
    expect(first).toMatchObject({ status: "pending", attempts: 0, processedAt: null });
    await expect(prisma.webhookEvent.create({ data })).rejects.toMatchObject({ code: "P2002" });
    await prisma.webhookEvent.create({ data: { ...data, provider: "github" } });
    expect(await prisma.webhookEvent.count({ where: { deliveryId } })).toBe(2);
  });

  it("keeps Shopify sessions in the shape of Shopify's Prisma session storage", async () => {
    const shop = `${unique()}.myshopify.com`;
    await prisma.shopifySession.create({
      data: {
        id: `offline_${shop}`,
        shop,
        state: "state",
        accessToken: "shpat_x",
        userId: 9007199254740993n,
      },
    });
    const session = await prisma.shopifySession.findFirstOrThrow({ where: { shop } });
    expect(session).toMatchObject({
      isOnline: false,
      accountOwner: false,
      collaborator: false,
      expires: null,
    });
    expect(session.userId).toBe(9007199254740993n);
  });

  it("stores a storefront customer's custom data as JSON", async () => {
    const id = String(Date.now());
    const customData = { nickname: "Big Tuna", tags: ["vip"], nested: { n: 1.5 } };
    await prisma.shopifyCustomer.create({ data: { id, shop: "shop-name.myshopify.com", customData } });
    const customer = await prisma.shopifyCustomer.findUniqueOrThrow({ where: { id } });
    expect(customer.customData).toEqual(customData);
    await prisma.shopifyCustomer.update({ where: { id }, data: { customData: Prisma.DbNull } });
    expect((await prisma.shopifyCustomer.findUniqueOrThrow({ where: { id } })).customData).toBeNull();
  });
});
