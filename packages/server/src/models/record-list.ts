import type { PageInfo } from "./translate-pagination.js";

/**
 * A page of records: an array (so `map`, `length` and JSON work as usual) that also says where it
 * sits and fetches its neighbours, like Gadget's `GadgetRecordList`.
 */
export type RecordList<Row> = Row[] & {
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
  readonly startCursor: string | null;
  readonly endCursor: string | null;
  /** The page after this one, with the same filter, sort and size. Throws when there is none. */
  nextPage(): Promise<RecordList<Row>>;
  /** The page before this one, with the same filter, sort and size. Throws when there is none. */
  previousPage(): Promise<RecordList<Row>>;
};

/**
 * `info.rows` as a {@link RecordList}. The page properties are not enumerable, so the list
 * serialises as a plain JSON array.
 *
 * @example
 * const list = createRecordList(info, (page) => manager.findMany({ ...options, ...page }), size);
 */
export function createRecordList<Row>(
  info: PageInfo<Row>,
  fetchPage: (page: {
    first?: number;
    after?: string;
    last?: number;
    before?: string;
  }) => Promise<RecordList<Row>>,
  pageSize: number,
): RecordList<Row> {
  const { hasNextPage, hasPreviousPage, startCursor, endCursor } = info;
  const list = [...info.rows];
  const hidden = (value: unknown): PropertyDescriptor => ({ value, enumerable: false });
  return Object.defineProperties(list, {
    hasNextPage: hidden(hasNextPage),
    hasPreviousPage: hidden(hasPreviousPage),
    startCursor: hidden(startCursor),
    endCursor: hidden(endCursor),
    nextPage: hidden(() => {
      if (!hasNextPage || endCursor === null) return Promise.reject(new RangeError("There is no next page"));
      return fetchPage({ first: pageSize, after: endCursor });
    }),
    previousPage: hidden(() => {
      if (!hasPreviousPage || startCursor === null) {
        return Promise.reject(new RangeError("There is no previous page"));
      }
      return fetchPage({ last: pageSize, before: startCursor });
    }),
  }) as RecordList<Row>;
}
