import { isPlainObject } from "../_internal/is-plain-object.js";
import { FORBIDDEN_KEYS, fieldOf, idFieldOf, isRelation, resolveField } from "./model-fields.js";
import { appendIndex, appendKey, quote } from "./path.js";
import type { ModelSpec, PrismaOrderBy, SortDirection, TranslateResult } from "./types.js";

/** Gadget's sort directions and Prisma's names for them. */
export const SORT_DIRECTIONS: Readonly<Record<string, SortDirection>> = {
  Ascending: "asc",
  Descending: "desc",
};

/**
 * Translates Gadget's `sort` (`{ createdAt: "Descending" }` or a list of such objects, first key
 * first) into a Prisma `orderBy` list. The id is appended as the last key unless already sorted on,
 * so the order is total and cursor pagination never skips or repeats a row on ties. No sort means
 * by id, ascending.
 *
 * @example
 * translateSort([{ createdAt: "Descending" }], chat);
 * // { ok: true, orderBy: [{ createdAt: "desc" }, { id: "asc" }] }
 */
export function translateSort(
  sort: unknown,
  model: ModelSpec,
  { isTrusted = false }: { isTrusted?: boolean } = {},
): TranslateResult<{ orderBy: PrismaOrderBy }> {
  const idField = idFieldOf(model);
  if (idField === undefined) return { ok: false, path: "sort", message: `${model.name} has no id field` };
  const items: [string, unknown][] =
    sort === undefined || sort === null
      ? []
      : Array.isArray(sort)
        ? sort.map((item, index) => [appendIndex("sort", index), item])
        : [["sort", sort]];
  const orderBy: PrismaOrderBy = [];
  const sorted = new Set<string>();
  for (const [path, item] of items) {
    if (!isPlainObject(item)) {
      return { ok: false, path, message: 'Expected an object such as { createdAt: "Descending" }' };
    }
    const entries = Object.entries(item);
    if (entries.length === 0) return { ok: false, path, message: "Expected a field to sort by" };
    for (const [key, direction] of entries) {
      const keyPath = appendKey(path, key);
      const problem = sortProblem(model, key, direction, sorted, isTrusted);
      if (problem) return { ok: false, path: keyPath, message: problem };
      orderBy.push({ [key]: SORT_DIRECTIONS[direction as string]! });
      sorted.add(key);
    }
  }
  if (!sorted.has(idField)) orderBy.push({ [idField]: "asc" });
  return { ok: true, orderBy };
}

function sortProblem(
  model: ModelSpec,
  key: string,
  direction: unknown,
  sorted: Set<string>,
  isTrusted: boolean,
): string | undefined {
  if (FORBIDDEN_KEYS.has(key)) return `${quote(key)} is not allowed in a sort`;
  const spec = fieldOf(model, key);
  if (spec === undefined) return `Unknown field ${quote(key)} on ${model.name}`;
  if (isRelation(spec)) return `Relation ${quote(key)} cannot be sorted by`;
  // Trusted code (the internal api) may sort by a field callers cannot read, unless it is declared
  // unsortable or is JSON.
  const sortable = isTrusted ? (spec.sortable ?? spec.kind !== "json") : resolveField(key, spec).sortable;
  if (!sortable) return `Field ${quote(key)} cannot be sorted by`;
  if (typeof direction !== "string" || !Object.hasOwn(SORT_DIRECTIONS, direction)) {
    return 'Expected "Ascending" or "Descending"';
  }
  if (sorted.has(key)) return `Field ${quote(key)} is sorted by more than once`;
  return undefined;
}
