import { defineModels, translateSort } from "@sprocket/server/models";
import { describe, expect, it } from "vitest";
import { SORT_DIRECTIONS } from "./translate-sort.js";

const models = defineModels({
  chat: {
    name: "Chat",
    fields: {
      id: { kind: "id" },
      title: { kind: "string" },
      createdAt: { kind: "dateTime" },
      metadata: { kind: "json" },
      secret: { kind: "string", sortable: false },
      apiToken: { kind: "string", readable: false },
      messages: { relation: "hasMany", model: "message" },
    },
  },
  message: { name: "Message", fields: { uuid: { kind: "id" } } },
});
const sort = (value: unknown) => translateSort(value, models.chat);

describe("translateSort", () => {
  it("maps Gadget's directions to Prisma's", () => {
    expect(SORT_DIRECTIONS).toEqual({ Ascending: "asc", Descending: "desc" });
  });

  it("refuses a sort on a field callers cannot read: the order would reveal it; trusted code may", () => {
    expect(sort({ apiToken: "Ascending" }).ok).toBe(false);
    expect(translateSort({ apiToken: "Ascending" }, models.chat, { isTrusted: true })).toEqual({
      ok: true,
      orderBy: [{ apiToken: "asc" }, { id: "asc" }],
    });
    // Declared unsortable, or JSON, stays so even for trusted code.
    expect(translateSort({ secret: "Ascending" }, models.chat, { isTrusted: true }).ok).toBe(false);
    expect(translateSort({ metadata: "Ascending" }, models.chat, { isTrusted: true }).ok).toBe(false);
  });

  it("sorts by id when no sort is given", () => {
    expect(sort(undefined)).toEqual({ ok: true, orderBy: [{ id: "asc" }] });
    expect(sort(null)).toEqual({ ok: true, orderBy: [{ id: "asc" }] });
    expect(sort([])).toEqual({ ok: true, orderBy: [{ id: "asc" }] });
    expect(translateSort(undefined, models.message)).toEqual({ ok: true, orderBy: [{ uuid: "asc" }] });
  });

  it("appends the id as the last key so ties have a stable order", () => {
    expect(sort({ createdAt: "Descending" })).toEqual({
      ok: true,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    });
    expect(sort([{ title: "Ascending" }, { createdAt: "Descending" }])).toEqual({
      ok: true,
      orderBy: [{ title: "asc" }, { createdAt: "desc" }, { id: "asc" }],
    });
    expect(sort({ title: "Ascending", createdAt: "Descending" })).toEqual({
      ok: true,
      orderBy: [{ title: "asc" }, { createdAt: "desc" }, { id: "asc" }],
    });
  });

  it("does not append the id when it is sorted on already", () => {
    expect(sort([{ id: "Descending" }, { title: "Ascending" }])).toEqual({
      ok: true,
      orderBy: [{ id: "desc" }, { title: "asc" }],
    });
  });

  it.each([
    [{ title: "asc" }, "sort.title", 'Expected "Ascending" or "Descending"'],
    [{ title: "ascending" }, "sort.title", 'Expected "Ascending" or "Descending"'],
    [{ title: "toString" }, "sort.title", 'Expected "Ascending" or "Descending"'],
    [{ title: 1 }, "sort.title", 'Expected "Ascending" or "Descending"'],
    [[{ title: "Ascending" }, { nope: "Ascending" }], "sort[1].nope", 'Unknown field "nope" on Chat'],
    [
      [{ createdAt: "Descending" }, { metadata: "Ascending" }],
      "sort[1].metadata",
      'Field "metadata" cannot be sorted by',
    ],
    [{ secret: "Ascending" }, "sort.secret", 'Field "secret" cannot be sorted by'],
    [{ messages: "Ascending" }, "sort.messages", 'Relation "messages" cannot be sorted by'],
    [
      [{ title: "Ascending" }, { title: "Descending" }],
      "sort[1].title",
      'Field "title" is sorted by more than once',
    ],
    [{}, "sort", "Expected a field to sort by"],
    [[{ title: "Ascending" }, "title"], "sort[1]", 'Expected an object such as { createdAt: "Descending" }'],
    ["title", "sort", 'Expected an object such as { createdAt: "Descending" }'],
    [{ constructor: "Ascending" }, "sort.constructor", '"constructor" is not allowed in a sort'],
    [{ toString: "Ascending" }, "sort.toString", 'Unknown field "toString" on Chat'],
  ])("refuses %j at %s", (value, path, message) => {
    expect(sort(value)).toEqual({ ok: false, path, message });
  });

  it("refuses prototype keys from JSON", () => {
    expect(sort(JSON.parse('{"__proto__": "Ascending"}'))).toMatchObject({
      ok: false,
      path: "sort.__proto__",
    });
  });
});
