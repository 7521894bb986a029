import { isPlainObject } from "../_internal/is-plain-object.js";
import { FORBIDDEN_KEYS, isRelation, RESERVED_FIELD_NAMES } from "./model-fields.js";
import { appendKey, quote } from "./path.js";
import type { FieldSpec, ModelRegistry, RelationSpec } from "./types.js";

const SCALAR_KINDS: ReadonlySet<unknown> = new Set(["id", "string", "number", "boolean", "dateTime", "json"]);
const FLAGS = ["filterable", "sortable", "readable", "writable", "nullable", "integer"] as const;

/**
 * `registry`, checked once when the app starts, so requests are never translated against a broken
 * model: every model has one non-null, readable `id` field, kinds and flags are valid, no field name
 * is reserved by the filter language, and relations name registered models and declared foreign
 * keys. Throws a `TypeError` naming the first problem's path.
 *
 * @example
 * export const models = defineModels({
 *   chat: { name: "Chat", fields: { id: { kind: "id" }, title: { kind: "string" } } },
 * });
 */
export function defineModels<const Registry extends ModelRegistry>(registry: Registry): Registry {
  const problem = registryProblem(registry);
  if (problem) throw new TypeError(`Invalid models at ${problem.path}: ${problem.message}`);
  return registry;
}

interface Problem {
  path: string;
  message: string;
}

function registryProblem(registry: unknown): Problem | undefined {
  if (!isPlainObject(registry)) return { path: "models", message: "expected an object of models" };
  for (const [apiName, model] of Object.entries(registry)) {
    const problem = modelProblem(apiName, model, registry, appendKey("models", apiName));
    if (problem) return problem;
  }
  return undefined;
}

function modelProblem(
  apiName: string,
  model: unknown,
  registry: Record<string, unknown>,
  path: string,
): Problem | undefined {
  if (FORBIDDEN_KEYS.has(apiName)) return { path, message: "this name is not allowed" };
  if (!isPlainObject(model)) return { path, message: "expected { name, fields }" };
  if (typeof model.name !== "string" || model.name === "") {
    return { path: appendKey(path, "name"), message: "expected the Prisma model name" };
  }
  const fieldsPath = appendKey(path, "fields");
  if (!isPlainObject(model.fields)) return { path: fieldsPath, message: "expected an object of fields" };
  const fields = model.fields;
  let idFields = 0;
  for (const [name, spec] of Object.entries(fields)) {
    const fieldPath = appendKey(fieldsPath, name);
    if (FORBIDDEN_KEYS.has(name)) return { path: fieldPath, message: "this name is not allowed" };
    if (RESERVED_FIELD_NAMES.has(name)) {
      return { path: fieldPath, message: `${quote(name)} is reserved by the filter language` };
    }
    if (!isPlainObject(spec)) return { path: fieldPath, message: "expected a field or relation" };
    const problem =
      "relation" in spec
        ? relationProblem(spec as unknown as RelationSpec, fields, registry)
        : fieldProblem(spec as unknown as FieldSpec);
    if (problem) return { path: appendKey(fieldPath, problem.key), message: problem.message };
    if (spec.kind === "id") idFields++;
  }
  if (idFields !== 1) {
    return { path: fieldsPath, message: `expected exactly one field of kind "id", found ${idFields}` };
  }
  return undefined;
}

function fieldProblem(spec: FieldSpec): { key: string; message: string } | undefined {
  const { kind } = spec;
  if (isPlainObject(kind)) {
    const values: unknown = kind.enum;
    if (
      !Array.isArray(values) ||
      values.length === 0 ||
      !values.every((value) => typeof value === "string")
    ) {
      return { key: "kind", message: "expected { enum: [...] } with at least one string" };
    }
    if (new Set(values).size !== values.length) return { key: "kind", message: "enum values must be unique" };
  } else if (!SCALAR_KINDS.has(kind)) {
    return {
      key: "kind",
      message: `expected one of id, string, number, boolean, dateTime, json or { enum }`,
    };
  }
  for (const flag of FLAGS) {
    if (spec[flag] !== undefined && typeof spec[flag] !== "boolean") {
      return { key: flag, message: "expected a boolean" };
    }
  }
  if (spec.integer && kind !== "number") return { key: "integer", message: "applies to number fields only" };
  if (kind === "json" && spec.sortable) {
    return { key: "sortable", message: "Prisma cannot sort by JSON fields" };
  }
  if (kind === "id" && spec.nullable) return { key: "nullable", message: "an id is never null" };
  // Cursors and selections always carry the id, so hiding it would be a promise not kept.
  if (kind === "id" && spec.readable === false) {
    return { key: "readable", message: "an id is always readable" };
  }
  return undefined;
}

function relationProblem(
  spec: RelationSpec,
  fields: Record<string, unknown>,
  registry: Record<string, unknown>,
): { key: string; message: string } | undefined {
  if (spec.relation !== "belongsTo" && spec.relation !== "hasMany") {
    return { key: "relation", message: 'expected "belongsTo" or "hasMany"' };
  }
  if (typeof spec.model !== "string" || !Object.hasOwn(registry, spec.model)) {
    return {
      key: "model",
      message: `expected the name of a model in the registry, got ${String(spec.model)}`,
    };
  }
  for (const flag of ["filterable", "readable"] as const) {
    const value: unknown = (spec as unknown as Record<string, unknown>)[flag];
    if (value !== undefined && typeof value !== "boolean") {
      return { key: flag, message: "expected a boolean" };
    }
  }
  if (spec.relation === "hasMany") return undefined;
  const foreignKey =
    typeof spec.foreignKey === "string" && Object.hasOwn(fields, spec.foreignKey)
      ? fields[spec.foreignKey]
      : undefined;
  if (!isPlainObject(foreignKey) || isRelation(foreignKey as unknown as FieldSpec | RelationSpec)) {
    return { key: "foreignKey", message: "expected the name of a scalar field declared on this model" };
  }
  // Kind "id" is taken by the model's own primary key; the column holding another model's id is a string.
  if (foreignKey.kind !== "string") {
    return { key: "foreignKey", message: 'the foreign key must be of kind "string"' };
  }
  return undefined;
}
