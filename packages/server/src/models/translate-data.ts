import { isPlainObject } from "../_internal/is-plain-object.js";
import { FORBIDDEN_KEYS, fieldOf, isRelation, resolveField } from "./model-fields.js";
import { parseScalar } from "./parse-operand.js";
import { appendKey, quote } from "./path.js";
import type { ModelSpec, TranslateFailure, TranslateResult } from "./types.js";

/** A related record a write links to: it must exist and be readable by the writer. */
export interface Link {
  /** The related model's api name. */
  model: string;
  id: string;
  /** The foreign key on the written model that holds `id`. */
  foreignKey: string;
  path: string;
}

/** Options for {@link translateData}. */
export interface TranslateDataOptions {
  /** Server-side data (a permission's `set`, the internal api): read-only fields may be written. */
  isTrusted?: boolean;
  /** Prisma's `Prisma.DbNull`, which writes SQL NULL to a nullable JSON column. Without it, null is refused there. */
  dbNull?: unknown;
  /** Where the data sits in the request, for error paths. Default: "data". */
  path?: string;
}

/** The largest string a write may carry in one field: 1 MiB, the default body limit. */
const MAX_STRING_LENGTH = 1_048_576;

/**
 * Gadget-style record data (`{ title, chat: { _link: id } }`) checked against `model` and turned
 * into Prisma's unchecked create/update data: only writable fields (unless trusted), values of the
 * field's kind, null only where the column allows it, relations as their foreign key. `_link`ed ids,
 * and foreign keys written directly, are returned so the caller can check the writer may see them.
 *
 * @example
 * translateData({ content: "Hi", chat: { _link: "c1" } }, message);
 * // { ok: true, data: { content: "Hi", chatId: "c1" }, links: [{ model: "chat", id: "c1", foreignKey: "chatId", ... }] }
 */
export function translateData(
  input: unknown,
  model: ModelSpec,
  { isTrusted = false, dbNull, path = "data" }: TranslateDataOptions = {},
): TranslateResult<{ data: Record<string, unknown>; links: Link[] }> {
  if (!isPlainObject(input)) return fail(path, "Expected an object of fields");
  const data: Record<string, unknown> = {};
  const links: Link[] = [];
  for (const [key, value] of Object.entries(input)) {
    const keyPath = appendKey(path, key);
    if (FORBIDDEN_KEYS.has(key)) return fail(keyPath, `${quote(key)} is not allowed`);
    const spec = fieldOf(model, key);
    if (spec === undefined) return fail(keyPath, `Unknown field ${quote(key)} on ${model.name}`);
    if (value === undefined) continue;
    if (isRelation(spec)) {
      if (spec.relation === "hasMany") {
        return fail(
          keyPath,
          `Relation ${quote(key)} cannot be written here: write ${quote(spec.model)} records`,
        );
      }
      const foreignKeySpec = fieldOf(model, spec.foreignKey);
      if (foreignKeySpec === undefined || isRelation(foreignKeySpec)) {
        return fail(keyPath, `Relation ${quote(key)} is not configured correctly`);
      }
      const foreignKey = resolveField(spec.foreignKey, foreignKeySpec);
      if (!foreignKey.writable && !isTrusted)
        return fail(keyPath, `Relation ${quote(key)} cannot be written`);
      if (!isPlainObject(value) || !Object.hasOwn(value, "_link") || Object.keys(value).length !== 1) {
        return fail(keyPath, "Expected { _link: id }");
      }
      const id = value._link;
      const linkPath = appendKey(keyPath, "_link");
      if (id === null) {
        if (!foreignKey.nullable) return fail(linkPath, `Relation ${quote(key)} is required`);
        data[spec.foreignKey] = null;
        continue;
      }
      if (typeof id !== "string" || id.length === 0) return fail(linkPath, "Expected an id");
      data[spec.foreignKey] = id;
      links.push({ model: spec.model, id, foreignKey: spec.foreignKey, path: linkPath });
      continue;
    }
    const field = resolveField(key, spec);
    if (!field.writable && !isTrusted) return fail(keyPath, `Field ${quote(key)} cannot be written`);
    if (value === null) {
      if (!field.nullable) return fail(keyPath, "Expected a value, not null: this field is never null");
      if (field.kind === "json") {
        if (dbNull === undefined) return fail(keyPath, "null cannot be written to a JSON field here");
        data[key] = dbNull;
      } else {
        data[key] = null;
      }
      continue;
    }
    if (field.kind === "json") {
      if (!isJson(value)) return fail(keyPath, "Expected a JSON value");
      data[key] = value;
      continue;
    }
    const parsed = parseScalar(value, field, keyPath);
    if (!parsed.ok) return parsed;
    if (typeof parsed.value === "string" && parsed.value.length > MAX_STRING_LENGTH) {
      return fail(keyPath, `Expected at most ${MAX_STRING_LENGTH} characters`);
    }
    data[key] = parsed.value;
    // A foreign key written by itself is a link all the same: it must reach a readable row too.
    const linked = belongsToModelOf(model, key);
    if (linked !== undefined && typeof parsed.value === "string") {
      links.push({ model: linked, id: parsed.value, foreignKey: key, path: keyPath });
    }
  }
  return { ok: true, data, links };
}

/** The model a `belongsTo` relation keyed by `foreignKey` points at, if any. */
function belongsToModelOf(model: ModelSpec, foreignKey: string): string | undefined {
  for (const spec of Object.values(model.fields)) {
    if (isRelation(spec) && spec.relation === "belongsTo" && spec.foreignKey === foreignKey)
      return spec.model;
  }
  return undefined;
}

function fail(path: string, message: string): TranslateFailure {
  return { ok: false, path, message };
}

// Values that survive JSON unchanged: what a JSON column stores and gives back.
function isJson(value: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((item) => isJson(item, depth + 1));
  if (isPlainObject(value)) {
    return Object.entries(value).every(([key, item]) => !FORBIDDEN_KEYS.has(key) && isJson(item, depth + 1));
  }
  return false;
}
