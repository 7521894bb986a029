import { isPlainObject } from "../_internal/is-plain-object.js";
import { FORBIDDEN_KEYS, fieldOf, idFieldOf, isRelation, resolveField } from "./model-fields.js";
import { checkMaxDepth, DEFAULT_MAX_DEPTH } from "./parse-filter.js";
import { appendKey, quote } from "./path.js";
import type { ModelRegistry, ModelSpec, TranslateFailure, TranslateResult } from "./types.js";

/** A Prisma `select`: scalar fields as `true`, related records as a nested `select`. */
export interface PrismaSelect {
  [field: string]: true | { select: PrismaSelect };
}

/** Options for {@link translateSelect}. */
export interface TranslateSelectOptions {
  /** The most nested relations a selection may have. Default: 8. */
  maxDepth?: number;
}

type Selected = TranslateResult<{ select: PrismaSelect }>;

/**
 * Translates Gadget's `select` (`{ id: true, title: true, chat: { id: true } }`) into a Prisma
 * `select`, allowing only readable fields. The id is always selected, as cursors and caches key on
 * it. No selection, or `true` for a related record, means every readable scalar field.
 * `hasMany` relations are refused: returning them unbounded could load a whole table, so they are
 * read as their own paginated query.
 *
 * @example
 * translateSelect({ title: true, user: { email: true } }, chat, models);
 * // { ok: true, select: { id: true, title: true, user: { select: { id: true, email: true } } } }
 */
export function translateSelect(
  select: unknown,
  model: ModelSpec,
  registry: ModelRegistry,
  { maxDepth = DEFAULT_MAX_DEPTH }: TranslateSelectOptions = {},
): Selected {
  return selectFrom(select ?? true, model, registry, "select", 0, checkMaxDepth(maxDepth));
}

function fail(path: string, message: string): TranslateFailure {
  return { ok: false, path, message };
}

function selectFrom(
  input: unknown,
  model: ModelSpec,
  registry: ModelRegistry,
  path: string,
  depth: number,
  maxDepth: number,
): Selected {
  const idField = idFieldOf(model);
  if (idField === undefined) return fail(path, `${model.name} has no id field`);
  const select: PrismaSelect = { [idField]: true };
  if (input === true) {
    for (const [name, spec] of Object.entries(model.fields)) {
      if (!isRelation(spec) && resolveField(name, spec).readable) select[name] = true;
    }
    return { ok: true, select };
  }
  if (!isPlainObject(input)) {
    return fail(path, "Expected an object of fields, e.g. { id: true, title: true }");
  }
  for (const [key, value] of Object.entries(input)) {
    const keyPath = appendKey(path, key);
    if (FORBIDDEN_KEYS.has(key)) return fail(keyPath, `${quote(key)} is not allowed in a selection`);
    const spec = fieldOf(model, key);
    if (spec === undefined) return fail(keyPath, `Unknown field ${quote(key)} on ${model.name}`);
    if (!isRelation(spec)) {
      if (!resolveField(key, spec).readable) return fail(keyPath, `Field ${quote(key)} cannot be selected`);
      if (typeof value !== "boolean") return fail(keyPath, "Expected true or false");
      if (value) select[key] = true;
      continue;
    }
    if (spec.relation === "hasMany") {
      return fail(keyPath, `Relation ${quote(key)} cannot be selected: query ${quote(spec.model)} instead`);
    }
    if (spec.readable === false) return fail(keyPath, `Relation ${quote(key)} cannot be selected`);
    if (value === false) continue;
    if (value !== true && !isPlainObject(value)) {
      return fail(keyPath, "Expected true, false or an object of fields");
    }
    if (depth + 1 > maxDepth) {
      return fail(keyPath, `Selection is nested too deeply: at most ${maxDepth} relations`);
    }
    const related = Object.hasOwn(registry, spec.model) ? registry[spec.model] : undefined;
    if (!related) return fail(keyPath, `Relation ${quote(key)} is not configured correctly`);
    const nested = selectFrom(value, related, registry, keyPath, depth + 1, maxDepth);
    if (!nested.ok) return nested;
    select[key] = { select: nested.select };
  }
  return { ok: true, select };
}
