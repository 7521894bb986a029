// The translator and the in-memory evaluator must select the same rows. Here random valid filters
// are translated to Prisma `where` objects, and those are run by a small model of what PostgreSQL
// does with them: SQL's three-valued logic, where a comparison with NULL is unknown, NOT of unknown
// is unknown, and only rows whose condition is true are returned.
import {
  defineModels,
  evaluateFilter,
  type ModelRegistry,
  type ModelSpec,
  type PrismaWhere,
  translateFilter,
} from "@sprocket/server/models";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const models = defineModels({
  item: {
    name: "Item",
    fields: {
      id: { kind: "id" },
      name: { kind: "string" },
      nickname: { kind: "string", nullable: true },
      score: { kind: "number" },
      rank: { kind: "number", nullable: true },
      isActive: { kind: "boolean", nullable: true },
      isArchived: { kind: "boolean" },
      seenAt: { kind: "dateTime" },
      deletedAt: { kind: "dateTime", nullable: true },
      role: { kind: { enum: ["admin", "member"] }, nullable: true },
      tier: { kind: { enum: ["free", "pro"] } },
    },
  },
  user: {
    name: "User",
    fields: {
      id: { kind: "id" },
      name: { kind: "string", nullable: true },
      score: { kind: "number" },
    },
  },
  chat: {
    name: "Chat",
    fields: {
      id: { kind: "id" },
      title: { kind: "string" },
      shop: { kind: "string", nullable: true },
      userId: { kind: "string", nullable: true },
      user: { relation: "belongsTo", model: "user", foreignKey: "userId" },
      messages: { relation: "hasMany", model: "message" },
    },
  },
  message: {
    name: "Message",
    fields: {
      id: { kind: "id" },
      content: { kind: "string", nullable: true },
      order: { kind: "number" },
      chatId: { kind: "string" },
    },
  },
});

// ---- SQL's three-valued logic over the Prisma `where` subset the translator emits ----

type Truth = boolean | null;

const and3 = (values: Truth[]): Truth =>
  values.includes(false) ? false : values.includes(null) ? null : true;
const or3 = (values: Truth[]): Truth => (values.includes(true) ? true : values.includes(null) ? null : false);
const not3 = (value: Truth): Truth => (value === null ? null : !value);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !(value instanceof Date) && !Array.isArray(value);

function sqlWhere(
  where: PrismaWhere,
  row: Record<string, unknown>,
  model: ModelSpec,
  registry: ModelRegistry,
): Truth {
  const parts: Truth[] = [];
  for (const [key, condition] of Object.entries(where)) {
    const list = (value: unknown) => (Array.isArray(value) ? value : [value]) as PrismaWhere[];
    if (key === "AND") parts.push(and3(list(condition).map((item) => sqlWhere(item, row, model, registry))));
    else if (key === "OR")
      parts.push(or3(list(condition).map((item) => sqlWhere(item, row, model, registry))));
    else if (key === "NOT")
      parts.push(not3(and3(list(condition).map((item) => sqlWhere(item, row, model, registry)))));
    else parts.push(sqlField(key, condition, row, model, registry));
  }
  return and3(parts);
}

function sqlField(
  key: string,
  condition: unknown,
  row: Record<string, unknown>,
  model: ModelSpec,
  registry: ModelRegistry,
): Truth {
  const spec = model.fields[key];
  if (spec === undefined) throw new Error(`The translator emitted an unknown field: ${key}`);
  if ("relation" in spec) {
    const related = registry[spec.model]!;
    const filter = condition as Record<string, PrismaWhere>;
    if (spec.relation === "belongsTo") {
      // fk IN (SELECT id FROM related WHERE ...): a NULL foreign key gives unknown, not false.
      const record = row[key] as Record<string, unknown> | null;
      if (record === null) return null;
      return sqlWhere(filter.is!, record, related, registry) === true;
    }
    const children = row[key] as Record<string, unknown>[];
    const where = Object.values(filter)[0]!;
    const matching = (child: Record<string, unknown>) => sqlWhere(where, child, related, registry) === true;
    if ("some" in filter) return children.some(matching);
    if ("none" in filter) return !children.some(matching);
    // Prisma's every: NOT EXISTS (child WHERE NOT condition).
    return !children.some((child) => not3(sqlWhere(where, child, related, registry)) === true);
  }
  const value = row[key] as Scalar | null;
  if (condition === null) return value === null;
  if (!isObject(condition)) throw new Error(`Unexpected shorthand for ${key}`);
  return and3(Object.entries(condition).map(([operator, operand]) => sqlOperator(operator, operand, value)));
}

type Scalar = string | number | boolean | Date;

function sqlOperator(operator: string, operand: unknown, value: Scalar | null): Truth {
  if (operator === "not" && operand === null) return value !== null;
  if (operator === "not" && isObject(operand)) {
    return not3(
      and3(Object.entries(operand).map(([inner, innerOperand]) => sqlOperator(inner, innerOperand, value))),
    );
  }
  if (value === null) return null;
  switch (operator) {
    case "equals":
      return sqlCompare(value, operand as Scalar) === 0;
    case "not":
      return sqlCompare(value, operand as Scalar) !== 0;
    case "in":
      return (operand as Scalar[]).some((item) => sqlCompare(value, item) === 0);
    case "notIn":
      return !(operand as Scalar[]).some((item) => sqlCompare(value, item) === 0);
    case "lt":
      return sqlCompare(value, operand as Scalar) < 0;
    case "lte":
      return sqlCompare(value, operand as Scalar) <= 0;
    case "gt":
      return sqlCompare(value, operand as Scalar) > 0;
    case "gte":
      return sqlCompare(value, operand as Scalar) >= 0;
    case "startsWith":
      return like(value as string, `${operand as string}%`);
    default:
      throw new Error(`The translator emitted an operator this model of SQL lacks: ${operator}`);
  }
}

/** PostgreSQL with the "C" collation: strings compare as UTF-8 bytes. */
function sqlCompare(left: Scalar, right: Scalar): number {
  if (left instanceof Date || right instanceof Date) {
    return +new Date(left as Date) - +new Date(right as Date);
  }
  if (typeof left === "string") return Buffer.compare(Buffer.from(left), Buffer.from(right as string));
  if (typeof left === "boolean") return left === right ? 0 : 1;
  return (left as number) - (right as number);
}

/** SQL LIKE with backslash as the escape character. */
function like(value: string, pattern: string): boolean {
  const tokens: { literal?: string; wildcard?: "%" | "_" }[] = [];
  const characters = Array.from(pattern);
  for (let index = 0; index < characters.length; index++) {
    const character = characters[index]!;
    if (character === "\\") tokens.push({ literal: characters[++index] ?? "" });
    else if (character === "%" || character === "_") tokens.push({ wildcard: character });
    else tokens.push({ literal: character });
  }
  const text = Array.from(value);
  const matchFrom = (tokenIndex: number, textIndex: number): boolean => {
    const token = tokens[tokenIndex];
    if (token === undefined) return textIndex === text.length;
    if (token.wildcard === "%") {
      for (let end = textIndex; end <= text.length; end++) if (matchFrom(tokenIndex + 1, end)) return true;
      return false;
    }
    if (textIndex >= text.length) return false;
    if (token.wildcard === "_" || token.literal === text[textIndex]) {
      return matchFrom(tokenIndex + 1, textIndex + 1);
    }
    return false;
  };
  return matchFrom(0, 0);
}

// ---- Random filters and rows ----

// Few distinct values, so that equality, ordering and prefixes come up often, with the characters
// LIKE treats specially and ones whose UTF-16 and UTF-8 orders differ.
const strings = fc.oneof(
  fc.constantFrom("", "a", "ab", "a_", "a%b", "B", "\\", "é", "\uffff", "😀"),
  fc.string({ unit: fc.constantFrom("a", "b", "_", "%", "\\"), maxLength: 3 }),
);
const numbers = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(0.5, -1.5));
const instants = ["2024-01-01T00:00:00.000Z", "2024-01-01T00:00:00.001Z", "2024-06-01T12:00:00.000Z"];
const dateValues = fc.constantFrom(...instants.map((instant) => new Date(instant)));
const dateOperands = fc.oneof(
  fc.constantFrom(...instants, "2024-01-01", "2024-06-01T14:00:00+02:00"),
  dateValues,
);

function valuesOf(kind: unknown, isOperand: boolean): fc.Arbitrary<unknown> {
  if (typeof kind === "object" && kind !== null) return fc.constantFrom(...(kind as { enum: string[] }).enum);
  switch (kind) {
    case "id":
      return fc.constantFrom("r1", "r2", "r3", "c1", "u1", "m1");
    case "number":
      return numbers;
    case "boolean":
      return fc.boolean();
    case "dateTime":
      return isOperand ? dateOperands : dateValues;
    default:
      return strings;
  }
}

const OPERATORS: Record<string, readonly string[]> = {
  string: [
    "equals",
    "notEquals",
    "in",
    "notIn",
    "lessThan",
    "lessThanOrEqual",
    "greaterThan",
    "greaterThanOrEqual",
    "startsWith",
    "isSet",
  ],
  id: ["equals", "notEquals", "in", "notIn", "lessThan", "greaterThanOrEqual", "isSet"],
  number: [
    "equals",
    "notEquals",
    "in",
    "notIn",
    "lessThan",
    "lessThanOrEqual",
    "greaterThan",
    "greaterThanOrEqual",
    "isSet",
  ],
  dateTime: [
    "equals",
    "notEquals",
    "in",
    "notIn",
    "lessThan",
    "lessThanOrEqual",
    "greaterThan",
    "greaterThanOrEqual",
    "isSet",
  ],
  boolean: ["equals", "notEquals", "isSet"],
  enum: ["equals", "notEquals", "in", "notIn", "isSet"],
};

function operand(operator: string, kind: unknown, isNullable: boolean): fc.Arbitrary<unknown> {
  const value = valuesOf(kind, true);
  if (operator === "isSet") return fc.boolean();
  if (operator === "in" || operator === "notIn") return fc.array(value, { maxLength: 3 });
  if (operator === "startsWith") return strings;
  if ((operator === "equals" || operator === "notEquals") && isNullable) {
    return fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 3, arbitrary: value });
  }
  return value;
}

type FieldEntry = [string, { kind: unknown; nullable?: boolean }];

function fieldFilter([name, spec]: FieldEntry): fc.Arbitrary<Record<string, unknown>> {
  const operators = OPERATORS[typeof spec.kind === "string" ? spec.kind : "enum"]!;
  const entry = fc
    .constantFrom(...operators)
    .chain((operator) =>
      operand(operator, spec.kind, spec.nullable ?? false).map((value) => [operator, value] as const),
    );
  return fc
    .uniqueArray(entry, { minLength: 1, maxLength: 2, selector: ([operator]) => operator })
    .map((entries) => ({ [name]: Object.fromEntries(entries) }));
}

function scalarEntries(model: ModelSpec, names?: string[]): FieldEntry[] {
  return Object.entries(model.fields).filter(
    ([name, spec]) => !("relation" in spec) && (names === undefined || names.includes(name)),
  ) as FieldEntry[];
}

/** Random valid filter objects over `leaves`, combined with AND, OR, NOT and multi-key objects. */
function filterObjects(
  leaves: fc.Arbitrary<Record<string, unknown>>,
  depth: number,
): fc.Arbitrary<Record<string, unknown>> {
  if (depth === 0) return leaves;
  const inner = filterObjects(leaves, depth - 1);
  return fc.oneof(
    { weight: 3, arbitrary: leaves },
    { weight: 1, arbitrary: fc.record({ AND: fc.array(inner, { maxLength: 3 }) }) },
    { weight: 1, arbitrary: fc.record({ AND: inner }) },
    { weight: 2, arbitrary: fc.record({ OR: fc.array(inner, { maxLength: 3 }) }) },
    { weight: 2, arbitrary: fc.record({ NOT: inner }) },
    { weight: 1, arbitrary: fc.record({ NOT: fc.array(inner, { maxLength: 2 }) }) },
    { weight: 1, arbitrary: fc.tuple(inner, leaves).map(([left, right]) => ({ ...left, ...right })) },
  );
}

/** A filter object, or (as the top level and quantifiers allow) a list of them meaning AND. */
function filters(leaves: fc.Arbitrary<Record<string, unknown>>, depth: number): fc.Arbitrary<unknown> {
  const objects = filterObjects(leaves, depth);
  return fc.oneof(
    { weight: 4, arbitrary: objects },
    { weight: 1, arbitrary: fc.array(objects, { maxLength: 2 }) },
  );
}

function scalarRow(model: ModelSpec): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.fromEntries(
    scalarEntries(model).map(([name, spec]) => {
      const value = spec.kind === "id" ? fc.constantFrom("r1", "r2", "r3") : valuesOf(spec.kind, false);
      return [name, spec.nullable ? fc.option(value, { nil: null }) : value];
    }),
  );
  return fc.record(fields) as fc.Arbitrary<Record<string, unknown>>;
}

// Generated filters can nest past the default limit; depth is tested elsewhere.
const maxDepth = 32;

function agree(filter: unknown, rows: Record<string, unknown>[], model: ModelSpec) {
  const translated = translateFilter(filter, model, models, { maxDepth });
  if (!translated.ok) {
    throw new Error(`A valid filter was refused: ${translated.path}: ${translated.message}`);
  }
  for (const row of rows) {
    const evaluated = evaluateFilter(filter, row, model, models, { maxDepth });
    if (!evaluated.ok) throw new Error(`evaluateFilter refused a valid filter: ${evaluated.message}`);
    expect(evaluated.matches, JSON.stringify({ filter, row, where: translated.where })).toBe(
      sqlWhere(translated.where, row, model, models) === true,
    );
  }
}

describe("translateFilter and evaluateFilter agree", () => {
  it("on scalar fields of every kind, nullable or not", () => {
    const leaves = fc.oneof(...scalarEntries(models.item).map(fieldFilter));
    fc.assert(
      fc.property(
        filters(leaves, 3),
        fc.array(scalarRow(models.item), { minLength: 1, maxLength: 8 }),
        (filter, rows) => agree(filter, rows, models.item),
      ),
      { numRuns: 3000 },
    );
  });

  it("on belongsTo and hasMany relations", () => {
    const userLeaves = fc.oneof(...scalarEntries(models.user).map(fieldFilter));
    const messageLeaves = fc.oneof(...scalarEntries(models.message, ["content", "order"]).map(fieldFilter));
    const userIds = fc.constantFrom("u1", "u2");
    const chatLeaves = fc.oneof(
      ...scalarEntries(models.chat, ["title", "shop"]).map(fieldFilter),
      fc.record({
        user: fc.oneof(
          fc.record({ equals: fc.option(userIds, { nil: null }) }),
          fc.record({ notEquals: fc.option(userIds, { nil: null }) }),
          fc.record({ in: fc.array(userIds, { maxLength: 2 }) }),
          fc.record({ notIn: fc.array(userIds, { maxLength: 2 }) }),
          fc.record({ isSet: fc.boolean() }),
        ),
      }),
      filterObjects(userLeaves, 2).map((filter) => ({ user: filter })),
      fc
        .tuple(fc.constantFrom("some", "every", "none"), filters(messageLeaves, 2))
        .map(([quantifier, filter]) => ({ messages: { [quantifier]: filter } })),
    );
    const userRow = fc.record({ id: userIds, name: fc.option(strings, { nil: null }), score: numbers });
    const messageRow = fc.record({
      id: fc.constantFrom("m1", "m2"),
      content: fc.option(strings, { nil: null }),
      order: numbers,
      chatId: fc.constant("c1"),
    });
    const chatRow = fc
      .record({
        id: fc.constantFrom("c1", "c2"),
        title: strings,
        shop: fc.option(strings, { nil: null }),
        user: fc.option(userRow, { nil: null }),
        messages: fc.array(messageRow, { maxLength: 3 }),
      })
      .map((row) => ({ ...row, userId: row.user?.id ?? null }));
    fc.assert(
      fc.property(filters(chatLeaves, 2), fc.array(chatRow, { minLength: 1, maxLength: 6 }), (filter, rows) =>
        agree(filter, rows, models.chat),
      ),
      { numRuns: 2000 },
    );
  });
});

describe("the SQL model used above", () => {
  it("treats a comparison with NULL as unknown, and NOT of unknown as unknown", () => {
    const row = { id: "r1", nickname: null };
    expect(sqlWhere({ nickname: { not: "a" } }, row, models.item, models)).toBe(null);
    expect(sqlWhere({ NOT: { nickname: { equals: "a" } } }, row, models.item, models)).toBe(null);
    expect(sqlWhere({ OR: [{ nickname: { not: "a" } }, { nickname: null }] }, row, models.item, models)).toBe(
      true,
    );
  });

  it("reads LIKE wildcards and escapes", () => {
    expect(like("abc", "a_c%")).toBe(true);
    expect(like("abc", "a\\_c%")).toBe(false);
    expect(like("a_c", "a\\_c%")).toBe(true);
    expect(like("a\\b", "a\\\\%")).toBe(true);
  });
});
