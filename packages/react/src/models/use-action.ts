import { useCallback } from "react";
import { useSWRConfig } from "swr";
import useSWRMutation from "swr/mutation";
import { useOptionalSprocket } from "../provider.js";
import { ApiError } from "./api-error.js";
import { ACTION, type ModelAction } from "./create-api-client.js";
import { revalidateModel } from "./revalidate-model.js";
import { KEY_PREFIX, resolveEndpoint } from "./swr-keys.js";

/** The state of a write. Like the read hooks' state, its fields are getters that track what is read. */
export interface ActionState<Result> {
  /** The last successful answer. */
  readonly data: Result | undefined;
  /** Whether a write is in flight. */
  readonly fetching: boolean;
  /** The last write's error, cleared by the next success. */
  readonly error: ApiError | undefined;
}

/** What `run` resolves to: it never rejects, so an `onClick` needs no catch. */
export type ActionResult<Result> = { data: Result; error: undefined } | { data: undefined; error: ApiError };

/**
 * Binds a write (`api.chat.create`, `.update`, `.delete`) to a component. `run(...args)` sends it
 * through the provider's fetch, then refreshes every cached read of the model: mounted reads
 * refetch, and reads of unmounted components are emptied so they load fresh when they mount
 * again. `run` resolves once that refresh is done.
 *
 * @example
 * const [{ fetching, error }, createChat] = useAction(api.chat.create);
 * // <button disabled={fetching} onClick={() => createChat({ title: "New chat" })}>New chat</button>
 */
export function useAction<Args extends unknown[], Result>(
  action: ModelAction<Args, Result>,
): [ActionState<Result>, (...args: Args) => Promise<ActionResult<Result>>] {
  const { model: descriptor, kind, perform } = action[ACTION];
  const config = useOptionalSprocket() ?? descriptor.config;
  // Destructured: the config object is new on every render, its cache and mutate are not.
  const { cache, mutate } = useSWRConfig();
  const endpoint = resolveEndpoint(config.baseUrl, descriptor.endpoint);
  // Its own key, outside the read operations, so writes never count as reads to refresh.
  const mutation = useSWRMutation<Result, ApiError, readonly string[], Args>(
    [KEY_PREFIX, endpoint, descriptor.model, `action:${kind}`],
    (_key, { arg }) => perform(config.fetch, ...arg),
  );
  // SWR types `trigger` as a union of overloads by argument shape; ours always takes the argument list.
  const trigger = mutation.trigger as (args: Args) => Promise<Result>;
  const run = useCallback(
    async (...args: Args): Promise<ActionResult<Result>> => {
      let data: Result;
      try {
        data = await trigger(args);
      } catch (error) {
        return { data: undefined, error: toApiError(error) };
      }
      await revalidateModel({ cache, mutate }, endpoint, descriptor.model);
      return { data, error: undefined };
    },
    [trigger, cache, mutate, endpoint, descriptor.model],
  );
  const state: ActionState<Result> = {
    get data() {
      return mutation.data;
    },
    get fetching() {
      return mutation.isMutating;
    },
    get error() {
      return mutation.error;
    },
  };
  return [state, run];
}

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError({
    code: "INTERNAL_ERROR",
    status: 0,
    message: error instanceof Error ? error.message : String(error),
    cause: error,
  });
}
