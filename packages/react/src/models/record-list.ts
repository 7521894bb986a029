import type { FindManyResponse } from "./model-requests.js";
import type { PageInfo, RecordList } from "./types.js";

interface PagedQuery {
  first?: number;
  after?: string;
  last?: number;
  before?: string;
}

/**
 * The rows of `response` as a {@link RecordList} whose `nextPage()`/`previousPage()` derive from
 * `query`, the query that fetched them. The page info and methods are not enumerable, so the list
 * spreads, serializes and compares like the plain array of rows it is.
 *
 * @example
 * const list = createRecordList(await findManyRequest(fetch, endpoint, "chat", json), { first: 10 });
 * const next = await findManyRequest(fetch, endpoint, "chat", stableQuery(list.nextPage()));
 */
export function createRecordList<Row, Query extends PagedQuery>(
  response: FindManyResponse<Row>,
  query: Query,
): RecordList<Row, Query> {
  const { pageInfo } = response;
  const { first, after, last, before, ...rest } = query;
  const pageSize = first ?? last;
  const neighbour = (direction: "next" | "previous"): Query => {
    const cursor = direction === "next" ? pageInfo.endCursor : pageInfo.startCursor;
    const hasPage = direction === "next" ? pageInfo.hasNextPage : pageInfo.hasPreviousPage;
    if (!hasPage || cursor === null) {
      throw new Error(
        `There is no ${direction} page: check has${direction === "next" ? "Next" : "Previous"}Page first`,
      );
    }
    const paging =
      direction === "next"
        ? { after: cursor, ...(pageSize === undefined ? {} : { first: pageSize }) }
        : { before: cursor, ...(pageSize === undefined ? {} : { last: pageSize }) };
    return { ...rest, ...paging } as Query;
  };
  const list = [...response.data];
  const fields: { [Key in keyof PageInfo]: PropertyDescriptor } = {
    hasNextPage: { value: pageInfo.hasNextPage },
    hasPreviousPage: { value: pageInfo.hasPreviousPage },
    startCursor: { value: pageInfo.startCursor },
    endCursor: { value: pageInfo.endCursor },
  };
  return Object.defineProperties(list, {
    ...fields,
    nextPage: { value: () => neighbour("next") },
    previousPage: { value: () => neighbour("previous") },
  }) as RecordList<Row, Query>;
}
