import { defineModels, type FilterOf, type SortOf, translateFilter } from "@sprocket/server/models";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_LIST_LENGTH, OPERATORS_BY_KIND } from "./parse-operand.js";

const models = defineModels({
  user: {
    name: "User",
    fields: {
      id: { kind: "id" },
      email: { kind: "string" },
      name: { kind: "string", nullable: true },
      chats: { relation: "hasMany", model: "chat" },
    },
  },
  chat: {
    name: "Chat",
    fields: {
      id: { kind: "id" },
      title: { kind: "string" },
      shop: { kind: "string", nullable: true },
      userId: { kind: "string", nullable: true },
      user: { relation: "belongsTo", model: "user", foreignKey: "userId" },
      messages: { relation: "hasMany", model: "message" },
      createdAt: { kind: "dateTime" },
      archivedAt: { kind: "dateTime", nullable: true },
      isPinned: { kind: "boolean" },
      score: { kind: "number", nullable: true },
      metadata: { kind: "json", nullable: true },
      secret: { kind: "string", filterable: false },
      apiToken: { kind: "string", readable: false },
    },
  },
  message: {
    name: "Message",
    fields: {
      id: { kind: "id" },
      chatId: { kind: "string" },
      chat: { relation: "belongsTo", model: "chat", foreignKey: "chatId" },
      order: { kind: "number", integer: true },
      role: { kind: { enum: ["system", "user", "assistant"] } },
      status: { kind: { enum: ["streaming", "complete"] }, nullable: true },
      content: { kind: "string" },
    },
  },
});

const chat = (filter: unknown, options?: Parameters<typeof translateFilter>[3]) =>
  translateFilter(filter, models.chat, models, options);
const message = (filter: unknown) => translateFilter(filter, models.message, models);
const failure = (result: ReturnType<typeof translateFilter>) =>
  result.ok ? { ok: true } : { path: result.path, message: result.message };

describe("translateFilter: operators", () => {
  it("types filters and sorts without the fields callers cannot read", () => {
    const filters: FilterOf<typeof models, "chat">[] = [
      { title: { startsWith: "Re:" } },
      // @ts-expect-error apiToken cannot be read, so it cannot be filtered on
      { apiToken: { startsWith: "sk_live_a" } },
    ];
    const sorts: SortOf<typeof models, "chat">[] = [
      { title: "Ascending" },
      // @ts-expect-error nor sorted on
      { apiToken: "Ascending" },
    ];
    expect([filters.length, sorts.length]).toEqual([2, 2]);
  });

  it("refuses filters on a field callers cannot read, unless it is declared filterable", () => {
    expect(chat({ apiToken: { startsWith: "sk_live_a" } }).ok).toBe(false);
    const declared = defineModels({
      vault: {
        name: "Vault",
        fields: { id: { kind: "id" }, code: { kind: "string", readable: false, filterable: true } },
      },
    });
    expect(translateFilter({ code: { equals: "x" } }, declared.vault, declared)).toMatchObject({ ok: true });
  });

  it("applies each operator only to the kinds it suits", () => {
    expect(OPERATORS_BY_KIND).toEqual({
      id: expect.arrayContaining(["equals", "in", "lessThan", "isSet"]),
      string: expect.arrayContaining(["startsWith", "greaterThanOrEqual", "notIn"]),
      number: expect.not.arrayContaining(["startsWith"]),
      dateTime: expect.not.arrayContaining(["startsWith"]),
      boolean: ["equals", "notEquals", "isSet"],
      enum: ["equals", "notEquals", "in", "notIn", "isSet"],
      json: ["isSet"],
    });
    expect(OPERATORS_BY_KIND.id).toHaveLength(9);
    expect(OPERATORS_BY_KIND.string).toHaveLength(10);
  });

  it.each([
    [{ title: { equals: "a" } }, { title: { equals: "a" } }],
    [{ title: { notEquals: "a" } }, { title: { not: "a" } }],
    [{ title: { in: ["a", "b"] } }, { title: { in: ["a", "b"] } }],
    [{ title: { notIn: ["a"] } }, { title: { notIn: ["a"] } }],
    [{ title: { lessThan: "m" } }, { title: { lt: "m" } }],
    [{ title: { lessThanOrEqual: "m" } }, { title: { lte: "m" } }],
    [{ title: { greaterThan: "m" } }, { title: { gt: "m" } }],
    [{ title: { greaterThanOrEqual: "m" } }, { title: { gte: "m" } }],
    [{ title: { startsWith: "Re:" } }, { title: { startsWith: "Re:" } }],
    [{ id: { equals: "c1" } }, { id: { equals: "c1" } }],
    [{ id: { greaterThan: "c1" } }, { id: { gt: "c1" } }],
    [{ score: { greaterThan: 1.5 } }, { score: { gt: 1.5 } }],
    [{ score: { in: [1, 2] } }, { score: { in: [1, 2] } }],
    [{ isPinned: { equals: true } }, { isPinned: { equals: true } }],
    [{ isPinned: { notEquals: true } }, { isPinned: { not: true } }],
  ])("translates %j to %j", (filter, where) => {
    expect(chat(filter)).toEqual({ ok: true, where });
  });

  it("translates enum operators", () => {
    expect(message({ role: { equals: "user" } })).toEqual({ ok: true, where: { role: { equals: "user" } } });
    expect(message({ role: { notIn: ["system"] } })).toEqual({
      ok: true,
      where: { role: { notIn: ["system"] } },
    });
    expect(message({ status: { notEquals: "complete" } })).toEqual({
      ok: true,
      where: { OR: [{ status: { not: "complete" } }, { status: null }] },
    });
    expect(failure(message({ role: { equals: "admin" } }))).toEqual({
      path: "filter.role.equals",
      message: 'Expected one of "system", "user", "assistant"',
    });
  });

  it("converts date-times to Dates", () => {
    const result = chat({ createdAt: { greaterThanOrEqual: "2024-05-01T12:00:00+02:00" } });
    expect(result).toEqual({ ok: true, where: { createdAt: { gte: new Date("2024-05-01T10:00:00Z") } } });
    expect(chat({ createdAt: { lessThan: "2024-05-01" } })).toEqual({
      ok: true,
      where: { createdAt: { lt: new Date("2024-05-01T00:00:00Z") } },
    });
    const date = new Date("2024-01-01T00:00:00Z");
    expect(chat({ createdAt: { in: [date] } })).toEqual({ ok: true, where: { createdAt: { in: [date] } } });
  });

  it.each([
    "2024-02-30",
    "2023-02-29T00:00:00Z",
    "2024-01-01T24:00:00Z",
    "2024-01-01T12:00:00",
    "0000-01-01",
    "May 1, 2024",
    "2024-13-01",
    "",
  ])("refuses the date-time %j", (value) => {
    expect(failure(chat({ createdAt: { equals: value } }))).toMatchObject({
      path: "filter.createdAt.equals",
    });
  });

  it("refuses invalid Dates", () => {
    expect(chat({ createdAt: { equals: new Date(Number.NaN) } }).ok).toBe(false);
  });

  it.each([
    [{ title: { startsWith: 1 } }, "filter.title.startsWith", "Expected a string"],
    [{ title: { equals: 1 } }, "filter.title.equals", "Expected a string"],
    [{ score: { equals: "1" } }, "filter.score.equals", "Expected a finite number"],
    [{ score: { lessThan: true } }, "filter.score.lessThan", "Expected a finite number"],
    [{ isPinned: { equals: "true" } }, "filter.isPinned.equals", "Expected true or false"],
    [{ title: { isSet: 1 } }, "filter.title.isSet", "Expected true or false"],
    [{ title: { in: "a" } }, "filter.title.in", "Expected a list of values"],
    [{ title: { in: ["a", 2] } }, "filter.title.in[1]", "Expected a string"],
    [{ score: { lessThan: null } }, "filter.score.lessThan", "Expected a number value, not null"],
  ])("refuses %j at %s", (filter, path, message) => {
    expect(failure(chat(filter))).toEqual({ path, message });
  });

  it("keeps integer fields to Prisma's Int range", () => {
    expect(message({ order: { equals: 3 } }).ok).toBe(true);
    expect(failure(message({ order: { equals: 1.5 } }))).toMatchObject({ path: "filter.order.equals" });
    expect(message({ order: { lessThan: 2 ** 31 } }).ok).toBe(false);
    expect(message({ order: { lessThan: Number.POSITIVE_INFINITY } }).ok).toBe(false);
    expect(chat({ score: { lessThan: Number.NaN } }).ok).toBe(false);
  });

  it.each([
    [
      { score: { startsWith: "1" } },
      "filter.score.startsWith",
      'Operator "startsWith" does not apply to number fields',
    ],
    [
      { isPinned: { lessThan: true } },
      "filter.isPinned.lessThan",
      'Operator "lessThan" does not apply to boolean fields',
    ],
    [
      { createdAt: { startsWith: "2024" } },
      "filter.createdAt.startsWith",
      'Operator "startsWith" does not apply to dateTime fields',
    ],
  ])("refuses %j at %s", (filter, path, message) => {
    expect(failure(chat(filter))).toEqual({ path, message });
  });

  it("refuses enum orderings", () => {
    expect(failure(message({ role: { greaterThan: "system" } }))).toEqual({
      path: "filter.role.greaterThan",
      message: 'Operator "greaterThan" does not apply to enum fields',
    });
  });

  it("refuses unknown operators, empty operator objects and non-objects", () => {
    expect(failure(chat({ title: { contains: "a" } }))).toEqual({
      path: "filter.title.contains",
      message: 'Unknown operator "contains"',
    });
    expect(failure(chat({ title: {} }))).toEqual({
      path: "filter.title",
      message: "Expected at least one operator",
    });
    expect(failure(chat({ title: "a" }))).toMatchObject({ path: "filter.title" });
    expect(failure(chat({ title: null }))).toMatchObject({ path: "filter.title" });
    expect(failure(chat({ title: ["a"] }))).toMatchObject({ path: "filter.title" });
  });

  it("combines several operators on one field with AND", () => {
    expect(chat({ title: { startsWith: "a", notEquals: "ab" } })).toEqual({
      ok: true,
      where: { AND: [{ title: { startsWith: "a" } }, { title: { not: "ab" } }] },
    });
  });

  it("escapes LIKE wildcards in startsWith, as Prisma does not", () => {
    expect(chat({ title: { startsWith: "50%_off\\" } })).toEqual({
      ok: true,
      where: { title: { startsWith: "50\\%\\_off\\\\" } },
    });
  });
});

describe("translateFilter: nulls", () => {
  it("matches nulls with notEquals, notIn and negated comparisons on nullable fields", () => {
    expect(chat({ shop: { notEquals: "a" } })).toEqual({
      ok: true,
      where: { OR: [{ shop: { not: "a" } }, { shop: null }] },
    });
    expect(chat({ shop: { notIn: ["a"] } })).toEqual({
      ok: true,
      where: { OR: [{ shop: { notIn: ["a"] } }, { shop: null }] },
    });
    expect(chat({ NOT: { score: { lessThan: 3 } } })).toEqual({
      ok: true,
      where: { OR: [{ score: { gte: 3 } }, { score: null }] },
    });
    expect(chat({ NOT: { shop: { startsWith: "a" } } })).toEqual({
      ok: true,
      where: { OR: [{ shop: { not: { startsWith: "a" } } }, { shop: null }] },
    });
  });

  it("leaves the null branch out for required fields", () => {
    expect(chat({ NOT: { title: { equals: "a" } } })).toEqual({ ok: true, where: { title: { not: "a" } } });
    expect(chat({ NOT: { createdAt: { greaterThan: "2024-01-01" } } })).toEqual({
      ok: true,
      where: { createdAt: { lte: new Date("2024-01-01T00:00:00Z") } },
    });
  });

  it("compares with null only on nullable fields", () => {
    expect(chat({ shop: { equals: null } })).toEqual({ ok: true, where: { shop: null } });
    expect(chat({ shop: { notEquals: null } })).toEqual({ ok: true, where: { shop: { not: null } } });
    expect(failure(chat({ title: { equals: null } }))).toEqual({
      path: "filter.title.equals",
      message: "null does not apply: this field is never null",
    });
    expect(failure(chat({ shop: { in: ["a", null] } }))).toMatchObject({ path: "filter.shop.in[1]" });
  });

  it("translates isSet, as constants on required fields (Prisma refuses null there)", () => {
    expect(chat({ shop: { isSet: true } })).toEqual({ ok: true, where: { shop: { not: null } } });
    expect(chat({ shop: { isSet: false } })).toEqual({ ok: true, where: { shop: null } });
    expect(chat({ title: { isSet: true } })).toEqual({ ok: true, where: {} });
    expect(chat({ title: { isSet: false } })).toEqual({ ok: true, where: { id: { in: [] } } });
    expect(chat({ NOT: { shop: { isSet: false } } })).toEqual({ ok: true, where: { shop: { not: null } } });
  });

  it("settles empty lists without the database", () => {
    expect(chat({ title: { in: [] } })).toEqual({ ok: true, where: { id: { in: [] } } });
    expect(chat({ title: { notIn: [] } })).toEqual({ ok: true, where: {} });
    expect(chat({ NOT: { shop: { in: [] } } })).toEqual({ ok: true, where: {} });
  });

  it(`accepts at most ${MAX_LIST_LENGTH} values in a list`, () => {
    const values = Array.from({ length: MAX_LIST_LENGTH }, (_, index) => `t${index}`);
    expect(chat({ title: { in: values } }).ok).toBe(true);
    expect(failure(chat({ title: { notIn: [...values, "one more"] } }))).toEqual({
      path: "filter.title.notIn",
      message: "Expected at most 1000 values",
    });
  });

  it("filters json fields with isSet when given Prisma's AnyNull", () => {
    const anyNull = { name: "AnyNull" };
    expect(chat({ metadata: { isSet: true } }, { anyNull })).toEqual({
      ok: true,
      where: { metadata: { not: anyNull } },
    });
    expect(chat({ metadata: { isSet: false } }, { anyNull })).toEqual({
      ok: true,
      where: { metadata: { equals: anyNull } },
    });
    expect(failure(chat({ metadata: { isSet: true } }))).toMatchObject({ path: "filter.metadata.isSet" });
    expect(failure(chat({ metadata: { equals: {} } }, { anyNull }))).toEqual({
      path: "filter.metadata.equals",
      message: 'Operator "equals" does not apply to json fields',
    });
  });
});

describe("translateFilter: AND, OR and NOT", () => {
  const a = { title: { equals: "a" } };
  const b = { isPinned: { equals: true } };

  it("treats no filter, an empty object and an empty AND as matching everything", () => {
    expect(chat(undefined)).toEqual({ ok: true, where: {} });
    expect(chat(null)).toEqual({ ok: true, where: {} });
    expect(chat({})).toEqual({ ok: true, where: {} });
    expect(chat({ AND: [] })).toEqual({ ok: true, where: {} });
    expect(chat([])).toEqual({ ok: true, where: {} });
  });

  it("treats an empty OR as matching nothing", () => {
    expect(chat({ OR: [] })).toEqual({ ok: true, where: { id: { in: [] } } });
  });

  it("ANDs several keys, a top-level list and AND's list or single filter", () => {
    const where = { AND: [{ title: { equals: "a" } }, { isPinned: { equals: true } }] };
    expect(chat({ ...a, ...b })).toEqual({ ok: true, where });
    expect(chat([a, b])).toEqual({ ok: true, where });
    expect(chat({ AND: [a, b] })).toEqual({ ok: true, where });
    expect(chat({ AND: a })).toEqual({ ok: true, where: { title: { equals: "a" } } });
  });

  it("ORs a list", () => {
    expect(chat({ OR: [a, b] })).toEqual({
      ok: true,
      where: { OR: [{ title: { equals: "a" } }, { isPinned: { equals: true } }] },
    });
    expect(failure(chat({ OR: a }))).toEqual({ path: "filter.OR", message: "Expected a list of filters" });
  });

  it("pushes NOT down to the comparisons with De Morgan's laws", () => {
    expect(chat({ NOT: [a, b] })).toEqual({
      ok: true,
      where: { OR: [{ title: { not: "a" } }, { isPinned: { not: true } }] },
    });
    expect(chat({ NOT: { OR: [a, { shop: { equals: "s" } }] } })).toEqual({
      ok: true,
      where: { AND: [{ title: { not: "a" } }, { OR: [{ shop: { not: "s" } }, { shop: null }] }] },
    });
    expect(chat({ NOT: { NOT: a } })).toEqual({ ok: true, where: { title: { equals: "a" } } });
    expect(chat({ NOT: {} })).toEqual({ ok: true, where: { id: { in: [] } } });
  });

  it("names the path of a problem inside a list", () => {
    expect(failure(chat({ OR: [a, { AND: [b, { title: { startsWith: 1 } }] }] }))).toEqual({
      path: "filter.OR[1].AND[1].title.startsWith",
      message: "Expected a string",
    });
    expect(failure(chat([a, "b"]))).toEqual({ path: "filter[1]", message: "Expected a filter object" });
  });
});

describe("translateFilter: relations", () => {
  it("compares a belongsTo relation through its foreign key", () => {
    expect(message({ chat: { equals: "c1" } })).toEqual({ ok: true, where: { chatId: { equals: "c1" } } });
    expect(message({ chat: { in: ["c1", "c2"] } })).toEqual({
      ok: true,
      where: { chatId: { in: ["c1", "c2"] } },
    });
    expect(chat({ user: { notEquals: "u1" } })).toEqual({
      ok: true,
      where: { OR: [{ userId: { not: "u1" } }, { userId: null }] },
    });
    expect(chat({ user: { isSet: false } })).toEqual({ ok: true, where: { userId: null } });
    expect(chat({ user: { equals: null } })).toEqual({ ok: true, where: { userId: null } });
    expect(failure(message({ chat: { equals: null } }))).toMatchObject({ path: "filter.chat.equals" });
  });

  it("filters on the related record with `is`", () => {
    expect(message({ chat: { title: { startsWith: "x" } } })).toEqual({
      ok: true,
      where: { chat: { is: { title: { startsWith: "x" } } } },
    });
    expect(message({ chat: { user: { email: { equals: "a@b" } } } })).toEqual({
      ok: true,
      where: { chat: { is: { user: { is: { email: { equals: "a@b" } } } } } },
    });
  });

  it("mixes foreign key operators and related fields", () => {
    expect(chat({ user: { isSet: true, name: { equals: "Ann" } } })).toEqual({
      ok: true,
      where: { AND: [{ userId: { not: null } }, { user: { is: { name: { equals: "Ann" } } } }] },
    });
  });

  it("keeps rows without a related record when a relation filter is negated", () => {
    expect(chat({ NOT: { user: { name: { equals: "Ann" } } } })).toEqual({
      ok: true,
      where: { OR: [{ userId: null }, { user: { is: { OR: [{ name: { not: "Ann" } }, { name: null }] } } }] },
    });
    expect(message({ NOT: { chat: { title: { equals: "x" } } } })).toEqual({
      ok: true,
      where: { chat: { is: { title: { not: "x" } } } },
    });
  });

  it("translates hasMany quantifiers, writing every as none of the negation", () => {
    const content = { content: { equals: "hi" } };
    expect(chat({ messages: { some: content } })).toEqual({
      ok: true,
      where: { messages: { some: { content: { equals: "hi" } } } },
    });
    expect(chat({ messages: { none: content } })).toEqual({
      ok: true,
      where: { messages: { none: { content: { equals: "hi" } } } },
    });
    expect(chat({ messages: { every: content } })).toEqual({
      ok: true,
      where: { messages: { none: { content: { not: "hi" } } } },
    });
    expect(chat({ NOT: { messages: { every: content } } })).toEqual({
      ok: true,
      where: { messages: { some: { content: { not: "hi" } } } },
    });
    expect(chat({ NOT: { messages: { some: content } } })).toEqual({
      ok: true,
      where: { messages: { none: { content: { equals: "hi" } } } },
    });
    expect(chat({ messages: { some: {} } })).toEqual({ ok: true, where: { messages: { some: {} } } });
    expect(chat({ messages: { every: {} } })).toEqual({ ok: true, where: {} });
  });

  it("refuses malformed relation filters", () => {
    expect(failure(chat({ messages: { any: {} } }))).toEqual({
      path: "filter.messages.any",
      message: 'Unknown operator "any": expected some, every or none',
    });
    expect(failure(chat({ messages: {} }))).toMatchObject({ path: "filter.messages" });
    expect(failure(chat({ messages: { equals: "m1" } }))).toMatchObject({ path: "filter.messages.equals" });
    expect(failure(chat({ user: {} }))).toMatchObject({ path: "filter.user" });
    expect(failure(chat({ user: "u1" }))).toMatchObject({ path: "filter.user" });
    expect(failure(chat({ user: { lessThan: "u1" } }))).toEqual({
      path: "filter.user.lessThan",
      message: 'Unknown field "lessThan" on User',
    });
    expect(failure(message({ chat: { title: { startsWith: 1 } } }))).toEqual({
      path: "filter.chat.title.startsWith",
      message: "Expected a string",
    });
    expect(failure(chat({ OR: [{}, { user: { chats: { some: { secret: { equals: "x" } } } } }] }))).toEqual({
      path: "filter.OR[1].user.chats.some.secret",
      message: 'Field "secret" cannot be filtered',
    });
  });
});

describe("translateFilter: refusals", () => {
  it("refuses comparing a relation whose foreign key cannot be filtered, which would reveal the key", () => {
    const hidden = defineModels({
      user: { name: "User", fields: { id: { kind: "id" }, email: { kind: "string" } } },
      note: {
        name: "Note",
        fields: {
          id: { kind: "id" },
          ownerId: { kind: "string", readable: false },
          owner: { relation: "belongsTo", model: "user", foreignKey: "ownerId" },
        },
      },
    });
    const note = (filter: unknown) => translateFilter(filter, hidden.note, hidden);
    expect(failure(note({ ownerId: { equals: "u2" } }))).toMatchObject({
      message: 'Field "ownerId" cannot be filtered',
    });
    for (const operators of [{ equals: "u2" }, { in: ["u1", "u2"] }, { isSet: true }]) {
      expect(failure(note({ owner: operators }))).toMatchObject({
        path: "filter.owner",
        message: 'Relation "owner" cannot be compared: its key "ownerId" cannot be filtered',
      });
    }
  });

  it("refuses unknown and unfilterable fields", () => {
    expect(failure(chat({ nope: { equals: 1 } }))).toEqual({
      path: "filter.nope",
      message: 'Unknown field "nope" on Chat',
    });
    expect(failure(chat({ secret: { equals: "x" } }))).toEqual({
      path: "filter.secret",
      message: 'Field "secret" cannot be filtered',
    });
  });

  it("refuses prototype keys and inherited names", () => {
    expect(failure(chat(JSON.parse('{"__proto__": {"equals": "x"}}')))).toEqual({
      path: "filter.__proto__",
      message: '"__proto__" is not allowed in a filter',
    });
    expect(failure(chat({ constructor: { equals: "x" } }))).toMatchObject({ path: "filter.constructor" });
    expect(failure(chat({ title: JSON.parse('{"__proto__": "x"}') }))).toMatchObject({
      path: "filter.title.__proto__",
    });
    expect(failure(chat({ toString: { equals: "x" } }))).toEqual({
      path: "filter.toString",
      message: 'Unknown field "toString" on Chat',
    });
    expect(failure(chat({ title: { valueOf: "x" } }))).toMatchObject({ path: "filter.title.valueOf" });
    expect(failure(chat({ user: { hasOwnProperty: { equals: "x" } } }))).toMatchObject({
      path: "filter.user.hasOwnProperty",
    });
    expect(Object.prototype).not.toHaveProperty("equals");
  });

  it("refuses objects that are not plain data", () => {
    class Filter {
      title = { equals: "a" };
    }
    expect(failure(chat(new Filter()))).toEqual({ path: "filter", message: "Expected a filter object" });
    expect(failure(chat(new Map()))).toMatchObject({ path: "filter" });
    expect(failure(chat({ title: new Map([["equals", "a"]]) }))).toMatchObject({ path: "filter.title" });
    expect(failure(chat("title = 'a'"))).toMatchObject({ path: "filter" });
    expect(chat(Object.assign(Object.create(null), { title: { equals: "a" } })).ok).toBe(true);
  });

  it("quotes keys that are not identifiers in paths", () => {
    expect(failure(chat({ OR: [{ "first name": { equals: "a" } }] }))).toEqual({
      path: 'filter.OR[0]["first name"]',
      message: 'Unknown field "first name" on Chat',
    });
    const long = "x".repeat(500);
    const result = failure(chat({ [long]: {} }));
    expect(result).toMatchObject({ path: expect.stringMatching(/^filter\["x{64}…"\]$/) });
  });
});

describe("translateFilter: depth", () => {
  const nest = (levels: number) => {
    let filter: unknown = { title: { equals: "a" } };
    for (let level = 0; level < levels; level++) filter = level % 2 ? { AND: [filter] } : { NOT: filter };
    return filter;
  };

  it("allows maxDepth levels and refuses one more", () => {
    expect(chat(nest(8)).ok).toBe(true);
    expect(failure(chat(nest(9)))).toEqual({
      path: "filter.NOT.AND[0].NOT.AND[0].NOT.AND[0].NOT.AND[0].NOT",
      message: "Filter is nested too deeply: at most 8 levels of AND, OR, NOT and relations",
    });
    expect(chat(nest(3), { maxDepth: 3 }).ok).toBe(true);
    expect(chat(nest(4), { maxDepth: 3 }).ok).toBe(false);
    expect(chat({ title: { equals: "a" } }, { maxDepth: 0 }).ok).toBe(true);
  });

  it("counts relation levels, top-level lists and empty lists", () => {
    const deep = { messages: { some: { chat: { messages: { some: { content: { equals: "x" } } } } } } };
    expect(chat(deep, { maxDepth: 3 }).ok).toBe(true);
    expect(failure(chat(deep, { maxDepth: 2 }))).toMatchObject({
      path: "filter.messages.some.chat.messages.some",
    });
    expect(chat([{}], { maxDepth: 0 }).ok).toBe(false);
    expect(chat({ NOT: { AND: [] } }, { maxDepth: 1 }).ok).toBe(false);
  });

  it("stops at the limit on hostile nesting instead of overflowing the stack", () => {
    let filter: unknown = {};
    for (let level = 0; level < 100_000; level++) filter = { NOT: filter };
    expect(chat(filter).ok).toBe(false);
  });

  it("refuses an invalid maxDepth option", () => {
    expect(() => chat({}, { maxDepth: -1 })).toThrow(RangeError);
    expect(() => chat({}, { maxDepth: 1.5 })).toThrow(RangeError);
  });
});

describe("translateFilter: any input", () => {
  const isResult = (result: ReturnType<typeof translateFilter>) =>
    result.ok
      ? typeof result.where === "object" && result.where !== null
      : typeof result.path === "string" &&
        result.path.startsWith("filter") &&
        typeof result.message === "string";

  it("never throws on JSON", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (filter) => {
        expect(isResult(chat(filter))).toBe(true);
        expect(isResult(message(filter))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("never throws on arbitrary values", () => {
    fc.assert(
      fc.property(
        fc.anything({ withNullPrototype: true, withDate: true, withMap: true, withSet: true }),
        (filter) => {
          expect(isResult(chat(filter))).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("never throws on filter-shaped JSON", () => {
    const key = fc.constantFrom(
      "AND",
      "OR",
      "NOT",
      "title",
      "shop",
      "score",
      "createdAt",
      "user",
      "messages",
      "some",
      "every",
      "none",
      "equals",
      "notEquals",
      "in",
      "notIn",
      "lessThan",
      "startsWith",
      "isSet",
      "content",
      "name",
      "__proto__",
    );
    const { filter } = fc.letrec((tie) => ({
      filter: fc.oneof(
        { depthSize: "small" },
        fc.jsonValue({ maxDepth: 1 }),
        fc.array(tie("filter"), { maxLength: 3 }),
        fc.dictionary(key, tie("filter"), { maxKeys: 3 }),
      ),
    }));
    fc.assert(
      fc.property(filter, (value) => {
        expect(isResult(chat(value))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
