import { MODEL, type ModelManager, nullIfNotFound } from "./create-api-client.js";
import { findOneRequest } from "./model-requests.js";
import { stableQuery } from "./query-string.js";
import type { FindOneQuery, ModelTypes, SelectedRecord, SelectOf } from "./types.js";
import { type QueryHookOptions, type QueryState, type Refetch, useModelQuery } from "./use-model-query.js";

/** Options of {@link useFindOne} and {@link useMaybeFindOne}. */
export type FindOneOptions<Types extends ModelTypes> = FindOneQuery<Types> & QueryHookOptions;

type One<Types extends ModelTypes, Options> = SelectedRecord<Types["record"], SelectOf<Options>>;

/**
 * The record with `id`. A missing record is an `error` with code `NOT_FOUND`; use
 * {@link useMaybeFindOne} when missing is a normal answer.
 *
 * @example
 * const [{ data: chat, error }] = useFindOne(api.chat, chatId, { select: { id: true, title: true } });
 */
export function useFindOne<
  Types extends ModelTypes,
  const Options extends FindOneOptions<Types> = FindOneOptions<Types>,
>(manager: ModelManager<Types>, id: string, options?: Options): [QueryState<One<Types, Options>>, Refetch] {
  return useOne(manager, id, options, false) as [QueryState<One<Types, Options>>, Refetch];
}

/**
 * The record with `id`, or `null` when there is none (a 404 is an answer here, not an error).
 *
 * @example
 * const [{ data: chat }] = useMaybeFindOne(api.chat, chatId);
 * if (chat === null) return <p>This chat was deleted.</p>;
 */
export function useMaybeFindOne<
  Types extends ModelTypes,
  const Options extends FindOneOptions<Types> = FindOneOptions<Types>,
>(
  manager: ModelManager<Types>,
  id: string,
  options?: Options,
): [QueryState<One<Types, Options> | null>, Refetch] {
  return useOne(manager, id, options, true) as [QueryState<One<Types, Options> | null>, Refetch];
}

function useOne<Types extends ModelTypes>(
  manager: ModelManager<Types>,
  id: string,
  options: FindOneOptions<Types> | undefined,
  isMaybe: boolean,
): [QueryState<unknown>, Refetch] {
  const query = stableQuery(options);
  return useModelQuery({
    manager: manager as unknown as ModelManager<ModelTypes>,
    operation: isMaybe ? "maybeFindOne" : "findOne",
    args: [id, query],
    options: options ?? {},
    load: (fetch, endpoint) => {
      const request = findOneRequest(fetch, endpoint, manager[MODEL].model, id, query);
      return isMaybe ? request.catch(nullIfNotFound) : request;
    },
    toData: (record) => record,
  });
}
