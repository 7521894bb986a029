import { defineModels, evaluateFilter } from "@sprocket/server/models";
import { describe, expect, it } from "vitest";

const models = defineModels({
  user: {
    name: "User",
    fields: { id: { kind: "id" }, name: { kind: "string", nullable: true } },
  },
  chat: {
    name: "Chat",
    fields: {
      id: { kind: "id" },
      title: { kind: "string" },
      shop: { kind: "string", nullable: true },
      score: { kind: "number", nullable: true },
      createdAt: { kind: "dateTime" },
      userId: { kind: "string", nullable: true },
      user: { relation: "belongsTo", model: "user", foreignKey: "userId" },
      messages: { relation: "hasMany", model: "message" },
    },
  },
  message: {
    name: "Message",
    fields: { id: { kind: "id" }, content: { kind: "string", nullable: true } },
  },
});

const matches = (filter: unknown, row: object) => {
  const result = evaluateFilter(filter, row, models.chat, models);
  if (!result.ok) throw new Error(`${result.path}: ${result.message}`);
  return result.matches;
};

const row = {
  id: "c1",
  title: "Re: hello",
  shop: null,
  score: 2,
  createdAt: new Date("2024-05-01T12:00:00Z"),
  userId: null,
  user: null,
  messages: [],
};

describe("evaluateFilter", () => {
  it("fails every comparison on null, so notEquals, notIn and NOT match it", () => {
    expect(matches({ shop: { equals: "s" } }, row)).toBe(false);
    expect(matches({ shop: { notEquals: "s" } }, row)).toBe(true);
    expect(matches({ shop: { in: ["s"] } }, row)).toBe(false);
    expect(matches({ shop: { notIn: ["s"] } }, row)).toBe(true);
    expect(matches({ shop: { lessThan: "z" } }, row)).toBe(false);
    expect(matches({ NOT: { shop: { lessThan: "z" } } }, row)).toBe(true);
    expect(matches({ shop: { startsWith: "" } }, row)).toBe(false);
    expect(matches({ shop: { equals: null } }, row)).toBe(true);
    expect(matches({ shop: { notEquals: null } }, row)).toBe(false);
    expect(matches({ shop: { isSet: false } }, row)).toBe(true);
  });

  it("compares values of each kind", () => {
    expect(matches({ title: { startsWith: "Re:" } }, row)).toBe(true);
    expect(matches({ title: { startsWith: "re:" } }, row)).toBe(false);
    expect(matches({ score: { greaterThan: 1, lessThanOrEqual: 2 } }, row)).toBe(true);
    expect(matches({ createdAt: { equals: "2024-05-01T14:00:00+02:00" } }, row)).toBe(true);
    expect(matches({ createdAt: { lessThan: "2024-05-01" } }, row)).toBe(false);
    expect(matches({ createdAt: { in: [new Date("2024-05-01T12:00:00Z")] } }, row)).toBe(true);
  });

  it("reads date-times stored as ISO strings", () => {
    const stored = { ...row, createdAt: "2024-05-01T12:00:00.000Z" };
    expect(matches({ createdAt: { greaterThanOrEqual: "2024-05-01T12:00:00Z" } }, stored)).toBe(true);
  });

  it("orders strings by code point, as PostgreSQL's C collation does", () => {
    // In UTF-16, "😀" (a surrogate pair starting 0xD83D) sorts before U+FFFF; by code point, after.
    expect(matches({ title: { greaterThan: "\uffff" } }, { ...row, title: "😀" })).toBe(true);
    expect(matches({ title: { lessThan: "a" } }, { ...row, title: "B" })).toBe(true);
  });

  it("combines with AND, OR and NOT", () => {
    expect(matches([{ score: { equals: 2 } }, { title: { startsWith: "Re" } }], row)).toBe(true);
    expect(matches({ OR: [{ score: { equals: 3 } }, { shop: { isSet: false } }] }, row)).toBe(true);
    expect(matches({ OR: [] }, row)).toBe(false);
    expect(matches({ NOT: [{ score: { equals: 2 } }, { shop: { isSet: true } }] }, row)).toBe(true);
    expect(matches({}, row)).toBe(true);
  });

  it("follows a belongsTo relation nested in the row", () => {
    const withUser = { ...row, userId: "u1", user: { id: "u1", name: "Ann" } };
    expect(matches({ user: { name: { equals: "Ann" } } }, withUser)).toBe(true);
    expect(matches({ user: { equals: "u1" } }, withUser)).toBe(true);
    expect(matches({ user: { name: { equals: "Ann" } } }, row)).toBe(false);
    expect(matches({ NOT: { user: { name: { equals: "Ann" } } } }, row)).toBe(true);
    expect(matches({ user: { notEquals: "u1" } }, row)).toBe(true);
    expect(matches({ user: { isSet: false } }, row)).toBe(true);
  });

  it("quantifies over a hasMany relation nested in the row", () => {
    const withMessages = {
      ...row,
      messages: [
        { id: "m1", content: "hi" },
        { id: "m2", content: null },
      ],
    };
    expect(matches({ messages: { some: { content: { equals: "hi" } } } }, withMessages)).toBe(true);
    expect(matches({ messages: { every: { content: { equals: "hi" } } } }, withMessages)).toBe(false);
    expect(matches({ messages: { none: { content: { equals: "bye" } } } }, withMessages)).toBe(true);
    expect(matches({ messages: { every: { content: { equals: "hi" } } } }, row)).toBe(true);
    expect(matches({ messages: { some: {} } }, { ...row, messages: undefined })).toBe(false);
  });

  it("reads only the row's own properties", () => {
    const inherited = Object.assign(Object.create({ shop: "s" }), { ...row, shop: undefined });
    expect(matches({ shop: { isSet: false } }, inherited)).toBe(true);
  });

  it("refuses the filters translateFilter refuses, with the same path", () => {
    expect(evaluateFilter({ OR: [{ title: { startsWith: 1 } }] }, row, models.chat, models)).toEqual({
      ok: false,
      path: "filter.OR[0].title.startsWith",
      message: "Expected a string",
    });
    expect(evaluateFilter({ NOT: { NOT: {} } }, row, models.chat, models, { maxDepth: 1 }).ok).toBe(false);
  });
});
