import { isPlainObject } from "../_internal/is-plain-object.js";
import { FORBIDDEN_KEYS, fieldOf, isRelation, kindName, resolveField } from "./model-fields.js";
import {
  type ColumnFacts,
  type FilterKind,
  type FilterOperator,
  filterKind,
  isFilterOperator,
  OPERATORS_BY_KIND,
  type Operand,
  parseOperand,
  RELATION_OPERATORS,
} from "./parse-operand.js";
import { appendIndex, appendKey, quote } from "./path.js";
import type {
  BelongsToSpec,
  HasManySpec,
  ModelRegistry,
  ModelSpec,
  TranslateFailure,
  TranslateResult,
} from "./types.js";

export type { FilterScalar, OrderingOperator } from "./parse-operand.js";

/** The quantifiers of a `hasMany` relation. */
export const HAS_MANY_QUANTIFIERS = ["some", "every", "none"] as const;

/** How many AND/OR/NOT and relation levels a filter may nest unless told otherwise. */
export const DEFAULT_MAX_DEPTH = 8;

/** One operator applied to one column. */
export type ComparisonNode = {
  type: "compare";
  /** The column: the field itself, or a relation's foreign key. */
  field: string;
  kind: FilterKind;
  nullable: boolean;
} & Operand;

/** A filter, checked against the models and reduced to a tree both the translator and evaluator walk. */
export type FilterNode =
  | { type: "and"; nodes: FilterNode[] }
  | { type: "or"; nodes: FilterNode[] }
  | { type: "not"; node: FilterNode }
  | ComparisonNode
  | {
      type: "belongsTo";
      field: string;
      model: string;
      foreignKey: string;
      isOptional: boolean;
      node: FilterNode;
    }
  | {
      type: "hasMany";
      field: string;
      model: string;
      quantifier: (typeof HAS_MANY_QUANTIFIERS)[number];
      node: FilterNode;
    };

export interface ParseFilterOptions {
  registry: ModelRegistry;
  /** The most nested AND/OR/NOT and relation levels a filter may have. */
  maxDepth: number;
  /** Whether `isSet` on a `json` field can be carried out. */
  isJsonFilterable: boolean;
  /**
   * Whether the filter comes from the server's own code (a permission's row filter), which may use
   * fields callers cannot filter on. Default: false.
   */
  isTrusted?: boolean;
}

type Parsed<T> = TranslateResult<{ value: T }>;

const MATCH_ALL: FilterNode = { type: "and", nodes: [] };

/**
 * `input` checked against `model` and reduced to a {@link FilterNode}, or the first problem with its
 * path. `undefined` and `null` mean no filter. Never throws on JSON input.
 *
 * @example
 * parseFilter({ title: { startsWith: "Re:" } }, chat, options);
 * // { ok: true, value: { type: "compare", field: "title", operator: "startsWith", ... } }
 */
export function parseFilter(
  input: unknown,
  model: ModelSpec,
  options: ParseFilterOptions,
): Parsed<FilterNode> {
  if (input === undefined || input === null) return { ok: true, value: MATCH_ALL };
  return parseFilterInput(input, model, "filter", 0, options);
}

function fail(path: string, message: string): TranslateFailure {
  return { ok: false, path, message };
}

/** A filter object, or a list of them meaning AND (at the top level, and under NOT and quantifiers). */
function parseFilterInput(
  input: unknown,
  model: ModelSpec,
  path: string,
  depth: number,
  options: ParseFilterOptions,
): Parsed<FilterNode> {
  if (!Array.isArray(input)) return parseFilterObject(input, model, path, depth, options);
  return parseFilterList(input, "and", model, path, depth + 1, options);
}

function parseFilterList(
  list: unknown[],
  type: "and" | "or",
  model: ModelSpec,
  path: string,
  depth: number,
  options: ParseFilterOptions,
): Parsed<FilterNode> {
  // Checked before the items so an empty list cannot sneak past the limit either.
  if (depth > options.maxDepth) return tooDeep(path, options);
  const nodes: FilterNode[] = [];
  for (const [index, item] of list.entries()) {
    const parsed = parseFilterObject(item, model, appendIndex(path, index), depth, options);
    if (!parsed.ok) return parsed;
    nodes.push(parsed.value);
  }
  return { ok: true, value: { type, nodes } };
}

function parseFilterObject(
  input: unknown,
  model: ModelSpec,
  path: string,
  depth: number,
  options: ParseFilterOptions,
): Parsed<FilterNode> {
  if (depth > options.maxDepth) return tooDeep(path, options);
  if (!isPlainObject(input)) return fail(path, "Expected a filter object");
  return parseFilterEntries(Object.entries(input), model, path, depth, options);
}

function tooDeep(path: string, options: ParseFilterOptions): TranslateFailure {
  return fail(
    path,
    `Filter is nested too deeply: at most ${options.maxDepth} levels of AND, OR, NOT and relations`,
  );
}

function parseFilterEntries(
  entries: [string, unknown][],
  model: ModelSpec,
  path: string,
  depth: number,
  options: ParseFilterOptions,
): Parsed<FilterNode> {
  if (depth > options.maxDepth) return tooDeep(path, options);
  const nodes: FilterNode[] = [];
  for (const [key, value] of entries) {
    const parsed = parseFilterEntry(key, value, model, appendKey(path, key), depth, options);
    if (!parsed.ok) return parsed;
    nodes.push(parsed.value);
  }
  return { ok: true, value: nodes.length === 1 ? nodes[0]! : { type: "and", nodes } };
}

function parseFilterEntry(
  key: string,
  value: unknown,
  model: ModelSpec,
  path: string,
  depth: number,
  options: ParseFilterOptions,
): Parsed<FilterNode> {
  if (FORBIDDEN_KEYS.has(key)) return fail(path, `${quote(key)} is not allowed in a filter`);
  if (key === "AND") {
    if (Array.isArray(value)) return parseFilterList(value, "and", model, path, depth + 1, options);
    // Gadget accepts a single filter for AND; OR of one filter would be a mistake worth reporting.
    return parseFilterObject(value, model, path, depth + 1, options);
  }
  if (key === "OR") {
    if (!Array.isArray(value)) return fail(path, "Expected a list of filters");
    return parseFilterList(value, "or", model, path, depth + 1, options);
  }
  if (key === "NOT") {
    const parsed = parseFilterInput(value, model, path, depth + 1, options);
    return parsed.ok ? { ok: true, value: { type: "not", node: parsed.value } } : parsed;
  }
  const spec = fieldOf(model, key);
  if (spec === undefined) return fail(path, `Unknown field ${quote(key)} on ${model.name}`);
  if (isRelation(spec)) {
    if (spec.filterable === false && !options.isTrusted) {
      return fail(path, `Relation ${quote(key)} cannot be filtered`);
    }
    return spec.relation === "belongsTo"
      ? parseBelongsTo(key, spec, value, model, path, depth, options)
      : parseHasMany(key, spec, value, path, depth, options);
  }
  const field = resolveField(key, spec);
  if (!field.filterable && !options.isTrusted) return fail(path, `Field ${quote(key)} cannot be filtered`);
  if (!isPlainObject(value)) return fail(path, "Expected an object of operators, e.g. { equals: value }");
  const entries = Object.entries(value);
  if (entries.length === 0) return fail(path, "Expected at least one operator");
  return parseComparisons(entries, key, field, OPERATORS_BY_KIND[filterKind(field.kind)], path, options);
}

function parseComparisons(
  entries: [string, unknown][],
  column: string,
  facts: ColumnFacts,
  allowed: readonly FilterOperator[],
  path: string,
  options: ParseFilterOptions,
): Parsed<FilterNode> {
  const nodes: FilterNode[] = [];
  for (const [operator, operand] of entries) {
    const operatorPath = appendKey(path, operator);
    if (FORBIDDEN_KEYS.has(operator)) {
      return fail(operatorPath, `${quote(operator)} is not allowed in a filter`);
    }
    if (!isFilterOperator(operator)) return fail(operatorPath, `Unknown operator ${quote(operator)}`);
    if (!allowed.includes(operator)) {
      return fail(
        operatorPath,
        `Operator ${quote(operator)} does not apply to ${kindName(facts.kind)} fields`,
      );
    }
    if (facts.kind === "json" && !options.isJsonFilterable) {
      return fail(
        operatorPath,
        "JSON fields cannot be filtered here: the server has no JSON null to compare with",
      );
    }
    const parsed = parseOperand(operator, operand, facts, operatorPath);
    if (!parsed.ok) return parsed;
    nodes.push({
      type: "compare",
      field: column,
      kind: filterKind(facts.kind),
      nullable: facts.nullable,
      ...parsed.value,
    } as ComparisonNode);
  }
  return { ok: true, value: nodes.length === 1 ? nodes[0]! : { type: "and", nodes } };
}

function parseBelongsTo(
  key: string,
  spec: BelongsToSpec,
  value: unknown,
  model: ModelSpec,
  path: string,
  depth: number,
  options: ParseFilterOptions,
): Parsed<FilterNode> {
  const related = Object.hasOwn(options.registry, spec.model) ? options.registry[spec.model] : undefined;
  const foreignKey = fieldOf(model, spec.foreignKey);
  if (!related || !foreignKey || isRelation(foreignKey)) {
    return fail(path, `Relation ${quote(key)} is not configured correctly`);
  }
  if (!isPlainObject(value)) {
    return fail(path, `Expected an object of operators (e.g. { equals: id }) or a filter on ${related.name}`);
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return fail(path, "Expected at least one operator or field");
  // Operator keys compare the foreign key; every other key filters the related record. Field names
  // that are also operator names are refused by defineModels, so the split is unambiguous.
  const operatorEntries = entries.filter(([name]) => RELATION_OPERATORS.includes(name as FilterOperator));
  const fieldEntries = entries.filter(([name]) => !RELATION_OPERATORS.includes(name as FilterOperator));
  const nodes: FilterNode[] = [];
  if (operatorEntries.length > 0) {
    const facts = resolveField(spec.foreignKey, foreignKey);
    // The operators compare the foreign key itself: refused where filtering on it is, so a hidden
    // key cannot be found out through its relation.
    if (!facts.filterable && !options.isTrusted) {
      return fail(
        path,
        `Relation ${quote(key)} cannot be compared: its key ${quote(spec.foreignKey)} cannot be filtered`,
      );
    }
    const allowed = RELATION_OPERATORS.filter((operator) =>
      OPERATORS_BY_KIND[filterKind(facts.kind)].includes(operator),
    );
    const parsed = parseComparisons(operatorEntries, spec.foreignKey, facts, allowed, path, options);
    if (!parsed.ok) return parsed;
    nodes.push(parsed.value);
  }
  if (fieldEntries.length > 0) {
    const parsed = parseFilterEntries(fieldEntries, related, path, depth + 1, options);
    if (!parsed.ok) return parsed;
    nodes.push({
      type: "belongsTo",
      field: key,
      model: spec.model,
      foreignKey: spec.foreignKey,
      isOptional: foreignKey.nullable ?? false,
      node: parsed.value,
    });
  }
  return { ok: true, value: nodes.length === 1 ? nodes[0]! : { type: "and", nodes } };
}

function parseHasMany(
  key: string,
  spec: HasManySpec,
  value: unknown,
  path: string,
  depth: number,
  options: ParseFilterOptions,
): Parsed<FilterNode> {
  const related = Object.hasOwn(options.registry, spec.model) ? options.registry[spec.model] : undefined;
  if (!related) return fail(path, `Relation ${quote(key)} is not configured correctly`);
  if (!isPlainObject(value)) {
    return fail(path, "Expected { some: filter }, { every: filter } or { none: filter }");
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return fail(path, "Expected some, every or none");
  const nodes: FilterNode[] = [];
  for (const [quantifier, filter] of entries) {
    const quantifierPath = appendKey(path, quantifier);
    if (!HAS_MANY_QUANTIFIERS.includes(quantifier as (typeof HAS_MANY_QUANTIFIERS)[number])) {
      return fail(quantifierPath, `Unknown operator ${quote(quantifier)}: expected some, every or none`);
    }
    const parsed = parseFilterInput(filter, related, quantifierPath, depth + 1, options);
    if (!parsed.ok) return parsed;
    nodes.push({
      type: "hasMany",
      field: key,
      model: spec.model,
      quantifier: quantifier as (typeof HAS_MANY_QUANTIFIERS)[number],
      node: parsed.value,
    });
  }
  return { ok: true, value: nodes.length === 1 ? nodes[0]! : { type: "and", nodes } };
}

/**
 * `maxDepth` checked: a non-negative integer. Throws a `RangeError` otherwise, since options come
 * from the server's code, never from a request.
 *
 * @example
 * parseFilter(filter, model, { registry, maxDepth: checkMaxDepth(maxDepth), isJsonFilterable });
 */
export function checkMaxDepth(maxDepth: number): number {
  if (!Number.isInteger(maxDepth) || maxDepth < 0) {
    throw new RangeError(`maxDepth must be a non-negative integer, got ${maxDepth}`);
  }
  return maxDepth;
}
