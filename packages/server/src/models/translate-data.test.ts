import { defineModels } from "@sprocket/server/models";
import { describe, expect, it } from "vitest";
import { translateData } from "./translate-data.js";

const models = defineModels({
  chat: { name: "Chat", fields: { id: { kind: "id" }, title: { kind: "string" } } },
  message: {
    name: "Message",
    fields: {
      id: { kind: "id" },
      content: { kind: "string" },
      chatId: { kind: "string", nullable: true },
      chat: { relation: "belongsTo", model: "chat", foreignKey: "chatId" },
    },
  },
});

describe("translateData", () => {
  it("reports a link for a relation's `_link` and for its foreign key written by itself", () => {
    const link = { model: "chat", id: "c1", foreignKey: "chatId" };
    expect(translateData({ content: "Hi", chat: { _link: "c1" } }, models.message)).toEqual({
      ok: true,
      data: { content: "Hi", chatId: "c1" },
      links: [{ ...link, path: "data.chat._link" }],
    });
    expect(translateData({ content: "Hi", chatId: "c1" }, models.message)).toEqual({
      ok: true,
      data: { content: "Hi", chatId: "c1" },
      links: [{ ...link, path: "data.chatId" }],
    });
  });

  it("reports no link for other fields, or for a foreign key set to null", () => {
    expect(translateData({ content: "c1", chatId: null }, models.message)).toEqual({
      ok: true,
      data: { content: "c1", chatId: null },
      links: [],
    });
  });
});
