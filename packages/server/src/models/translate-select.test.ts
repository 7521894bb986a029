import { defineModels, translateSelect } from "@sprocket/server/models";
import { describe, expect, it } from "vitest";

const models = defineModels({
  user: {
    name: "User",
    fields: {
      id: { kind: "id" },
      email: { kind: "string" },
      passwordHash: { kind: "string", readable: false },
      chats: { relation: "hasMany", model: "chat" },
    },
  },
  chat: {
    name: "Chat",
    fields: {
      id: { kind: "id" },
      title: { kind: "string" },
      userId: { kind: "string", nullable: true },
      user: { relation: "belongsTo", model: "user", foreignKey: "userId" },
      owner: { relation: "belongsTo", model: "user", foreignKey: "userId", readable: false },
      messages: { relation: "hasMany", model: "message" },
    },
  },
  message: {
    name: "Message",
    fields: {
      id: { kind: "id" },
      chatId: { kind: "string" },
      chat: { relation: "belongsTo", model: "chat", foreignKey: "chatId" },
    },
  },
});
const select = (value: unknown, options?: Parameters<typeof translateSelect>[3]) =>
  translateSelect(value, models.chat, models, options);

describe("translateSelect", () => {
  it("selects every readable scalar field by default", () => {
    expect(select(undefined)).toEqual({ ok: true, select: { id: true, title: true, userId: true } });
    expect(translateSelect(null, models.user, models)).toEqual({
      ok: true,
      select: { id: true, email: true },
    });
  });

  it("selects the fields asked for, and always the id", () => {
    expect(select({ title: true })).toEqual({ ok: true, select: { id: true, title: true } });
    expect(select({ title: true, userId: false })).toEqual({ ok: true, select: { id: true, title: true } });
    expect(select({})).toEqual({ ok: true, select: { id: true } });
    expect(select({ id: false })).toEqual({ ok: true, select: { id: true } });
  });

  it("nests belongsTo relations", () => {
    expect(select({ title: true, user: { email: true } })).toEqual({
      ok: true,
      select: { id: true, title: true, user: { select: { id: true, email: true } } },
    });
    expect(select({ user: true })).toEqual({
      ok: true,
      select: { id: true, user: { select: { id: true, email: true } } },
    });
    expect(select({ user: false })).toEqual({ ok: true, select: { id: true } });
    expect(translateSelect({ chat: { user: { id: true } } }, models.message, models)).toEqual({
      ok: true,
      select: { id: true, chat: { select: { id: true, user: { select: { id: true } } } } },
    });
  });

  it.each([
    [{ nope: true }, "select.nope", 'Unknown field "nope" on Chat'],
    [{ title: 1 }, "select.title", "Expected true or false"],
    [{ title: { id: true } }, "select.title", "Expected true or false"],
    [{ user: { passwordHash: true } }, "select.user.passwordHash", 'Field "passwordHash" cannot be selected'],
    [{ user: "yes" }, "select.user", "Expected true, false or an object of fields"],
    [{ owner: true }, "select.owner", 'Relation "owner" cannot be selected'],
    [
      { messages: { id: true } },
      "select.messages",
      'Relation "messages" cannot be selected: query "message" instead',
    ],
    [{ constructor: true }, "select.constructor", '"constructor" is not allowed in a selection'],
    [{ toString: true }, "select.toString", 'Unknown field "toString" on Chat'],
    [["title"], "select", "Expected an object of fields, e.g. { id: true, title: true }"],
    [true, "select", "Expected an object of fields, e.g. { id: true, title: true }"],
  ])("refuses %j at %s", (value, path, message) => {
    expect(select(value === true ? "title" : value)).toEqual({ ok: false, path, message });
  });

  it("refuses prototype keys from JSON", () => {
    expect(select(JSON.parse('{"__proto__": true}'))).toMatchObject({ ok: false, path: "select.__proto__" });
  });

  it("limits how deep relations nest", () => {
    const twoLevels = { chat: { user: true } };
    expect(translateSelect(twoLevels, models.message, models, { maxDepth: 2 }).ok).toBe(true);
    expect(translateSelect(twoLevels, models.message, models, { maxDepth: 1 })).toEqual({
      ok: false,
      path: "select.chat.user",
      message: "Selection is nested too deeply: at most 1 relations",
    });
  });
});
