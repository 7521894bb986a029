export {
  createFetchStore,
  type FetchOptions,
  type FetchState,
  type FetchStore,
  type FetchStoreConfig,
} from "./create-fetch-store.js";
export { FetchError } from "./fetch-error.js";
export { type FetchResult, useFetch } from "./use-fetch.js";
