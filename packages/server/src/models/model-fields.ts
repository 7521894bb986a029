import type { FieldKind, FieldSpec, ModelSpec, RelationSpec } from "./types.js";

/**
 * Keys refused anywhere in a request or a model: assigning them to a plain object would reach
 * `Object.prototype`, and looking them up would find inherited members instead of fields.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** Field names that would be ambiguous in a filter: combinators, and the operators of a relation. */
export const RESERVED_FIELD_NAMES: ReadonlySet<string> = new Set([
  "AND",
  "OR",
  "NOT",
  "equals",
  "notEquals",
  "in",
  "notIn",
  "isSet",
]);

// Set by the database on insert and update; Gadget treats them as read-only too.
const READ_ONLY_FIELD_NAMES: ReadonlySet<string> = new Set(["createdAt", "updatedAt"]);

/** A scalar field with every flag resolved. */
export interface ResolvedField {
  name: string;
  kind: FieldKind;
  filterable: boolean;
  sortable: boolean;
  readable: boolean;
  writable: boolean;
  nullable: boolean;
  integer: boolean;
}

/**
 * Whether a field entry is a relation rather than a scalar column.
 *
 * @example
 * isRelation({ relation: "hasMany", model: "message" }); // true
 */
export function isRelation(spec: FieldSpec | RelationSpec): spec is RelationSpec {
  return "relation" in spec;
}

/**
 * The field named `name` on `model`, own properties only so `toString` is no field.
 *
 * @example
 * fieldOf(chat, "toString"); // undefined
 */
export function fieldOf(model: ModelSpec, name: string): FieldSpec | RelationSpec | undefined {
  return Object.hasOwn(model.fields, name) ? model.fields[name] : undefined;
}

/**
 * `spec` with its defaults applied.
 *
 * @example
 * resolveField("createdAt", { kind: "dateTime" }).writable; // false
 */
export function resolveField(name: string, spec: FieldSpec): ResolvedField {
  const isJson = spec.kind === "json";
  const isReadOnly = spec.kind === "id" || READ_ONLY_FIELD_NAMES.has(name);
  const readable = spec.readable ?? true;
  return {
    name,
    kind: spec.kind,
    // A field callers cannot read is neither filtered nor sorted on by default: either would read
    // it out a character at a time (`startsWith`) or by order.
    filterable: spec.filterable ?? readable,
    sortable: spec.sortable ?? (readable && !isJson),
    readable,
    writable: spec.writable ?? !isReadOnly,
    nullable: spec.nullable ?? false,
    integer: spec.integer ?? false,
  };
}

/**
 * The name of `model`'s primary key: its one field of kind `id`.
 *
 * @example
 * idFieldOf({ name: "Chat", fields: { uuid: { kind: "id" } } }); // "uuid"
 */
export function idFieldOf(model: ModelSpec): string | undefined {
  for (const [name, spec] of Object.entries(model.fields)) {
    if (!isRelation(spec) && spec.kind === "id") return name;
  }
  return undefined;
}

/**
 * A kind's name in messages.
 *
 * @example
 * kindName({ enum: ["a"] }); // "enum"
 */
export function kindName(kind: FieldKind): string {
  return typeof kind === "string" ? kind : "enum";
}
