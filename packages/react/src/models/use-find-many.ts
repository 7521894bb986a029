import { MODEL, type ModelManager } from "./create-api-client.js";
import { type FindManyResponse, findManyRequest } from "./model-requests.js";
import { stableQuery } from "./query-string.js";
import { createRecordList } from "./record-list.js";
import type { FindManyQuery, ModelTypes, RecordList, SelectedRecord, SelectOf } from "./types.js";
import { type QueryHookOptions, type QueryState, type Refetch, useModelQuery } from "./use-model-query.js";

/** Options of {@link useFindMany}: a {@link FindManyQuery} and the read options. */
export type FindManyOptions<Types extends ModelTypes> = FindManyQuery<Types> & QueryHookOptions;

/**
 * The lists made from each cached answer, so every render and every component reading the same
 * answer gets the same array, and a deep-equal refetch (which SWR answers with the old object)
 * keeps it.
 */
const lists = new WeakMap<FindManyResponse, RecordList<unknown, FindManyQuery<ModelTypes>>>();

/**
 * One page of a model's records, cached by SWR under its query. `data` is a {@link RecordList}: the
 * rows, with `hasNextPage`, `hasPreviousPage`, `startCursor`, `endCursor`, and `nextPage()` /
 * `previousPage()`, which return the query of the neighbouring page (they fetch nothing) for the
 * component to put into its options. Changing the options keeps the previous page on screen,
 * `stale: true`, until the new one arrives.
 *
 * @example
 * const [page, setPage] = useState<{ first?: number; after?: string; last?: number; before?: string }>({ first: 20 });
 * const [{ data: chats, fetching, error }] = useFindMany(api.chat, { sort: { createdAt: "Descending" }, ...page, live: true });
 * // <button disabled={!chats?.hasNextPage} onClick={() => setPage(chats!.nextPage())}>Next</button>
 */
export function useFindMany<
  Types extends ModelTypes,
  const Options extends FindManyOptions<Types> = FindManyOptions<Types>,
>(
  manager: ModelManager<Types>,
  options?: Options,
): [
  QueryState<RecordList<SelectedRecord<Types["record"], SelectOf<Options>>, FindManyQuery<Types>>>,
  Refetch,
] {
  const query = stableQuery(options);
  return useModelQuery({
    manager: manager as unknown as ModelManager<ModelTypes>,
    operation: "findMany",
    args: [query],
    options: options ?? {},
    load: (fetch, endpoint) => findManyRequest(fetch, endpoint, manager[MODEL].model, query),
    toData: (response: FindManyResponse) => {
      let list = lists.get(response);
      if (!list) {
        list = createRecordList(response, query === "" ? {} : JSON.parse(query));
        lists.set(response, list);
      }
      return list as never;
    },
  });
}
