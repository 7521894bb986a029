import { decodeCursor, encodeCursor } from "./cursor.js";
import type { PrismaOrderBy, SortDirection, TranslateFailure, TranslateResult } from "./types.js";

/** Gadget's (and Relay's) paging arguments, as they arrive in a request. */
export interface PaginationArguments {
  /** Rows after the cursor `after` (or from the start). */
  first?: unknown;
  after?: unknown;
  /** Rows before the cursor `before` (or from the end). */
  last?: unknown;
  before?: unknown;
}

/** Options for {@link translatePagination}. */
export interface TranslatePaginationOptions {
  /** Rows per page when neither `first` nor `last` is given. Default: 50, or `maxPageSize` if smaller. */
  defaultPageSize?: number;
  /** The largest `first` or `last` accepted. Default: 250. */
  maxPageSize?: number;
  /** The model's primary key, which cursors carry. Default: "id". */
  idField?: string;
}

/** The paging part of a Prisma `findMany`. */
export interface PrismaPageQuery {
  take: number;
  cursor?: Record<string, string>;
  orderBy: PrismaOrderBy;
}

/** A checked page request: the Prisma arguments, and what {@link pageInfo} needs to read the rows. */
export interface PageRequest {
  query: PrismaPageQuery;
  /** Whether `query.orderBy` runs backwards (for `last`/`before`); {@link pageInfo} turns rows back. */
  isReversed: boolean;
  pageSize: number;
  /** The id named by `after` or `before`. */
  cursorId: string | undefined;
  idField: string;
}

/** One page of rows in the requested order, and where it sits. */
export interface PageInfo<Row> {
  rows: Row[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  /** The cursor of the first row, or null for an empty page. */
  startCursor: string | null;
  /** The cursor of the last row, or null for an empty page. */
  endCursor: string | null;
}

const FLIPPED: Record<SortDirection, SortDirection> = { asc: "desc", desc: "asc" };

/**
 * Translates `first`/`after` or `last`/`before` into Prisma's `take`, `cursor` and `orderBy`. A
 * backward page queries in reverse order. It takes one row more than the page to tell whether
 * another page follows, and, after a cursor, one more again: Prisma's cursor row is included only
 * when it still matches the filter, so instead of `skip: 1` (which would drop a real row when the
 * cursor's row no longer matches) {@link pageInfo} removes it by id.
 *
 * @example
 * const page = translatePagination({ first: 20, after: cursor }, orderBy);
 * if (page.ok) rows = await prisma.chat.findMany({ where, ...page.query });
 */
export function translatePagination(
  { first, after, last, before }: PaginationArguments,
  orderBy: PrismaOrderBy,
  {
    maxPageSize = 250,
    defaultPageSize = Math.min(50, maxPageSize),
    idField = "id",
  }: TranslatePaginationOptions = {},
): TranslateResult<PageRequest> {
  checkPageSizes(defaultPageSize, maxPageSize);
  const isGiven = (value: unknown) => value !== undefined && value !== null;
  if (isGiven(first) && isGiven(last)) return fail("last", "first and last cannot be used together");
  if (isGiven(after) && isGiven(before)) return fail("before", "after and before cannot be used together");
  if (isGiven(first) && isGiven(before)) return fail("before", "before pages backwards: use it with last");
  if (isGiven(last) && isGiven(after)) return fail("after", "after pages forwards: use it with first");
  const isReversed = isGiven(last) || isGiven(before);
  const [sizeName, size] = isReversed ? ["last", last] : ["first", first];
  const pageSize = isGiven(size) ? size : defaultPageSize;
  if (typeof pageSize !== "number" || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > maxPageSize) {
    return fail(sizeName, `Expected an integer from 1 to ${maxPageSize}`);
  }
  const [cursorName, cursor] = isReversed ? ["before", before] : ["after", after];
  const cursorId = isGiven(cursor) ? decodeCursor(cursor) : undefined;
  if (isGiven(cursor) && cursorId === undefined) return fail(cursorName, "Invalid cursor");
  const query: PrismaPageQuery = {
    take: pageSize + 1 + (cursorId === undefined ? 0 : 1),
    orderBy: isReversed ? orderBy.map(flip) : orderBy,
  };
  if (cursorId !== undefined) query.cursor = { [idField]: cursorId };
  return { ok: true, query, isReversed, pageSize, cursorId, idField };
}

/**
 * The page in `rows` (as returned for `request.query`): the cursor's own row and the look-ahead row
 * removed, back in the requested order, with Relay's page info. A page reached through a cursor
 * reports a page on the far side of that cursor, as Relay allows, without counting rows there.
 *
 * @example
 * const { rows: chats, hasNextPage, endCursor } = pageInfo(rows, page);
 */
export function pageInfo<Row extends object>(rows: readonly Row[], request: PageRequest): PageInfo<Row> {
  const { cursorId, idField, isReversed, pageSize } = request;
  const idOf = (row: Row): unknown => (row as Record<string, unknown>)[idField];
  const first = rows[0];
  const afterCursor =
    first !== undefined && cursorId !== undefined && idOf(first) === cursorId ? rows.slice(1) : rows;
  const hasMore = afterCursor.length > pageSize;
  const page = afterCursor.slice(0, pageSize);
  if (isReversed) page.reverse();
  const cursorOf = (row: Row | undefined): string | null => {
    const id = row === undefined ? undefined : idOf(row);
    return typeof id === "string" && id.length > 0 ? encodeCursor(id) : null;
  };
  return {
    rows: page,
    hasNextPage: isReversed ? cursorId !== undefined : hasMore,
    hasPreviousPage: isReversed ? hasMore : cursorId !== undefined,
    startCursor: cursorOf(page[0]),
    endCursor: cursorOf(page.at(-1)),
  };
}

function fail(path: string, message: string): TranslateFailure {
  return { ok: false, path, message };
}

function flip(entry: Record<string, SortDirection>): Record<string, SortDirection> {
  return Object.fromEntries(Object.entries(entry).map(([field, direction]) => [field, FLIPPED[direction]]));
}

function checkPageSizes(defaultPageSize: number, maxPageSize: number): void {
  if (!Number.isInteger(maxPageSize) || maxPageSize < 1) {
    throw new RangeError(`maxPageSize must be a positive integer, got ${maxPageSize}`);
  }
  if (!Number.isInteger(defaultPageSize) || defaultPageSize < 1 || defaultPageSize > maxPageSize) {
    throw new RangeError(`defaultPageSize must be an integer from 1 to maxPageSize, got ${defaultPageSize}`);
  }
}
