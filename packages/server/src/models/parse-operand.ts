import { kindName } from "./model-fields.js";
import { parseDateTime } from "./parse-date-time.js";
import { appendIndex, quote } from "./path.js";
import type { FieldKind, ScalarKind, TranslateFailure, TranslateResult } from "./types.js";

export type FilterOperator =
  | "equals"
  | "notEquals"
  | "in"
  | "notIn"
  | "lessThan"
  | "lessThanOrEqual"
  | "greaterThan"
  | "greaterThanOrEqual"
  | "startsWith"
  | "isSet";

export type OrderingOperator = "lessThan" | "lessThanOrEqual" | "greaterThan" | "greaterThanOrEqual";

/** A field's kind with enums folded into one name, as the operator table is keyed. */
export type FilterKind = ScalarKind | "enum";

const COMPARISON_OPERATORS = [
  "equals",
  "notEquals",
  "in",
  "notIn",
  "lessThan",
  "lessThanOrEqual",
  "greaterThan",
  "greaterThanOrEqual",
  "isSet",
] as const satisfies readonly FilterOperator[];

/**
 * The operators each kind of field accepts. `json` has `isSet` only: equality on JSON needs Prisma's
 * path filters and differs by database, so it is left out rather than half right.
 */
export const OPERATORS_BY_KIND: Readonly<Record<FilterKind, readonly FilterOperator[]>> = {
  id: COMPARISON_OPERATORS,
  string: [...COMPARISON_OPERATORS, "startsWith"],
  number: COMPARISON_OPERATORS,
  dateTime: COMPARISON_OPERATORS,
  boolean: ["equals", "notEquals", "isSet"],
  enum: ["equals", "notEquals", "in", "notIn", "isSet"],
  json: ["isSet"],
};

/** The operators a `belongsTo` relation applies to its foreign key (`chat: { equals: id }`). */
export const RELATION_OPERATORS: readonly FilterOperator[] = ["equals", "notEquals", "in", "notIn", "isSet"];

/** The most values `in` and `notIn` take; beyond it a query is better written another way. */
export const MAX_LIST_LENGTH = 1000;

// Prisma's `Int` is 32-bit; a larger value fails at query time instead of as a 400.
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

const ALL_OPERATORS: ReadonlySet<string> = new Set<FilterOperator>([...COMPARISON_OPERATORS, "startsWith"]);

/** A filter operand once checked: strings, finite numbers, booleans and dates. */
export type FilterScalar = string | number | boolean | Date;

/** An operator with its checked operand. */
export type Operand =
  | { operator: "equals" | "notEquals"; value: FilterScalar | null }
  | { operator: "in" | "notIn"; value: FilterScalar[] }
  | { operator: OrderingOperator; value: FilterScalar }
  | { operator: "startsWith"; value: string }
  | { operator: "isSet"; value: boolean };

/** What an operand is checked against: the column's kind and whether it may be null. */
export interface ColumnFacts {
  kind: FieldKind;
  nullable: boolean;
  integer: boolean;
}

/**
 * A field's kind as the operator table is keyed.
 *
 * @example
 * filterKind({ enum: ["a", "b"] }); // "enum"
 */
export function filterKind(kind: FieldKind): FilterKind {
  return typeof kind === "string" ? kind : "enum";
}

/**
 * Whether `name` is an operator of the filter language.
 *
 * @example
 * isFilterOperator("startsWith"); // true
 * isFilterOperator("contains"); // false
 */
export function isFilterOperator(name: string): name is FilterOperator {
  return ALL_OPERATORS.has(name);
}

type Parsed<T> = TranslateResult<{ value: T }>;

function fail(path: string, message: string): TranslateFailure {
  return { ok: false, path, message };
}

/**
 * `operand` checked for `operator` on a column: the right type, a list of at most
 * {@link MAX_LIST_LENGTH} for `in`/`notIn`, and `null` only for `equals`/`notEquals` on nullable
 * columns. Date-times become `Date`s.
 *
 * @example
 * parseOperand("in", ["a", "b"], { kind: "string", nullable: false, integer: false }, "filter.title.in");
 * // { ok: true, value: { operator: "in", value: ["a", "b"] } }
 */
export function parseOperand(
  operator: FilterOperator,
  operand: unknown,
  facts: ColumnFacts,
  path: string,
): Parsed<Operand> {
  switch (operator) {
    case "isSet":
      if (typeof operand !== "boolean") return fail(path, "Expected true or false");
      return { ok: true, value: { operator, value: operand } };
    case "startsWith":
      if (typeof operand !== "string") return fail(path, "Expected a string");
      return { ok: true, value: { operator, value: operand } };
    case "in":
    case "notIn": {
      if (!Array.isArray(operand)) return fail(path, "Expected a list of values");
      if (operand.length > MAX_LIST_LENGTH) return fail(path, `Expected at most ${MAX_LIST_LENGTH} values`);
      const values: FilterScalar[] = [];
      for (const [index, item] of operand.entries()) {
        const itemPath = appendIndex(path, index);
        if (item === null) return fail(itemPath, "null cannot be listed; use isSet to match missing values");
        const parsed = parseScalar(item, facts, itemPath);
        if (!parsed.ok) return parsed;
        values.push(parsed.value);
      }
      return { ok: true, value: { operator, value: values } };
    }
    case "equals":
    case "notEquals": {
      if (operand === null) {
        if (!facts.nullable) return fail(path, "null does not apply: this field is never null");
        return { ok: true, value: { operator, value: null } };
      }
      const parsed = parseScalar(operand, facts, path);
      return parsed.ok ? { ok: true, value: { operator, value: parsed.value } } : parsed;
    }
    default: {
      if (operand === null) return fail(path, `Expected a ${kindName(facts.kind)} value, not null`);
      const parsed = parseScalar(operand, facts, path);
      return parsed.ok ? { ok: true, value: { operator, value: parsed.value } } : parsed;
    }
  }
}

/**
 * `value` checked against a column: the right type, enum member, integer range; date-times become
 * `Date`s. `null` is the caller's concern.
 *
 * @example
 * parseScalar("2024-05-01", { kind: "dateTime", nullable: false, integer: false }, "data.due");
 */
export function parseScalar(value: unknown, facts: ColumnFacts, path: string): Parsed<FilterScalar> {
  const { kind } = facts;
  if (typeof kind !== "string") {
    if (typeof value === "string" && kind.enum.includes(value)) return { ok: true, value };
    return fail(path, `Expected one of ${kind.enum.map(quote).join(", ")}`);
  }
  switch (kind) {
    case "id":
    case "string":
      return typeof value === "string" ? { ok: true, value } : fail(path, "Expected a string");
    case "boolean":
      return typeof value === "boolean" ? { ok: true, value } : fail(path, "Expected true or false");
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) return fail(path, "Expected a finite number");
      if (facts.integer && (!Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX)) {
        return fail(path, `Expected an integer from ${INT32_MIN} to ${INT32_MAX}`);
      }
      return { ok: true, value };
    case "dateTime": {
      const date = parseDateTime(value);
      if (date) return { ok: true, value: date };
      return fail(path, "Expected an ISO 8601 date or date-time with an offset, e.g. 2024-05-01T12:00:00Z");
    }
    case "json":
      return fail(path, "JSON values cannot be compared");
  }
}
