import { isPlainObject } from "../_internal/is-plain-object.js";
import { HttpError } from "../errors/http-error.js";
import type { Access } from "./access.js";
import { fieldOf, idFieldOf, isRelation } from "./model-fields.js";
import { withPrismaErrors } from "./prisma-errors.js";
import { createRecordList, type RecordList } from "./record-list.js";
import { EVERY_ROW } from "./scope-relations.js";
import { translateData } from "./translate-data.js";
import { pageInfo, translatePagination } from "./translate-pagination.js";
import { type PrismaSelect, translateSelect } from "./translate-select.js";
import { translateSort } from "./translate-sort.js";
import type { ModelSpec, PrismaWhere } from "./types.js";

/** One Prisma model delegate (`prisma.chat`), as far as the managers use it. */
export interface PrismaDelegate {
  findMany(args: object): Promise<Record<string, unknown>[]>;
  findFirst(args: object): Promise<Record<string, unknown> | null>;
  create(args: object): Promise<Record<string, unknown>>;
  update(args: object): Promise<Record<string, unknown>>;
  deleteMany(args: object): Promise<{ count: number }>;
}

/** A Prisma client, or the transaction client Prisma passes to `$transaction(fn)`. */
export type PrismaClientLike = object;

/** A committed change, for live queries. */
export interface ModelChange {
  /** The model's api name. */
  model: string;
  action: "create" | "update" | "delete";
  id: string;
}

/** What every manager of one `api` shares. */
export interface ManagerContext {
  prisma: PrismaClientLike;
  access: Access;
  defaultPageSize: number;
  maxPageSize: number;
  maxDepth: number;
  dbNull: unknown;
  onChange: ((change: ModelChange) => void) | undefined;
}

type Row = Record<string, unknown>;
type Page = { first?: number; after?: string; last?: number; before?: string };

const FIND_MANY_KEYS = new Set(["filter", "sort", "select", "first", "after", "last", "before"]);

/** Builds the runtime manager of model `name`; its types come from `ModelManager`. */
export function createModelManager(name: string, context: ManagerContext) {
  const { access, prisma } = context;
  const model = access.modelOf(name);
  const idField = idFieldOf(model) ?? "id";
  const delegateOf = (client: PrismaClientLike) => prismaDelegate(client, model);
  const delegate = delegateOf(prisma);

  const selectFor = (select: unknown): PrismaSelect => {
    const translated = translateSelect(select, model, access.registry, { maxDepth: context.maxDepth });
    if (!translated.ok) throw invalidQuery(translated.path, translated.message);
    assertRelationsReadable(model, translated.select, access);
    return translated.select;
  };

  const findMany = async (options: unknown = {}): Promise<RecordList<Row>> => {
    if (!isPlainObject(options)) throw invalidQuery("options", "Expected an object of options");
    for (const key of Object.keys(options)) {
      if (!FIND_MANY_KEYS.has(key)) throw invalidQuery(key, `Unknown option "${key}"`);
    }
    const where = access.where(name, "read", options.filter);
    const sorted = translateSort(options.sort, model, { isTrusted: access.isTrusted });
    if (!sorted.ok) throw invalidQuery(sorted.path, sorted.message);
    const page = translatePagination(options, sorted.orderBy, {
      defaultPageSize: context.defaultPageSize,
      maxPageSize: context.maxPageSize,
      idField,
    });
    if (!page.ok) throw invalidQuery(page.path, page.message);
    const select = selectFor(options.select);
    if (page.cursorId !== undefined && !access.isTrusted) {
      // Prisma reads the cursor's row (its sort values) without the query's where: a cursor made
      // from someone else's row id would page by, and so reveal, that row's values. A caller may
      // page only from rows it may read.
      const cursorWhere = access.where(name, "read", undefined, { [idField]: page.cursorId });
      const cursorRow = await withPrismaErrors(() =>
        delegate.findFirst({ where: cursorWhere, select: { [idField]: true } }),
      );
      if (cursorRow === null) throw invalidQuery(page.isReversed ? "before" : "after", "Invalid cursor");
    }
    const rows = await withPrismaErrors(() => delegate.findMany({ where, select, ...page.query }));
    const info = pageInfo(rows, page);
    await hideUnreadable(info.rows, select, model, context);
    const { first: _first, after: _after, last: _last, before: _before, ...rest } = options;
    return createRecordList(info, (next: Page) => findMany({ ...rest, ...next }), page.pageSize);
  };

  const maybeFindFirst = async (options: unknown = {}): Promise<Row | null> => {
    const rest = isPlainObject(options) ? options : {};
    const [row] = await findMany({ ...rest, first: 1, after: undefined, last: undefined, before: undefined });
    return row ?? null;
  };

  const maybeFindOne = async (id: unknown, options: { select?: unknown } = {}): Promise<Row | null> => {
    const where = access.where(name, "read", undefined, { [idField]: checkId(id) });
    const select = selectFor(options.select);
    const row = await withPrismaErrors(() => delegate.findFirst({ where, select }));
    if (row) await hideUnreadable([row], select, model, context);
    return row;
  };

  const notFound = () => new HttpError("NOT_FOUND", `${model.name} not found`);

  const linkedData = async (input: unknown, grantSet: Row | undefined): Promise<Row> => {
    const translated = translateData(input, model, { isTrusted: access.isTrusted, dbNull: context.dbNull });
    if (!translated.ok) {
      throw new HttpError("VALIDATION_FAILED", `Invalid data at ${translated.path}: ${translated.message}`, {
        details: [{ path: translated.path, message: translated.message }],
      });
    }
    const data = { ...translated.data, ...grantSet };
    for (const link of translated.links) {
      // Links the grant's `set` replaced are the server's own, and need no check.
      if (access.isTrusted || data[link.foreignKey] !== link.id) continue;
      // A link is a read of the linked row: to an unreadable row it behaves as absent.
      const related = access.modelOf(link.model);
      const relatedId = idFieldOf(related) ?? "id";
      const where = access.where(link.model, "read", undefined, { [relatedId]: link.id });
      const found = await withPrismaErrors(() =>
        prismaDelegate(prisma, related).findFirst({ where, select: { [relatedId]: true } }),
      );
      if (!found) {
        throw new HttpError("NOT_FOUND", `Linked ${related.name} not found`, {
          details: { path: link.path },
        });
      }
    }
    return data;
  };

  // Writes must leave a row the action's filter accepts; otherwise they are undone inside the transaction.
  const writeInScope = async (
    action: "create" | "update",
    write: (client: PrismaDelegate) => Promise<Row>,
  ): Promise<Row> => {
    const scope = access.scopeWhere(name, action);
    if (!scope) return withPrismaErrors(() => write(delegate));
    const transaction = (prisma as { $transaction?: (run: (client: object) => Promise<Row>) => Promise<Row> })
      .$transaction;
    if (typeof transaction !== "function") {
      throw new TypeError("Row-filtered writes need a Prisma client with $transaction");
    }
    return withPrismaErrors(() =>
      transaction.call(prisma, async (client) => {
        const row = await write(delegateOf(client));
        const kept = await delegateOf(client).findFirst({
          where: { AND: [{ [idField]: row[idField] }, scope] },
          select: { [idField]: true },
        });
        if (!kept) throw new HttpError("FORBIDDEN", `Not allowed to ${action} this ${model.name} record`);
        return row;
      }),
    );
  };

  const announce = (action: ModelChange["action"], id: unknown) => {
    if (typeof id !== "string" || !context.onChange) return;
    try {
      context.onChange({ model: name, action, id });
    } catch {
      // Live updates are a courtesy: a failing listener must not fail a committed write.
    }
  };

  /**
   * A written row as its writer may read it: whole when the role's read grant reaches the row,
   * else its id alone. A role may write rows it may not read (a wider update filter, create without
   * read), and the answer to a write must not read them for it.
   */
  const asReadable = async (row: Row, select: PrismaSelect): Promise<Row> => {
    if (!(await isReadable(row[idField]))) return { [idField]: row[idField] };
    await hideUnreadable([row], select, model, context);
    return row;
  };

  /** Whether the role may read the row with this id: by its grant alone when that reaches every row. */
  const isReadable = async (id: unknown): Promise<boolean> => {
    if (access.isTrusted) return true;
    const read = access.allowed(name, "read");
    if (read === undefined) return false;
    if (read.scope === EVERY_ROW) return true;
    const where = access.where(name, "read", undefined, { [idField]: id });
    return (
      (await withPrismaErrors(() => delegate.findFirst({ where, select: { [idField]: true } }))) !== null
    );
  };

  const create = async (input: unknown, options: { select?: unknown } = {}): Promise<Row> => {
    const grant = access.require(name, "create");
    const data = await linkedData(input, grant.set);
    const select = selectFor(options.select);
    const row = await writeInScope("create", (client) => client.create({ data, select }));
    announce("create", row[idField]);
    return await asReadable(row, select);
  };

  const update = async (id: unknown, input: unknown, options: { select?: unknown } = {}): Promise<Row> => {
    const key = checkId(id);
    access.require(name, "update");
    const data = await linkedData(input, undefined);
    const select = selectFor(options.select);
    const scope = access.scopeWhere(name, "update");
    const where = scope ? { [idField]: key, AND: [scope] } : { [idField]: key };
    const row = await writeInScope("update", (client) => client.update({ where, data, select }));
    announce("update", key);
    return await asReadable(row, select);
  };

  return {
    apiName: name,
    findMany,
    findFirst: async (options?: unknown) => (await maybeFindFirst(options)) ?? Promise.reject(notFound()),
    maybeFindFirst,
    findOne: async (id: unknown, options?: { select?: unknown }) =>
      (await maybeFindOne(id, options)) ?? Promise.reject(notFound()),
    maybeFindOne,
    create,
    update,
    delete: async (id: unknown): Promise<void> => {
      const where = access.where(name, "delete", undefined, { [idField]: checkId(id) });
      const { count } = await withPrismaErrors(() => delegate.deleteMany({ where }));
      if (count === 0) throw notFound();
      announce("delete", id);
    },
  };
}

export type RuntimeManager = ReturnType<typeof createModelManager>;

function prismaDelegate(client: PrismaClientLike, model: ModelSpec): PrismaDelegate {
  const key = model.name.charAt(0).toLowerCase() + model.name.slice(1);
  const delegate = (client as Record<string, PrismaDelegate | undefined>)[key];
  if (!delegate) throw new TypeError(`The Prisma client has no model ${model.name} (prisma.${key})`);
  return delegate;
}

/** Ids are strings; numbers are accepted as their decimal form (Shopify's numeric ids). */
function checkId(id: unknown): string {
  if (typeof id === "number" && Number.isSafeInteger(id)) return String(id);
  if (typeof id !== "string" || id.length === 0 || id.length > 256) {
    throw new HttpError("BAD_REQUEST", "Expected a record id");
  }
  return id;
}

function invalidQuery(path: string, message: string): HttpError {
  return new HttpError("INVALID_QUERY", `Invalid query at ${path}: ${message}`, { details: { path } });
}

/** Selecting a related record is reading it: refused outright when the role may not read that model. */
function assertRelationsReadable(model: ModelSpec, select: PrismaSelect, access: Access): void {
  if (access.isTrusted) return;
  for (const [key, value] of Object.entries(select)) {
    if (value === true) continue;
    const spec = fieldOf(model, key);
    if (!spec || !isRelation(spec)) continue;
    access.require(spec.model, "read");
    assertRelationsReadable(access.modelOf(spec.model), value.select, access);
  }
}

/**
 * Related records in `rows` that the caller may not read become null, as if absent: Prisma cannot
 * filter a to-one relation inside a selection, so the ids found are checked in one query per level.
 */
async function hideUnreadable(
  rows: Row[],
  select: PrismaSelect,
  model: ModelSpec,
  context: ManagerContext,
): Promise<void> {
  const { access } = context;
  if (access.isTrusted) return;
  for (const [key, value] of Object.entries(select)) {
    if (value === true) continue;
    const spec = fieldOf(model, key);
    if (!spec || !isRelation(spec)) continue;
    const related = access.modelOf(spec.model);
    const relatedId = idFieldOf(related) ?? "id";
    const nested = rows.map((row) => row[key]).filter((item): item is Row => isPlainObject(item));
    if (nested.length === 0) continue;
    const scope = access.allowed(spec.model, "read")?.scope;
    let visible: Set<unknown>;
    if (scope === EVERY_ROW) {
      visible = new Set(nested.map((item) => item[relatedId]));
    } else {
      const where: PrismaWhere = access.where(spec.model, "read", undefined, {
        [relatedId]: { in: [...new Set(nested.map((item) => item[relatedId]))] },
      });
      const found = await withPrismaErrors(() =>
        prismaDelegate(context.prisma, related).findMany({ where, select: { [relatedId]: true } }),
      );
      visible = new Set(found.map((item) => item[relatedId]));
    }
    for (const row of rows) {
      const item = row[key];
      if (isPlainObject(item) && !visible.has(item[relatedId])) row[key] = null;
    }
    const kept = rows.map((row) => row[key]).filter((item): item is Row => isPlainObject(item));
    await hideUnreadable(kept, value.select, related, context);
  }
}
