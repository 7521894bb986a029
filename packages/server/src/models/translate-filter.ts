import {
  type ComparisonNode,
  checkMaxDepth,
  DEFAULT_MAX_DEPTH,
  type FilterNode,
  type OrderingOperator,
  parseFilter,
} from "./parse-filter.js";
import type { ModelRegistry, ModelSpec, PrismaWhere, TranslateResult } from "./types.js";

/** Options for {@link translateFilter}. */
export interface TranslateFilterOptions {
  /** The most nested AND/OR/NOT and relation levels a filter may have. Default: 8. */
  maxDepth?: number;
  /**
   * Prisma's `Prisma.AnyNull` from the app's generated client, used for `isSet` on `json` fields
   * (Prisma matches JSON nulls only through that object, which this module cannot import). Without
   * it, filters on `json` fields are refused. Default: undefined.
   */
  anyNull?: unknown;
}

/** The Prisma operator for each ordering operator, and the one that holds when it does not. */
const PRISMA_ORDERING = {
  lessThan: { operator: "lt", complement: "gte" },
  lessThanOrEqual: { operator: "lte", complement: "gt" },
  greaterThan: { operator: "gt", complement: "lte" },
  greaterThanOrEqual: { operator: "gte", complement: "lt" },
} as const satisfies Record<OrderingOperator, { operator: string; complement: string }>;

/**
 * Prisma hands `startsWith` to SQL `LIKE` without escaping (prisma/prisma#19506), so `%` and `_` in
 * a value would act as wildcards. Backslash is the default `LIKE` escape in PostgreSQL and MySQL;
 * SQLite has none, so this translation is not for SQLite.
 */
const LIKE_SPECIAL_CHARACTERS = /[\\%_]/g;

// Constants stand for filters that match every row or none; they fold away as the tree is built.
type Emitted = PrismaWhere | boolean;

/**
 * Translates a Gadget-style filter into a Prisma `where`, or says what is wrong with it and where.
 * The `where` selects exactly the rows {@link evaluateFilter} accepts: Gadget's `notEquals`,
 * `notIn` and `NOT` match rows whose field is null, although SQL's `<>` and `NOT IN` do not.
 * Never throws on JSON input.
 *
 * @example
 * translateFilter({ OR: [{ title: { startsWith: "Re:" } }, { shop: { isSet: false } }] }, chat, models);
 * // { ok: true, where: { OR: [{ title: { startsWith: "Re:" } }, { shop: null }] } }
 */
export function translateFilter(
  filter: unknown,
  model: ModelSpec,
  registry: ModelRegistry,
  { maxDepth = DEFAULT_MAX_DEPTH, anyNull }: TranslateFilterOptions = {},
): TranslateResult<{ where: PrismaWhere }> {
  const parsed = parseFilter(filter, model, {
    registry,
    maxDepth: checkMaxDepth(maxDepth),
    isJsonFilterable: anyNull !== undefined,
  });
  if (!parsed.ok) return parsed;
  return { ok: true, where: whereOf(parsed.value, model, anyNull) };
}

/**
 * The Prisma `where` selecting the rows a parsed filter accepts.
 *
 * @example
 * const parsed = parseFilter(filter, chat, options);
 * if (parsed.ok) prisma.chat.findMany({ where: whereOf(parsed.value, chat, anyNull) });
 */
export function whereOf(node: FilterNode, model: ModelSpec, anyNull: unknown): PrismaWhere {
  const emitted = emit(node, false, anyNull);
  return emitted === false ? matchNothing(model) : toWhere(emitted);
}

function toWhere(emitted: Exclude<Emitted, false>): PrismaWhere {
  return emitted === true ? {} : emitted;
}

// "No row" must stay false wherever the caller puts it. Prisma 7.10 reads a top-level `{ OR: [] }`
// as false but the same object inside `AND: [...]` as true, which would turn a row filter combined
// with a caller's impossible filter into "every row". An empty `in` on the id is false everywhere.
function matchNothing(model: ModelSpec): PrismaWhere {
  const idField = Object.keys(model.fields).find((name) => {
    const spec = model.fields[name];
    return spec !== undefined && "kind" in spec && spec.kind === "id";
  });
  return { [idField ?? "id"]: { in: [] } };
}

/**
 * `node`, or its negation when `isNegated`, as a Prisma `where`. Negation is pushed down to the
 * comparisons instead of emitted as Prisma's `NOT`: SQL's NOT of an unknown (a comparison with NULL)
 * is still unknown and drops the row, where Gadget's NOT keeps it. Each comparison is then written so
 * that "unknown" only ever arises where "false" is meant, which makes the whole `where` two-valued.
 */
function emit(node: FilterNode, isNegated: boolean, anyNull: unknown): Emitted {
  switch (node.type) {
    case "and":
    case "or": {
      const parts = node.nodes.map((child) => emit(child, isNegated, anyNull));
      // De Morgan: NOT (a AND b) is (NOT a) OR (NOT b).
      return (node.type === "and") !== isNegated ? all(parts) : any(parts);
    }
    case "not":
      return emit(node.node, !isNegated, anyNull);
    case "compare":
      return emitComparison(node, isNegated, anyNull);
    case "belongsTo": {
      const inner = emit(node.node, isNegated, anyNull);
      // Under `is`, Prisma tests the related row in a subquery, where unknown already means "no".
      const related =
        typeof inner === "boolean"
          ? inner && (node.isOptional ? { [node.foreignKey]: { not: null } } : true)
          : { [node.field]: { is: inner } };
      if (!isNegated) return related;
      // NOT (related row exists AND matches) = no related row OR it matches the negation.
      return any([node.isOptional ? { [node.foreignKey]: null } : false, related]);
    }
    case "hasMany": {
      // `every` is emitted as `none` of the negation: Prisma writes `every` as NOT EXISTS (... NOT x),
      // whose NOT would treat a child with a NULL comparison as passing.
      const isEvery = node.quantifier === "every";
      const inner = emit(node.node, isEvery, anyNull);
      const isSome = node.quantifier === "some" ? !isNegated : isNegated;
      if (inner === false) return !isSome;
      return { [node.field]: { [isSome ? "some" : "none"]: toWhere(inner) } };
    }
  }
}

function all(parts: Emitted[]): Emitted {
  if (parts.includes(false)) return false;
  const wheres = parts.filter((part): part is PrismaWhere => part !== true);
  if (wheres.length === 0) return true;
  return wheres.length === 1 ? wheres[0]! : { AND: wheres };
}

function any(parts: Emitted[]): Emitted {
  if (parts.includes(true)) return true;
  const wheres = parts.filter((part): part is PrismaWhere => part !== false);
  if (wheres.length === 0) return false;
  return wheres.length === 1 ? wheres[0]! : { OR: wheres };
}

function emitComparison(node: ComparisonNode, isNegated: boolean, anyNull: unknown): Emitted {
  const { field, nullable } = node;
  // Prisma refuses `null` for a required field, so there the null tests are constants.
  const isNull: Emitted = nullable ? { [field]: null } : false;
  const isNotNull: Emitted = nullable ? { [field]: { not: null } } : true;
  // A negated comparison is unknown in SQL when the field is NULL, yet true in Gadget: say so.
  const orNull = (where: PrismaWhere): PrismaWhere => (nullable ? { OR: [where, { [field]: null }] } : where);
  switch (node.operator) {
    case "isSet": {
      const isSet = node.value !== isNegated;
      if (node.kind === "json") return { [field]: isSet ? { not: anyNull } : { equals: anyNull } };
      return isSet ? isNotNull : isNull;
    }
    case "equals":
    case "notEquals": {
      const isEqual = (node.operator === "equals") !== isNegated;
      if (node.value === null) return isEqual ? isNull : isNotNull;
      return isEqual ? { [field]: { equals: node.value } } : orNull({ [field]: { not: node.value } });
    }
    case "in":
    case "notIn": {
      const isMember = (node.operator === "in") !== isNegated;
      // Empty lists are settled here rather than left to how a database treats `IN ()`.
      if (node.value.length === 0) return !isMember;
      return isMember ? { [field]: { in: node.value } } : orNull({ [field]: { notIn: node.value } });
    }
    case "startsWith": {
      const pattern = node.value.replace(LIKE_SPECIAL_CHARACTERS, "\\$&");
      if (!isNegated) return { [field]: { startsWith: pattern } };
      return orNull({ [field]: { not: { startsWith: pattern } } });
    }
    default: {
      const { operator, complement } = PRISMA_ORDERING[node.operator];
      // NOT (x < v) is x >= v for every non-null x, as all kinds compared here are totally ordered.
      if (!isNegated) return { [field]: { [operator]: node.value } };
      return orNull({ [field]: { [complement]: node.value } });
    }
  }
}
