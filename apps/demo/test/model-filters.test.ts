// The filter language, sort and pagination of @sprocket/server/models against the database: for
// random filters, PostgreSQL (through Prisma) returns exactly the rows the in-memory evaluator picks,
// including NULLs, LIKE metacharacters, relations and negation. Runs on both database legs.
import {
  evaluateFilter,
  pageInfo,
  translateFilter,
  translatePagination,
  translateSort,
} from "@sprocket/server/models";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelApi } from "@/lib/api";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { models } from "@/lib/models";
import { databaseKind } from "./database";

const prisma = db();
const run = Math.random().toString(36).slice(2, 8);
const userIds = [`${run}-u1`, `${run}-u2`];
// Strings chosen to break naive translations: LIKE metacharacters, backslashes, case, non-ASCII.
const TEXTS = ["", "a", "ab", "a_", "a%b", "b", "\\", "a\\b", "é", "😀"];
const DATES = ["2024-01-01T00:00:00.000Z", "2024-01-01T00:00:00.001Z", "2024-06-01T12:00:00.000Z"];
const chatIds = TEXTS.map((_, index) => `${run}-c${String(index).padStart(2, "0")}`);
type ChatRow = Awaited<ReturnType<typeof loadRows>>[number];
let rows: ChatRow[] = [];

// The translators are Prisma-agnostic; the typed model managers built on them give Prisma its types.
const pageOfIds = async (where: Prisma.ChatWhereInput, query: object) =>
  prisma.chat.findMany({ ...(query as Prisma.ChatFindManyArgs), where, select: { id: true } });

const loadRows = () =>
  prisma.chat.findMany({ where: { id: { in: chatIds } }, include: { user: true, messages: true } });

beforeAll(async () => {
  await prisma.user.createMany({
    data: [
      { id: userIds[0]!, email: `${run}-a@example.com`, name: "ab" },
      { id: userIds[1]!, email: `${run}-b@example.com`, name: null },
    ],
  });
  for (const [index, title] of TEXTS.entries()) {
    await prisma.chat.create({
      data: {
        id: chatIds[index],
        title,
        shop: index % 3 === 0 ? null : TEXTS[(index * 3) % TEXTS.length],
        userId: index % 4 === 0 ? null : userIds[index % 2],
        createdAt: new Date(DATES[index % DATES.length]!),
        messages: {
          create: Array.from({ length: index % 4 }, (_, k) => ({
            order: ((k + index) % 5) - 2,
            role: (["system", "user", "assistant"] as const)[(index + k) % 3]!,
            status: (["streaming", "complete", "aborted", "error"] as const)[(index * k) % 4]!,
            content: TEXTS[(index + k * 7) % TEXTS.length]!,
          })),
        },
      },
    });
  }
  rows = await loadRows();
});
afterAll(async () => {
  await prisma.chat.deleteMany({ where: { id: { in: chatIds } } });
  await prisma.user.deleteMany({ where: { id: { in: userIds } } });
});

const text = fc.constantFrom(...TEXTS);
function leaf(name: string, kind: "string" | "nullableString" | "number" | "dateTime" | readonly string[]) {
  const value: fc.Arbitrary<unknown> =
    kind === "number"
      ? fc.integer({ min: -2, max: 3 })
      : kind === "dateTime"
        ? fc.constantFrom(...DATES)
        : Array.isArray(kind)
          ? fc.constantFrom(...kind)
          : text;
  const operators =
    kind === "string" || kind === "nullableString"
      ? // No lessThan/greaterThan on strings: those follow the server's collation (C on PGlite, often
        // en_US elsewhere), while the reference evaluator compares code points.
        ["equals", "notEquals", "in", "notIn", "startsWith", "isSet"]
      : Array.isArray(kind)
        ? ["equals", "notEquals", "in", "notIn", "isSet"]
        : ["equals", "notEquals", "in", "notIn", "lessThan", "lessThanOrEqual", "greaterThan", "isSet"];
  return fc.constantFrom(...operators).chain((operator) => {
    const operand =
      operator === "isSet"
        ? fc.boolean()
        : operator === "in" || operator === "notIn"
          ? fc.array(value, { maxLength: 3 })
          : kind === "nullableString" && (operator === "equals" || operator === "notEquals")
            ? fc.option(value, { nil: null })
            : value;
    return operand.map((item) => ({ [name]: { [operator]: item } }));
  });
}
function combine(leaves: fc.Arbitrary<object>, depth: number): fc.Arbitrary<object> {
  if (depth === 0) return leaves;
  const inner = combine(leaves, depth - 1);
  return fc.oneof(
    { weight: 3, arbitrary: leaves },
    { weight: 1, arbitrary: fc.record({ AND: fc.array(inner, { maxLength: 3 }) }) },
    { weight: 2, arbitrary: fc.record({ OR: fc.array(inner, { maxLength: 3 }) }) },
    { weight: 2, arbitrary: fc.record({ NOT: inner }) },
  );
}
const messageLeaves = fc.oneof(
  leaf("order", "number"),
  leaf("role", ["system", "user", "assistant"]),
  leaf("content", "string"),
);
const chatFilters = combine(
  fc.oneof(
    leaf("title", "string"),
    leaf("shop", "nullableString"),
    leaf("createdAt", "dateTime"),
    fc.record({
      user: fc.oneof(
        fc.record({ isSet: fc.boolean() }),
        fc.record({ notEquals: fc.constantFrom(...userIds) }),
        fc.record({ in: fc.array(fc.constantFrom(...userIds), { maxLength: 2 }) }),
      ),
    }),
    combine(fc.oneof(leaf("email", "string"), leaf("name", "nullableString")), 1).map((user) => ({ user })),
    fc
      .tuple(fc.constantFrom("some", "every", "none"), combine(messageLeaves, 1))
      .map(([quantifier, filter]) => ({ messages: { [quantifier]: filter } })),
  ),
  2,
);

describe(`the model filter language on ${databaseKind} PostgreSQL`, () => {
  it("selects exactly the rows the in-memory evaluator selects, for random filters", async () => {
    await fc.assert(
      fc.asyncProperty(chatFilters, async (filter) => {
        const translated = translateFilter(filter, models.chat, models);
        if (!translated.ok) throw new Error(`${translated.path}: ${translated.message}`);
        const fromDatabase = await prisma.chat.findMany({
          where: { AND: [translated.where, { id: { in: chatIds } }] },
          select: { id: true },
        });
        const inMemory = rows.filter((row) => {
          const evaluated = evaluateFilter(filter, row, models.chat, models);
          if (!evaluated.ok) throw new Error(evaluated.message);
          return evaluated.matches;
        });
        expect(fromDatabase.map((row) => row.id).sort()).toEqual(inMemory.map((row) => row.id).sort());
      }),
      { numRuns: 300 },
    );
  });

  it("through a signed-in caller's model API, returns exactly their rows the evaluator selects", async () => {
    const owner = { id: userIds[0]!, email: `${run}-a@example.com`, name: "ab" };
    const api = modelApi().forIdentity({ role: "signed-in", user: owner });
    await fc.assert(
      fc.asyncProperty(chatFilters, async (filter) => {
        const page = await api.chat.findMany({
          filter: { AND: [filter as never, { id: { in: chatIds } }] },
          select: { id: true },
          first: 250,
        });
        const inMemory = rows.filter((row) => {
          const evaluated = evaluateFilter(filter, row, models.chat, models);
          if (!evaluated.ok) throw new Error(evaluated.message);
          return evaluated.matches && row.userId === owner.id;
        });
        expect(page.map((row) => row.id).sort()).toEqual(inMemory.map((row) => row.id).sort());
      }),
      { numRuns: 150 },
    );
  });

  it("keeps an impossible filter impossible when it is combined with another (AND)", async () => {
    // Prisma reads `AND: [{ OR: [] }]` as true: a row filter AND-ed with such a filter matched every row.
    for (const filter of [{ OR: [] }, { title: { in: [] } }, { NOT: {} }]) {
      const translated = translateFilter(filter, models.chat, models);
      if (!translated.ok) throw new Error(translated.message);
      const count = await prisma.chat.count({ where: { AND: [translated.where, { id: { in: chatIds } }] } });
      expect(count).toBe(0);
    }
  });

  it.each([
    ["default order", undefined],
    ["createdAt descending", { createdAt: "Descending" }],
    ["nullable shop, then createdAt", [{ shop: "Descending" }, { createdAt: "Ascending" }]],
  ])("pages through every row forwards and backwards (%s)", async (_, sort) => {
    const sorted = translateSort(sort, models.chat);
    if (!sorted.ok) throw new Error(sorted.message);
    const where = { id: { in: chatIds } };
    const all = (await prisma.chat.findMany({ where, orderBy: sorted.orderBy, select: { id: true } })).map(
      (row) => row.id,
    );
    for (const size of [1, 3]) {
      const forward: string[] = [];
      for (let after: string | undefined, hasNext = true; hasNext; ) {
        const page = translatePagination({ first: size, after }, sorted.orderBy);
        if (!page.ok) throw new Error(page.message);
        const info = pageInfo(await pageOfIds(where, page.query), page);
        forward.push(...info.rows.map((row) => row.id));
        [hasNext, after] = [info.hasNextPage, info.endCursor ?? undefined];
      }
      const backward: string[] = [];
      for (let before: string | undefined, hasPrevious = true; hasPrevious; ) {
        const page = translatePagination({ last: size, before }, sorted.orderBy);
        if (!page.ok) throw new Error(page.message);
        const info = pageInfo(await pageOfIds(where, page.query), page);
        backward.unshift(...info.rows.map((row) => row.id));
        [hasPrevious, before] = [info.hasPreviousPage, info.startCursor ?? undefined];
      }
      expect(forward).toEqual(all);
      expect(backward).toEqual(all);
    }
  });
});
