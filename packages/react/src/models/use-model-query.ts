import { useCallback } from "react";
import useSWR, { useSWRConfig } from "swr";
import { isCrossOrigin, useOptionalSprocket } from "../provider.js";
import { type ApiError, isRetryable } from "./api-error.js";
import { MODEL, type ModelManager } from "./create-api-client.js";
import type { ModelFetch } from "./model-requests.js";
import { useMountedKey } from "./revalidate-model.js";
import { type FindKey, type FindOperation, findKey, resolveEndpoint } from "./swr-keys.js";
import type { ModelTypes } from "./types.js";
import { eventSourceOf, useLiveModel } from "./use-live-model.js";

/**
 * Without an `EventSource` (old runtimes), live reads poll instead, and never more often than this:
 * a live list is worth less than a server flooded by every open tab.
 */
export const LIVE_FALLBACK_POLL_MS = 60_000;

/** Options every read hook takes. */
export interface QueryHookOptions {
  /** Refetch when the server announces a change to the model (one shared stream). Default: false. */
  live?: boolean;
  /** Send nothing while true; the last data stays, marked `stale`. Default: false. */
  pause?: boolean;
  /** Suspend while loading and throw errors to the nearest error boundary, as SWR does. Default: false. */
  suspense?: boolean;
}

/**
 * The state of a read. Its fields are getters over SWR's: a component re-renders for a field only
 * if it reads it, exactly as with `useSWR`.
 */
export interface QueryState<Data> {
  /** The answer, or undefined before the first one (and while paused before any). */
  readonly data: Data | undefined;
  /** Whether a request is in flight. */
  readonly fetching: boolean;
  /** Whether `data` answers earlier options (a previous filter, page or id) while the new ones load. */
  readonly stale: boolean;
  readonly error: ApiError | undefined;
}

/** Refetches the current options, bypassing deduplication. */
export type Refetch = () => Promise<void>;

/** What SWR caches for a read: the answer and the key it answers, so `stale` can tell. */
interface Cached<Value> {
  key: string;
  value: Value;
}

/**
 * The SWR binding the read hooks share: key convention, fetcher through the provider's fetch,
 * lazy state getters, live updates and the mount bookkeeping writes use.
 *
 * @example
 * const [state, refetch] = useModelQuery({
 *   manager, operation: "findOne", args: [id, ""], options: {},
 *   load: (fetch, endpoint) => findOneRequest(fetch, endpoint, "chat", id, ""), toData: (value) => value,
 * });
 */
export function useModelQuery<Value, Data>({
  manager,
  operation,
  args,
  options: { live = false, pause = false, suspense = false },
  load,
  toData,
}: {
  manager: ModelManager<ModelTypes>;
  operation: FindOperation;
  /** The key's arguments: strings that determine the answer (an id, a stable query). */
  args: string[];
  options: QueryHookOptions;
  load(fetch: ModelFetch, endpoint: string): Promise<Value>;
  /** Turns the cached answer into `data`; called when `data` is read, and should be cheap or memoized. */
  toData(value: Value): Data;
}): [QueryState<Data>, Refetch] {
  const descriptor = manager[MODEL];
  const config = useOptionalSprocket() ?? descriptor.config;
  const { cache } = useSWRConfig();
  const endpoint = resolveEndpoint(config.baseUrl, descriptor.endpoint);
  const key = pause ? null : findKey(endpoint, descriptor.model, operation, ...args);
  const tag = key === null ? null : JSON.stringify(key);
  // With an auth source that adds headers, the provider's fetch-based one: the browser's sends none.
  const EventSource = eventSourceOf(config.EventSource ?? descriptor.EventSource);
  const swr = useSWR<Cached<Value>, ApiError, FindKey | null>(
    key,
    async (fetchedKey: FindKey) => ({
      key: JSON.stringify(fetchedKey),
      value: await load(config.fetch, descriptor.endpoint),
    }),
    {
      // What makes `stale` possible; a new key's first render shows the last answer, not nothing.
      keepPreviousData: true,
      suspense,
      shouldRetryOnError: isRetryable,
      ...(live && !EventSource ? { refreshInterval: LIVE_FALLBACK_POLL_MS } : {}),
    },
  );
  useMountedKey(cache, key);
  useLiveModel({
    isEnabled: live && !pause,
    endpoint,
    model: descriptor.model,
    EventSource,
    withCredentials: isCrossOrigin(config.baseUrl),
  });
  const { mutate } = swr;
  const refetch = useCallback(async () => {
    await mutate();
  }, [mutate]);
  const state: QueryState<Data> = {
    get data() {
      const cached = swr.data;
      return cached === undefined ? undefined : toData(cached.value);
    },
    get fetching() {
      return swr.isValidating;
    },
    get stale() {
      const cached = swr.data;
      return cached !== undefined && cached.key !== tag;
    },
    get error() {
      return swr.error;
    },
  };
  return [state, refetch];
}
