import { MODEL, type ModelManager, throwNotFound } from "./create-api-client.js";
import { findManyRequest } from "./model-requests.js";
import { stableQuery } from "./query-string.js";
import type { FindFirstQuery, ModelTypes, SelectedRecord, SelectOf } from "./types.js";
import { type QueryHookOptions, type QueryState, type Refetch, useModelQuery } from "./use-model-query.js";

/** Options of {@link useFindFirst} and {@link useMaybeFindFirst}. */
export type FindFirstOptions<Types extends ModelTypes> = FindFirstQuery<Types> & QueryHookOptions;

type First<Types extends ModelTypes, Options> = SelectedRecord<Types["record"], SelectOf<Options>>;

/**
 * The first record in `sort` order matching `filter`. None is an `error` with code `NOT_FOUND`, as
 * in Gadget; use {@link useMaybeFindFirst} when none is a normal answer.
 *
 * @example
 * const [{ data: latest }] = useFindFirst(api.message, { filter: { chatId: { equals: id } }, sort: { createdAt: "Descending" } });
 */
export function useFindFirst<
  Types extends ModelTypes,
  const Options extends FindFirstOptions<Types> = FindFirstOptions<Types>,
>(manager: ModelManager<Types>, options?: Options): [QueryState<First<Types, Options>>, Refetch] {
  return useFirst(manager, options, false) as [QueryState<First<Types, Options>>, Refetch];
}

/**
 * The first record in `sort` order matching `filter`, or `null` when none does.
 *
 * @example
 * const [{ data: draft }] = useMaybeFindFirst(api.message, { filter: { status: { equals: "draft" } } });
 */
export function useMaybeFindFirst<
  Types extends ModelTypes,
  const Options extends FindFirstOptions<Types> = FindFirstOptions<Types>,
>(manager: ModelManager<Types>, options?: Options): [QueryState<First<Types, Options> | null>, Refetch] {
  return useFirst(manager, options, true) as [QueryState<First<Types, Options> | null>, Refetch];
}

function useFirst<Types extends ModelTypes>(
  manager: ModelManager<Types>,
  options: FindFirstOptions<Types> | undefined,
  isMaybe: boolean,
): [QueryState<unknown>, Refetch] {
  const { filter, sort, select } = options ?? {};
  const query = stableQuery({ filter, sort, select, first: 1 });
  return useModelQuery({
    manager: manager as unknown as ModelManager<ModelTypes>,
    operation: isMaybe ? "maybeFindFirst" : "findFirst",
    args: [query],
    options: options ?? {},
    load: async (fetch, endpoint) => {
      const model = manager[MODEL].model;
      const record = (await findManyRequest(fetch, endpoint, model, query)).data[0];
      if (record !== undefined) return record;
      return isMaybe ? null : throwNotFound(model);
    },
    toData: (record) => record,
  });
}
