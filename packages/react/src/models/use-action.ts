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
 * Gadget's one argument to `run`, typed from the action's own arguments: for a create the fields,
 * for an update `id` and the fields, for a delete `id`; the fields flat (`{ id, title }`) or under
 * the model's name (`{ id, chat: { title } }`).
 */
export type ActionVariables<Args extends unknown[]> = Args extends [
  id: string,
  data: infer Data,
  ...rest: infer _,
]
  ? { id: string } & (Data | { [model: string]: Data })
  : Args extends [id: string]
    ? { id: string }
    : Args extends [data: infer Data, ...rest: infer _]
      ? Data | { [model: string]: Data }
      : never;

/** Options of {@link useAction}, as Gadget's hook takes them. */
export interface UseActionOptions {
  /** The fields of the record a create or an update answers with, unless `run` gives its own. */
  select?: Record<string, unknown>;
}

/**
 * Binds a write (`api.chat.create`, `.update`, `.delete`) to a component. `run` sends it through
 * the provider's fetch, then refreshes every cached read of the model: mounted reads refetch, and
 * reads of unmounted components are emptied so they load fresh when they mount again. `run`
 * resolves once that refresh is done.
 *
 * `run` takes Gadget's one variables object (`update({ id, title })`, `delete({ id })`,
 * `create({ chat: { title } })`), or the manager's own arguments (`update(id, { title },
 * { select })`).
 *
 * @example
 * const [{ fetching, error }, createChat] = useAction(api.chat.create);
 * // <button disabled={fetching} onClick={() => createChat({ title: "New chat" })}>New chat</button>
 * const [, updateChat] = useAction(api.chat.update);
 * // updateChat({ id: chat.id, title: "Renamed" })
 */
export function useAction<Args extends unknown[], Result>(
  action: ModelAction<Args, Result>,
  options: UseActionOptions = {},
): [
  ActionState<Result>,
  (...args: Args | [variables: ActionVariables<Args>]) => Promise<ActionResult<Result>>,
] {
  const { model: descriptor, kind, perform } = action[ACTION];
  const { select } = options;
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
  // A select given to the hook, as a stable key: an inline object is new on every render.
  const selectKey = select === undefined ? undefined : JSON.stringify(select);
  const run = useCallback(
    async (...args: Args | [variables: ActionVariables<Args>]): Promise<ActionResult<Result>> => {
      let data: Result;
      try {
        const selected = selectKey === undefined ? undefined : (JSON.parse(selectKey) as object);
        data = await trigger(managerArguments(kind, descriptor.model, args, selected) as Args);
      } catch (error) {
        return { data: undefined, error: toApiError(error) };
      }
      await revalidateModel({ cache, mutate }, endpoint, descriptor.model);
      return { data, error: undefined };
    },
    [trigger, cache, mutate, endpoint, descriptor.model, kind, selectKey],
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

/**
 * The manager's arguments for `run`'s: Gadget's one variables object becomes `(data)`, `(id,
 * data)` or `(id)`, its fields taken from under the model's name when that is their only key;
 * the manager's own arguments pass as they are. A hook-level `select` applies where the call
 * gives none.
 */
function managerArguments(
  kind: "create" | "update" | "delete",
  model: string,
  args: readonly unknown[],
  select: object | undefined,
): unknown[] {
  const [first] = args;
  // Gadget's form: one object, with the id for an update or a delete.
  const isVariables = args.length === 1 && isPlainObject(first);
  if (isVariables && kind !== "create" && typeof first.id !== "string") {
    throw new TypeError(`${kind} needs the record's id: run({ id, ...fields })`);
  }
  if (!isVariables) {
    const withOptions = [...args];
    if (select === undefined || kind === "delete") return withOptions;
    const at = kind === "create" ? 1 : 2;
    while (withOptions.length < at) withOptions.push(undefined);
    const callOptions = withOptions[at] as { select?: unknown } | undefined;
    if (callOptions?.select === undefined) withOptions[at] = { ...callOptions, select };
    return withOptions;
  }
  const variables = first as Record<string, unknown>;
  const callOptions = select === undefined ? [] : [{ select }];
  // A create keeps an `id` among its fields: a model may let callers choose it.
  if (kind === "create") return [fieldsOf(variables, model), ...callOptions];
  const { id, ...fields } = variables;
  if (kind === "delete") return [id];
  return [id, fieldsOf(fields, model), ...callOptions];
}

/** The fields of a write: the object under the model's name when that is its only key, else the object. */
function fieldsOf(fields: Record<string, unknown>, model: string): Record<string, unknown> {
  const nested = fields[model];
  const isNamespaced = Object.keys(fields).length === 1 && isPlainObject(nested) && !("_link" in nested);
  return isNamespaced ? nested : fields;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
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
