import {
  type ComparisonNode,
  checkMaxDepth,
  DEFAULT_MAX_DEPTH,
  type FilterNode,
  type FilterScalar,
  parseFilter,
} from "./parse-filter.js";
import type { ModelRegistry, ModelSpec, TranslateResult } from "./types.js";

/** Options for {@link evaluateFilter}. */
export interface EvaluateFilterOptions {
  /** The most nested AND/OR/NOT and relation levels a filter may have. Default: 8. */
  maxDepth?: number;
}

/**
 * Whether `row` matches a Gadget-style filter, decided in memory with Gadget's meaning (a null field
 * fails every comparison, so `notEquals` and `NOT` match it). Relations are read from the row itself:
 * a `belongsTo` as a nested object (missing or null means no related record), a `hasMany` as an
 * array (missing means none). It shares only the parsing with {@link translateFilter}, never the
 * Prisma `where`, so tests can hold database results against it.
 *
 * @example
 * evaluateFilter({ title: { notEquals: "Draft" } }, { id: "c1", title: null }, chat, models);
 * // { ok: true, matches: true }
 */
export function evaluateFilter(
  filter: unknown,
  row: object,
  model: ModelSpec,
  registry: ModelRegistry,
  { maxDepth = DEFAULT_MAX_DEPTH }: EvaluateFilterOptions = {},
): TranslateResult<{ matches: boolean }> {
  const parsed = parseFilter(filter, model, {
    registry,
    maxDepth: checkMaxDepth(maxDepth),
    isJsonFilterable: true,
  });
  if (!parsed.ok) return parsed;
  return { ok: true, matches: evaluate(parsed.value, row) };
}

function evaluate(node: FilterNode, row: object): boolean {
  switch (node.type) {
    case "and":
      return node.nodes.every((child) => evaluate(child, row));
    case "or":
      return node.nodes.some((child) => evaluate(child, row));
    case "not":
      return !evaluate(node.node, row);
    case "compare":
      return compare(node, readField(row, node.field));
    case "belongsTo": {
      const related = readField(row, node.field);
      return typeof related === "object" && related !== null && evaluate(node.node, related);
    }
    case "hasMany": {
      const value = readField(row, node.field);
      const children: unknown[] = Array.isArray(value) ? value : [];
      const matches = (child: unknown) =>
        typeof child === "object" && child !== null && evaluate(node.node, child);
      if (node.quantifier === "some") return children.some(matches);
      if (node.quantifier === "every") return children.every(matches);
      return !children.some(matches);
    }
  }
}

function readField(row: object, field: string): unknown {
  return Object.hasOwn(row, field) ? (row as Record<string, unknown>)[field] : undefined;
}

function compare(node: ComparisonNode, raw: unknown): boolean {
  const value = normalise(raw, node.kind === "dateTime");
  switch (node.operator) {
    case "isSet":
      return (value !== null) === node.value;
    case "equals":
      return node.value === null ? value === null : isSame(value, node.value);
    case "notEquals":
      return !(node.value === null ? value === null : isSame(value, node.value));
    case "in":
      return node.value.some((item) => isSame(value, item));
    case "notIn":
      return !node.value.some((item) => isSame(value, item));
    case "startsWith":
      return typeof value === "string" && value.startsWith(node.value);
    case "lessThan":
      return order(value, node.value) < 0;
    case "lessThanOrEqual":
      return order(value, node.value) <= 0;
    case "greaterThan":
      return order(value, node.value) > 0;
    case "greaterThanOrEqual":
      return order(value, node.value) >= 0;
  }
}

/** A row value ready to compare: null for missing, milliseconds for date-times. */
function normalise(value: unknown, isDateTime: boolean): unknown {
  if (value === undefined || value === null) return null;
  if (!isDateTime) return value;
  const time =
    value instanceof Date ? value.getTime() : typeof value === "string" ? Date.parse(value) : Number.NaN;
  return Number.isNaN(time) ? null : time;
}

function isSame(value: unknown, operand: FilterScalar): boolean {
  return value === (operand instanceof Date ? operand.getTime() : operand);
}

/** Negative, zero or positive as `value` sorts before, with or after `operand`; NaN when not comparable. */
function order(value: unknown, operand: FilterScalar): number {
  const target = operand instanceof Date ? operand.getTime() : operand;
  if (typeof value === "number" && typeof target === "number") return value - target;
  if (typeof value === "string" && typeof target === "string") return compareCodePoints(value, target);
  return Number.NaN;
}

/**
 * Strings in Unicode code point order, which is the byte order of UTF-8 and so PostgreSQL's "C"
 * collation. JavaScript's `<` compares UTF-16 units, which puts characters beyond U+FFFF before
 * U+E000-U+FFFF. Databases with a linguistic collation (`en_US`) order strings differently again.
 */
function compareCodePoints(left: string, right: string): number {
  const leftPoints = Array.from(left, (character) => character.codePointAt(0)!);
  const rightPoints = Array.from(right, (character) => character.codePointAt(0)!);
  const length = Math.min(leftPoints.length, rightPoints.length);
  for (let index = 0; index < length; index++) {
    const difference = leftPoints[index]! - rightPoints[index]!;
    if (difference !== 0) return difference;
  }
  return leftPoints.length - rightPoints.length;
}
