// The model API over the demo's Prisma client and a real database: Gadget's manager methods, the
// query language end to end, writes with `_link`, and the errors callers get. Runs on both legs.
import { isHttpError } from "@sprocket/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelApi } from "@/lib/api";
import { db } from "@/lib/db";
import { databaseKind } from "./database";

const prisma = db();
const internal = modelApi().internal;
const run = Math.random().toString(36).slice(2, 8);
let userId = "";
let chatId = "";

/** The HttpError a call rejects with, as `{ code, status, path }`. */
async function failure(call: Promise<unknown>) {
  try {
    await call;
  } catch (error) {
    if (!isHttpError(error)) throw error;
    return { code: error.code, status: error.status, path: (error.details as { path?: string })?.path };
  }
  throw new Error("expected the call to fail");
}

beforeAll(async () => {
  const user = await prisma.user.create({ data: { email: `${run}@example.com`, name: "Ada" } });
  userId = user.id;
  const chat = await internal.chat.create({ title: `${run} first`, user: { _link: userId } });
  chatId = chat.id;
  for (let order = 1; order <= 7; order++) {
    await internal.message.create({
      order,
      role: order % 2 ? "user" : "assistant",
      content: `${run} message ${order}`,
      chat: { _link: chatId },
    });
  }
});
afterAll(async () => {
  await prisma.user.deleteMany({ where: { id: userId } });
  await prisma.$disconnect();
});

describe(`model managers (${databaseKind})`, () => {
  it("creates with _link and reads back with the seed's filter on a relation", async () => {
    const messages = await internal.message.findMany({
      filter: { chat: { equals: chatId } },
      sort: { order: "Ascending" },
    });
    expect(messages.map((message) => message.order)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(messages[0]).toMatchObject({
      chatId,
      role: "user",
      status: "complete",
      content: `${run} message 1`,
    });
    expect(messages[0]?.createdAt).toBeInstanceOf(Date);
  });

  it("pages forwards and backwards with cursors, and nextPage/previousPage follow them", async () => {
    const filter = { chat: { equals: chatId } };
    const sort = { order: "Descending" } as const;
    const first = await internal.message.findMany({ filter, sort, first: 3 });
    expect(first.map((message) => message.order)).toEqual([7, 6, 5]);
    expect([first.hasNextPage, first.hasPreviousPage]).toEqual([true, false]);
    const second = await first.nextPage();
    expect(second.map((message) => message.order)).toEqual([4, 3, 2]);
    expect([second.hasNextPage, second.hasPreviousPage]).toEqual([true, true]);
    const third = await second.nextPage();
    expect(third.map((message) => message.order)).toEqual([1]);
    expect(third.hasNextPage).toBe(false);
    const back = await third.previousPage();
    expect(back.map((message) => message.order)).toEqual([4, 3, 2]);
    const last = await internal.message.findMany({ filter, sort, last: 2 });
    expect(last.map((message) => message.order)).toEqual([2, 1]);
    await expect(third.nextPage()).rejects.toThrow(RangeError);
  });

  it("defaults to pages of 50 and refuses more than 250", async () => {
    await prisma.message.createMany({
      data: Array.from({ length: 60 }, (_, index) => ({ chatId, order: 100 + index, role: "user" as const })),
    });
    const page = await internal.message.findMany({ filter: { chat: { equals: chatId } } });
    expect(page).toHaveLength(50);
    expect(page.hasNextPage).toBe(true);
    expect(await failure(internal.message.findMany({ first: 251 }))).toEqual({
      code: "INVALID_QUERY",
      status: 400,
      path: "first",
    });
    await prisma.message.deleteMany({ where: { chatId, order: { gte: 100 } } });
  });

  it("selects only what is asked, related records included", async () => {
    const [message] = await internal.message.findMany({
      filter: { chat: { equals: chatId }, order: { equals: 1 } },
      select: { content: true, chat: { title: true, user: { email: true } } },
    });
    expect(message).toEqual({
      id: expect.any(String),
      content: `${run} message 1`,
      chat: { id: chatId, title: `${run} first`, user: { id: userId, email: `${run}@example.com` } },
    });
  });

  it("findOne, maybeFindOne, findFirst and maybeFindFirst", async () => {
    expect((await internal.chat.findOne(chatId)).title).toBe(`${run} first`);
    expect(await internal.chat.maybeFindOne(`${run}-missing`)).toBeNull();
    expect(await failure(internal.chat.findOne(`${run}-missing`))).toMatchObject({
      code: "NOT_FOUND",
      status: 404,
    });
    const first = await internal.message.findFirst({
      filter: { chat: { equals: chatId } },
      sort: { order: "Descending" },
    });
    expect(first.order).toBe(7);
    expect(
      await internal.message.maybeFindFirst({ filter: { content: { equals: `${run}-none` } } }),
    ).toBeNull();
    expect(
      await failure(internal.message.findFirst({ filter: { content: { equals: `${run}-none` } } })),
    ).toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("reads a Shopify customer's custom data as the seed does, with numeric ids as strings", async () => {
    const row = await prisma.shopifyCustomer.create({
      data: {
        id: String(Date.now()).slice(-12),
        shop: `${run}.myshopify.com`,
        customData: { nickname: "Big Tuna" },
      },
    });
    const customer = await internal.shopifyCustomer.maybeFindOne(Number(row.id), {
      select: { customData: true },
    });
    expect(customer).toEqual({ id: row.id, customData: { nickname: "Big Tuna" } });
    const withData = await internal.shopifyCustomer.findMany({
      filter: { customData: { isSet: true }, id: { equals: row.id } },
    });
    expect(withData).toHaveLength(1);
    await prisma.shopifyCustomer.delete({ where: { id: row.id } });
  });

  it("updates and deletes; a deleted record is absent", async () => {
    const chat = await internal.chat.create({ title: "draft", user: { _link: userId } });
    const updated = await internal.chat.update(chat.id, { title: "final" }, { select: { title: true } });
    expect(updated).toEqual({ id: chat.id, title: "final" });
    await internal.chat.delete(chat.id);
    expect(await internal.chat.maybeFindOne(chat.id)).toBeNull();
    expect(await failure(internal.chat.delete(chat.id))).toMatchObject({ code: "NOT_FOUND" });
    expect(await failure(internal.chat.update(chat.id, { title: "x" }))).toMatchObject({ code: "NOT_FOUND" });
  });

  it("answers invalid filters with INVALID_FILTER and the path of the problem", async () => {
    const cases: [unknown, string][] = [
      [{ nope: { equals: 1 } }, "filter.nope"],
      [{ title: { contains: "a" } }, "filter.title.contains"],
      [{ OR: [{ title: { equals: 1 } }] }, "filter.OR[0].title.equals"],
      [{ messages: { some: { order: { equals: "one" } } } }, "filter.messages.some.order.equals"],
    ];
    for (const [filter, path] of cases) {
      expect(await failure(internal.chat.findMany({ filter } as never))).toEqual({
        code: "INVALID_FILTER",
        status: 400,
        path,
      });
    }
    let deep: object = { title: { equals: "x" } };
    for (let level = 0; level < 12; level++) deep = { NOT: deep };
    expect(await failure(internal.chat.findMany({ filter: deep as never }))).toMatchObject({
      code: "INVALID_FILTER",
    });
  });

  it("refuses bad data with VALIDATION_FAILED, a link to a missing record with 404, and a duplicate with 409", async () => {
    const bad = await failure(
      internal.message.create({ order: 1.5, role: "user", chat: { _link: chatId } } as never),
    );
    expect(bad).toMatchObject({ code: "VALIDATION_FAILED", status: 400 });
    expect(
      await failure(internal.message.create({ order: 1, role: "robot", chat: { _link: chatId } } as never)),
    ).toMatchObject({
      code: "VALIDATION_FAILED",
    });
    expect(
      await failure(internal.message.create({ order: 1, role: "user", chat: { _link: `${run}-nope` } })),
    ).toMatchObject({
      code: "NOT_FOUND",
      status: 404,
    });
    expect(await failure(internal.message.create({ order: 1, role: "user" }))).toMatchObject({
      code: "VALIDATION_FAILED",
    });
    const email = `${run}@example.com`;
    expect(await failure(internal.user.create({ email }))).toMatchObject({ code: "CONFLICT", status: 409 });
  });
});

describe("types from the models", () => {
  it("make a wrong field name in a filter, sort, select or write a compile error", () => {
    // Never called: these lines are checked by `tsc`, which fails if an error below goes away.
    const unchecked = () => {
      // @ts-expect-error: Chat has no field "titel"
      void internal.chat.findMany({ filter: { titel: { equals: "x" } } });
      // @ts-expect-error: startsWith does not apply to numbers
      void internal.message.findMany({ filter: { order: { startsWith: "1" } } });
      // @ts-expect-error: Message has no field "body"
      void internal.message.findMany({ select: { body: true } });
      // @ts-expect-error: JSON fields cannot be sorted
      void internal.shopifyCustomer.findMany({ sort: { customData: "Ascending" } });
      // @ts-expect-error: role is an enum
      void internal.message.create({ order: 1, role: "robot", chat: { _link: "c" } });
      // @ts-expect-error: a signed-in caller cannot write the owner column
      void modelApi().forIdentity({ role: "unauthenticated" }).chat.create({ userId: "u" });
    };
    expect(typeof unchecked).toBe("function");
  });

  it("narrow results to the selection", async () => {
    const [message] = await internal.message.findMany({
      filter: { chat: { equals: chatId } },
      select: { content: true, chat: { title: true } },
      first: 1,
    });
    const content: string | undefined = message?.content;
    const title: string | undefined = message?.chat?.title;
    // @ts-expect-error: order was not selected
    void message?.order;
    expect([content, title]).toEqual([`${run} message 1`, `${run} first`]);
  });
});
