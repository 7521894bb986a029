export { ApiError } from "./api-error.js";
export {
  type ActionOptions,
  type ApiClient,
  type ApiClientOptions,
  createApiClient,
  DEFAULT_ENDPOINT,
  type ModelAction,
  type ModelManager,
} from "./create-api-client.js";
export type { EventSourceConstructor, EventSourceLike, LiveChange } from "./live-connection.js";
export type {
  ApiSchema,
  FindFirstQuery,
  FindManyQuery,
  FindOneQuery,
  ModelTypes,
  PageInfo,
  RecordList,
  SelectedRecord,
  SortOption,
} from "./types.js";
export {
  type ActionResult,
  type ActionState,
  type ActionVariables,
  type UseActionOptions,
  useAction,
} from "./use-action.js";
export { type FindFirstOptions, useFindFirst, useMaybeFindFirst } from "./use-find-first.js";
export { type FindManyOptions, useFindMany } from "./use-find-many.js";
export { type FindOneOptions, useFindOne, useMaybeFindOne } from "./use-find-one.js";
export {
  LIVE_FALLBACK_POLL_MS,
  type QueryHookOptions,
  type QueryState,
  type Refetch,
} from "./use-model-query.js";
