import { defineModels, type ModelRegistry } from "@sprocket/server/models";
import { describe, expect, it } from "vitest";
import { RESERVED_FIELD_NAMES, resolveField } from "./model-fields.js";

const valid = {
  chat: {
    name: "Chat",
    fields: {
      id: { kind: "id" },
      title: { kind: "string" },
      userId: { kind: "string", nullable: true },
      user: { relation: "belongsTo", model: "user", foreignKey: "userId" },
    },
  },
  user: {
    name: "User",
    fields: { id: { kind: "id" }, chats: { relation: "hasMany", model: "chat" } },
  },
} as const satisfies ModelRegistry;

const withChat = (fields: Record<string, unknown>) =>
  ({
    ...valid,
    chat: { name: "Chat", fields: { ...valid.chat.fields, ...fields } },
  }) as unknown as ModelRegistry;

describe("defineModels", () => {
  it("returns a valid registry unchanged, with its literal types", () => {
    const models = defineModels(valid);
    expect(models).toBe(valid);
    const name: "Chat" = models.chat.name;
    expect(name).toBe("Chat");
  });

  it.each([
    [withChat({ id: { kind: "uuid" } }), "models.chat.fields.id.kind"],
    [withChat({ role: { kind: { enum: [] } } }), "models.chat.fields.role.kind"],
    [withChat({ role: { kind: { enum: ["a", "a"] } } }), "models.chat.fields.role.kind"],
    [withChat({ title: { kind: "string", filterable: "yes" } }), "models.chat.fields.title.filterable"],
    [withChat({ title: { kind: "string", integer: true } }), "models.chat.fields.title.integer"],
    [withChat({ meta: { kind: "json", sortable: true } }), "models.chat.fields.meta.sortable"],
    [withChat({ id: { kind: "id", nullable: true } }), "models.chat.fields.id.nullable"],
    [withChat({ id: { kind: "id", readable: false } }), "models.chat.fields.id.readable"],
    [withChat({ otherId: { kind: "id" } }), "models.chat.fields"],
    [withChat({ AND: { kind: "string" } }), "models.chat.fields.AND"],
    [withChat({ constructor: { kind: "string" } }), "models.chat.fields.constructor"],
    [withChat({ equals: { kind: "string" } }), "models.chat.fields.equals"],
    [
      withChat({ user: { relation: "belongsTo", model: "person", foreignKey: "userId" } }),
      "models.chat.fields.user.model",
    ],
    [
      withChat({ user: { relation: "belongsTo", model: "toString", foreignKey: "userId" } }),
      "models.chat.fields.user.model",
    ],
    [
      withChat({ user: { relation: "belongsTo", model: "user", foreignKey: "ownerId" } }),
      "models.chat.fields.user.foreignKey",
    ],
    [
      withChat({ user: { relation: "belongsTo", model: "user", foreignKey: "id" } }),
      "models.chat.fields.user.foreignKey",
    ],
    [withChat({ user: { relation: "hasOne", model: "user" } }), "models.chat.fields.user.relation"],
    [withChat({ title: "string" }), "models.chat.fields.title"],
    [{ ...valid, chat: { name: "", fields: valid.chat.fields } }, "models.chat.name"],
    [{ ...valid, chat: { name: "Chat", fields: [] } }, "models.chat.fields"],
    [{ ...valid, chat: { name: "Chat", fields: { title: { kind: "string" } } } }, "models.chat.fields"],
    [JSON.parse('{"__proto__": {"name": "X", "fields": {}}}'), "models.__proto__"],
  ])("refuses a problem at %#", (registry, path) => {
    expect(() => defineModels(registry as ModelRegistry)).toThrow(
      new RegExp(`^Invalid models at ${path.replace(/[.[\]]/g, "\\$&")}:`),
    );
    expect(() => defineModels(registry as ModelRegistry)).toThrow(TypeError);
  });

  it("reserves the names the filter language uses", () => {
    expect([...RESERVED_FIELD_NAMES]).toEqual([
      "AND",
      "OR",
      "NOT",
      "equals",
      "notEquals",
      "in",
      "notIn",
      "isSet",
    ]);
  });
});

describe("field defaults", () => {
  it("makes fields filterable, sortable and readable, and only json unsortable", () => {
    expect(resolveField("title", { kind: "string" })).toEqual({
      name: "title",
      kind: "string",
      filterable: true,
      sortable: true,
      readable: true,
      writable: true,
      nullable: false,
      integer: false,
    });
    expect(resolveField("meta", { kind: "json" }).sortable).toBe(false);
    expect(resolveField("meta", { kind: "json", filterable: false }).filterable).toBe(false);
  });

  it("makes ids and timestamps read-only unless told otherwise", () => {
    expect(resolveField("id", { kind: "id" }).writable).toBe(false);
    expect(resolveField("createdAt", { kind: "dateTime" }).writable).toBe(false);
    expect(resolveField("updatedAt", { kind: "dateTime" }).writable).toBe(false);
    expect(resolveField("publishedAt", { kind: "dateTime" }).writable).toBe(true);
    expect(resolveField("createdAt", { kind: "dateTime", writable: true }).writable).toBe(true);
  });
});
