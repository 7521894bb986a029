// The permission matrix: for each model, action and role of the demo's rules, what is allowed and
// what is refused, and attempts to reach another user's rows through every filter shape, relation,
// `OR`, `NOT`, selection and link. Each rule in lib/permissions.ts has a case here that fails if the
// rule is removed or widened. Runs on both database legs.
import { isHttpError } from "@sprocket/server";
import { createModelApi, definePermissions } from "@sprocket/server/models";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelApi } from "@/lib/api";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { models } from "@/lib/models";
import type { DemoIdentity } from "@/lib/permissions";
import { databaseKind } from "./database";

const prisma = db();
const run = Math.random().toString(36).slice(2, 8);
const people = {
  alice: { id: "", email: `${run}-alice@example.com`, name: "Alice" },
  bob: { id: "", email: `${run}-bob@example.com`, name: "Bob" },
};
let aliceChat = "";
let aliceMessage = "";
let bobChat = "";

const as = (who: keyof typeof people) =>
  modelApi().forIdentity({ role: "signed-in", user: people[who] } satisfies DemoIdentity);
const anonymous = () => modelApi().forIdentity({ role: "unauthenticated" });

async function failure(call: Promise<unknown>) {
  try {
    await call;
  } catch (error) {
    if (!isHttpError(error)) throw error;
    return { code: error.code, status: error.status };
  }
  throw new Error("expected the call to fail");
}
const FORBIDDEN = { code: "FORBIDDEN", status: 403 };
const NOT_FOUND = { code: "NOT_FOUND", status: 404 };

beforeAll(async () => {
  for (const person of Object.values(people)) {
    person.id = (await prisma.user.create({ data: { email: person.email, name: person.name } })).id;
  }
  aliceChat = (await as("alice").chat.create({ title: `${run} alice-secret` })).id;
  aliceMessage = (
    await as("alice").message.create({
      order: 1,
      role: "user",
      content: "password: hunter2",
      chat: { _link: aliceChat },
    })
  ).id;
  bobChat = (await as("bob").chat.create({ title: `${run} bob` })).id;
  await as("bob").message.create({ order: 1, role: "user", content: "hello", chat: { _link: bobChat } });
});
afterAll(async () => {
  await prisma.user.deleteMany({ where: { id: { in: [people.alice.id, people.bob.id] } } });
  await prisma.$disconnect();
});

describe(`the unauthenticated role (${databaseKind})`, () => {
  it.each(["user", "chat", "message", "shopifyCustomer", "webhookEvent"] as const)(
    "may not read or write %s",
    async (name) => {
      const manager = anonymous()[name] as unknown as Record<
        string,
        (...args: unknown[]) => Promise<unknown>
      >;
      expect(await failure(manager.findMany!())).toEqual(FORBIDDEN);
      expect(await failure(manager.findOne!("x"))).toEqual(FORBIDDEN);
      expect(await failure(manager.create!({}))).toEqual(FORBIDDEN);
      expect(await failure(manager.update!("x", {}))).toEqual(FORBIDDEN);
      expect(await failure(manager.delete!("x"))).toEqual(FORBIDDEN);
    },
  );
});

describe(`a signed-in user and chats (${databaseKind})`, () => {
  it("owns the chats they create, whatever owner they send", async () => {
    const chat = await as("bob")
      .chat.create({ title: "mine", user: { _link: people.alice.id } } as never)
      .catch((error) => error);
    // user is not writable by callers: the caller's link is refused before the owner is forced.
    expect(isHttpError(chat) && chat.code).toBe("VALIDATION_FAILED");
    const created = await as("bob").chat.create({ title: "mine" });
    expect((await prisma.chat.findUniqueOrThrow({ where: { id: created.id } })).userId).toBe(people.bob.id);
    await prisma.chat.delete({ where: { id: created.id } });
  });

  it("reads only their own chats", async () => {
    const mine = await as("bob").chat.findMany({ filter: { title: { startsWith: run } } });
    expect(mine.map((chat) => chat.id)).toEqual([bobChat]);
    expect(await as("bob").chat.maybeFindOne(aliceChat)).toBeNull();
    expect(await failure(as("bob").chat.findOne(aliceChat))).toEqual(NOT_FOUND);
    expect((await as("alice").chat.findOne(aliceChat)).title).toBe(`${run} alice-secret`);
  });

  it.each([
    ["by id", { id: { equals: "ALICE_CHAT" } }],
    ["by owner", { userId: { equals: "ALICE" } }],
    ["through the owner relation", { user: { email: { equals: "ALICE_EMAIL" } } }],
    ["with OR", { OR: [{ id: { equals: "ALICE_CHAT" } }, { title: { startsWith: "" } }] }],
    ["with NOT", { NOT: { userId: { equals: "BOB" } } }],
    ["with isSet", { userId: { isSet: true } }],
    ["through messages", { messages: { some: { content: { startsWith: "password" } } } }],
    ["with an always-true filter", { OR: [{ title: { isSet: true } }, { title: { isSet: false } }] }],
  ])("cannot reach another user's chat %s", async (_, template) => {
    const filter = JSON.parse(
      JSON.stringify(template)
        .replaceAll("ALICE_CHAT", aliceChat)
        .replaceAll("ALICE_EMAIL", people.alice.email)
        .replaceAll("ALICE", people.alice.id)
        .replaceAll("BOB", people.bob.id),
    );
    const ids = (await as("bob").chat.findMany({ filter, first: 250 })).map((chat) => chat.id);
    expect(ids).not.toContain(aliceChat);
    expect((await as("bob").chat.maybeFindFirst({ filter, sort: { createdAt: "Ascending" } }))?.id).not.toBe(
      aliceChat,
    );
  });

  it("cannot page from another user's chat: a cursor made from its id is refused", async () => {
    // Paging reads the cursor row's sort values: from someone else's row they would show through.
    const forged = Buffer.from(aliceChat).toString("base64url");
    for (const options of [
      { sort: { title: "Ascending" as const }, first: 5, after: forged },
      { sort: { title: "Descending" as const }, last: 5, before: forged },
    ]) {
      expect(await failure(as("bob").chat.findMany(options))).toEqual({ code: "INVALID_QUERY", status: 400 });
    }
    // A cursor of their own pages as before, and the internal api pages from any row.
    const own = Buffer.from(bobChat).toString("base64url");
    await expect(
      as("bob").chat.findMany({ sort: { title: "Ascending" }, first: 5, after: own }),
    ).resolves.toBeDefined();
    await expect(
      as("bob").internal.chat.findMany({ sort: { title: "Ascending" }, first: 5, after: forged }),
    ).resolves.toBeDefined();
  });

  it("cannot update or delete another user's chat, which behaves as absent", async () => {
    expect(await failure(as("bob").chat.update(aliceChat, { title: "pwned" }))).toEqual(NOT_FOUND);
    expect(await failure(as("bob").chat.delete(aliceChat))).toEqual(NOT_FOUND);
    expect((await prisma.chat.findUniqueOrThrow({ where: { id: aliceChat } })).title).toBe(
      `${run} alice-secret`,
    );
  });

  it("updates and deletes their own chat", async () => {
    const chat = await as("bob").chat.create({ title: "temp" });
    expect((await as("bob").chat.update(chat.id, { title: "renamed" })).title).toBe("renamed");
    await as("bob").chat.delete(chat.id);
    expect(await prisma.chat.findUnique({ where: { id: chat.id } })).toBeNull();
  });

  it("cannot read the owner's email of another user's chat through a selection", async () => {
    const [own] = await as("bob").chat.findMany({
      filter: { id: { equals: bobChat } },
      select: { user: { email: true } },
    });
    expect(own?.user).toEqual({ id: people.bob.id, email: people.bob.email });
  });
});

describe(`a signed-in user and messages (${databaseKind})`, () => {
  it("reads only the messages of their own chats, whatever filter", async () => {
    const filters = [
      undefined,
      { chat: { equals: aliceChat } },
      { chat: { userId: { equals: people.alice.id } } },
      { OR: [{ chat: { equals: aliceChat } }, { content: { startsWith: "" } }] },
      { NOT: { chat: { equals: bobChat } } },
      { content: { startsWith: "password" } },
    ];
    for (const filter of filters) {
      const messages = await as("bob").message.findMany({ filter, first: 250 });
      expect(messages.every((message) => message.chatId === bobChat)).toBe(true);
    }
    expect(await as("bob").message.maybeFindOne(aliceMessage)).toBeNull();
    expect((await as("alice").message.findOne(aliceMessage)).content).toBe("password: hunter2");
  });

  it("cannot post into, move a message to, edit or delete in another user's chat", async () => {
    expect(
      await failure(as("bob").message.create({ order: 2, role: "user", chat: { _link: aliceChat } })),
    ).toEqual(NOT_FOUND);
    const mine = await as("bob").message.create({
      order: 2,
      role: "user",
      content: "x",
      chat: { _link: bobChat },
    });
    expect(await failure(as("bob").message.update(mine.id, { chat: { _link: aliceChat } }))).toEqual(
      NOT_FOUND,
    );
    // The foreign key written by itself is checked like the link.
    expect(
      await failure(as("bob").message.create({ order: 3, role: "user", content: "x", chatId: aliceChat })),
    ).toEqual(NOT_FOUND);
    expect(await failure(as("bob").message.update(mine.id, { chatId: aliceChat }))).toEqual(NOT_FOUND);
    expect(await prisma.message.count({ where: { chatId: aliceChat, order: 3 } })).toBe(0);
    expect(await failure(as("bob").message.update(aliceMessage, { content: "pwned" }))).toEqual(NOT_FOUND);
    expect(await failure(as("bob").message.delete(aliceMessage))).toEqual(NOT_FOUND);
    expect((await prisma.message.findUniqueOrThrow({ where: { id: aliceMessage } })).content).toBe(
      "password: hunter2",
    );
    expect((await as("bob").message.update(mine.id, { content: "edited" })).content).toBe("edited");
    await as("bob").message.delete(mine.id);
  });

  it("their own user row is all they read of users, and they may rename themselves only", async () => {
    const users = await as("bob").user.findMany({ filter: { email: { startsWith: run } } });
    expect(users.map((user) => user.id)).toEqual([people.bob.id]);
    expect(await failure(as("bob").user.update(people.alice.id, { name: "x" }))).toEqual(NOT_FOUND);
    expect((await as("bob").user.update(people.bob.id, { name: "Robert" })).name).toBe("Robert");
    expect(await failure(as("bob").user.create({ name: "x" }))).toEqual(FORBIDDEN);
    expect(await failure(as("bob").user.delete(people.bob.id))).toEqual(FORBIDDEN);
  });

  it("may not touch Shopify customers or webhook events, which only the internal api reaches", async () => {
    expect(await failure(as("bob").shopifyCustomer.findMany())).toEqual(FORBIDDEN);
    expect(await failure(as("bob").webhookEvent.findMany())).toEqual(FORBIDDEN);
    expect(Array.isArray(await as("bob").internal.webhookEvent.findMany({ first: 1 }))).toBe(true);
  });
});

describe(`relations are limited to what the role can read (${databaseKind})`, () => {
  // A role that reads every chat but no message, and messages only of one shop's chats: the demo's
  // rules never let these differ, so this table exists to test the mechanism itself.
  type Support = { role: "support" };
  const supportApi = createModelApi<typeof models, Support>({
    prisma,
    Prisma,
    models,
    permissions: definePermissions<typeof models, Support>(models, {
      support: {
        chat: { read: true, update: { filter: () => ({ title: { startsWith: run } }) } },
        user: { read: { filter: () => ({ id: { equals: people.bob.id } }) } },
      },
    }),
  });
  const support = () => supportApi.forIdentity({ role: "support" });

  it("a filter through an unreadable relation matches nothing there", async () => {
    const secret = { messages: { some: { content: { startsWith: "password" } } } };
    expect(await support().chat.findMany({ filter: secret })).toHaveLength(0);
    const none = await support().chat.findMany({
      filter: { id: { equals: aliceChat }, messages: { none: { content: { startsWith: "password" } } } },
    });
    expect(none.map((chat) => chat.id)).toEqual([aliceChat]);
    const every = await support().chat.findMany({
      filter: { id: { equals: aliceChat }, messages: { every: { content: { startsWith: "nothing" } } } },
    });
    expect(every.map((chat) => chat.id)).toEqual([aliceChat]);
    expect(
      await support().chat.findMany({
        filter: { id: { equals: aliceChat }, user: { email: { equals: people.alice.email } } },
      }),
    ).toHaveLength(0);
    expect(
      await support().chat.findMany({
        filter: { id: { equals: bobChat }, user: { email: { equals: people.bob.email } } },
      }),
    ).toHaveLength(1);
  });

  it("a selected related record the role cannot read is null, and an unreadable model cannot be selected", async () => {
    const chats = await support().chat.findMany({
      filter: { id: { in: [aliceChat, bobChat] } },
      sort: { title: "Ascending" },
      select: { title: true, user: { email: true } },
    });
    expect(chats.map((chat) => chat.user)).toEqual([null, { id: people.bob.id, email: people.bob.email }]);
    const message = supportApi.internal.message;
    expect(await failure(support().message.findMany())).toEqual(FORBIDDEN);
    expect((await message.findOne(aliceMessage)).chatId).toBe(aliceChat);
  });

  it("an update that would leave its row filter is refused and undone", async () => {
    expect(await failure(support().chat.update(bobChat, { title: "outside the filter" }))).toEqual(FORBIDDEN);
    expect((await prisma.chat.findUniqueOrThrow({ where: { id: bobChat } })).title).toBe(`${run} bob`);
    expect((await support().chat.update(bobChat, { title: `${run} bob` })).title).toBe(`${run} bob`);
  });
});

describe(`a role that may write more rows than it may read (${databaseKind})`, () => {
  type Writer = { role: "writer" };
  const writerApi = createModelApi<typeof models, Writer>({
    prisma,
    Prisma,
    models,
    permissions: definePermissions<typeof models, Writer>(models, {
      writer: {
        // Reads Bob's chats only; updates any chat of this run; creates messages it cannot read.
        chat: {
          read: { filter: () => ({ userId: { equals: people.bob.id } }) },
          update: { filter: () => ({ title: { startsWith: run } }) },
        },
        message: { create: true },
      },
    }),
  });
  const writer = () => writerApi.forIdentity({ role: "writer" });

  it("gets back only the id of a row it wrote but may not read", async () => {
    const updated = await writer().chat.update(
      aliceChat,
      {},
      { select: { id: true, title: true, userId: true } },
    );
    expect(updated).toEqual({ id: aliceChat });
    const readable = await writer().chat.update(bobChat, {}, { select: { id: true, title: true } });
    expect(readable).toEqual({ id: bobChat, title: `${run} bob` });
    const created = await writer().message.create(
      { order: 2, role: "user", content: "private", chat: { _link: bobChat } },
      { select: { id: true, content: true } },
    );
    expect(Object.keys(created)).toEqual(["id"]);
    expect((await prisma.message.findUniqueOrThrow({ where: { id: created.id as string } })).content).toBe(
      "private",
    );
    await prisma.message.delete({ where: { id: created.id as string } });
  });
});

describe(`the storefront-customer role (${databaseKind})`, () => {
  const shop = `${run}-store.myshopify.com`;
  const otherShop = `${run}-elsewhere.myshopify.com`;
  const mine = `${run.length}${Date.now() % 1_000_000}1`;
  const theirs = `${run.length}${Date.now() % 1_000_000}2`;
  const sameIdElsewhere = `${run.length}${Date.now() % 1_000_000}3`;
  const customer = (customerId: string | null, inShop = shop) =>
    modelApi().forIdentity({ role: "storefront-customer", shop: inShop, customerId } satisfies DemoIdentity);

  beforeAll(async () => {
    await prisma.shopifyCustomer.createMany({
      data: [
        { id: mine, shop, customData: { points: 1 } },
        { id: theirs, shop, customData: { points: 2 } },
        { id: sameIdElsewhere, shop: otherShop },
      ],
    });
  });
  afterAll(async () => {
    await prisma.shopifyCustomer.deleteMany({ where: { id: { in: [mine, theirs, sameIdElsewhere] } } });
  });

  it("reads and updates only the logged-in customer's own row in its shop", async () => {
    expect((await customer(mine).shopifyCustomer.findMany()).map((row) => row.id)).toEqual([mine]);
    expect(await customer(mine).shopifyCustomer.maybeFindOne(theirs)).toBeNull();
    expect(
      await failure(customer(mine).shopifyCustomer.update(theirs, { customData: { points: 99 } })),
    ).toEqual(NOT_FOUND);
    const updated = await customer(mine).shopifyCustomer.update(mine, { customData: { points: 3 } });
    expect(updated.customData).toEqual({ points: 3 });
    expect((await prisma.shopifyCustomer.findUniqueOrThrow({ where: { id: theirs } })).customData).toEqual({
      points: 2,
    });
  });

  it("does not reach a row with the customer's id in another shop", async () => {
    expect(await customer(sameIdElsewhere).shopifyCustomer.maybeFindOne(sameIdElsewhere)).toBeNull();
    expect(
      await customer(sameIdElsewhere, otherShop).shopifyCustomer.maybeFindOne(sameIdElsewhere),
    ).not.toBeNull();
  });

  it("reads nothing when no customer is logged in", async () => {
    expect(await customer(null).shopifyCustomer.findMany()).toHaveLength(0);
  });

  it("may not create or delete customers, nor touch other models", async () => {
    expect(await failure(customer(mine).shopifyCustomer.create({ id: `${mine}9` } as never))).toEqual(
      FORBIDDEN,
    );
    expect(await failure(customer(mine).shopifyCustomer.delete(mine))).toEqual(FORBIDDEN);
    for (const name of ["user", "chat", "message", "webhookEvent"] as const) {
      const manager = customer(mine)[name] as unknown as { findMany(): Promise<unknown> };
      expect(await failure(manager.findMany())).toEqual(FORBIDDEN);
    }
  });
});
