import { createSprocketConfig, type SprocketConfig, type SprocketProviderProps } from "../provider.js";
import { ApiError } from "./api-error.js";
import type { EventSourceConstructor } from "./live-connection.js";
import {
  findManyRequest,
  findOneRequest,
  type ModelFetch,
  modelPath,
  requestModel,
} from "./model-requests.js";
import { stableQuery } from "./query-string.js";
import { createRecordList } from "./record-list.js";
import type {
  ApiSchema,
  FindFirstQuery,
  FindManyQuery,
  FindOneQuery,
  ModelTypes,
  RecordList,
  SelectedRecord,
  SelectOf,
} from "./types.js";

/** The default path the models endpoint is served at. */
export const DEFAULT_ENDPOINT = "/api/models";

/** Where the hooks find a manager's model and endpoint. */
export const MODEL = Symbol("sprocket.model");
/** Where `useAction` finds what an action function does. */
export const ACTION = Symbol("sprocket.action");

/** A model as the hooks address it. */
export interface ModelDescriptor {
  model: string;
  /** The endpoint path as configured, e.g. "/api/models". */
  endpoint: string;
  /** The client's own configuration, used outside a `SprocketProvider`. */
  config: SprocketConfig;
  EventSource: EventSourceConstructor | undefined;
}

/** A write of a model: callable on its own, and what `useAction` runs through the provider's fetch. */
export type ModelAction<Args extends unknown[], Result> = ((...args: Args) => Promise<Result>) & {
  readonly [ACTION]: {
    model: ModelDescriptor;
    kind: "create" | "update" | "delete";
    perform(fetch: ModelFetch, ...args: Args): Promise<Result>;
  };
};

/** Options of a write: the fields of the returned record. */
export interface ActionOptions<Types extends ModelTypes> {
  select?: Types["select"];
}

type Selected<Types extends ModelTypes, Options> = SelectedRecord<Types["record"], SelectOf<Options>>;

/** One model of the api: reads and writes for use outside React, and the handle the hooks take. */
export interface ModelManager<Types extends ModelTypes> {
  readonly [MODEL]: ModelDescriptor;
  /** One page of records; throws an {@link ApiError}. */
  findMany<const Options extends FindManyQuery<Types> = FindManyQuery<Types>>(
    options?: Options,
  ): Promise<RecordList<Selected<Types, Options>, Options>>;
  /** The first record in `sort` order matching `filter`; none is an {@link ApiError} `NOT_FOUND`. */
  findFirst<const Options extends FindFirstQuery<Types> = FindFirstQuery<Types>>(
    options?: Options,
  ): Promise<Selected<Types, Options>>;
  /** Like {@link ModelManager.findFirst}, with `null` when no record matches. */
  maybeFindFirst<const Options extends FindFirstQuery<Types> = FindFirstQuery<Types>>(
    options?: Options,
  ): Promise<Selected<Types, Options> | null>;
  /** The record with `id`; a missing one is an {@link ApiError} `NOT_FOUND`. */
  findOne<const Options extends FindOneQuery<Types> = FindOneQuery<Types>>(
    id: string,
    options?: Options,
  ): Promise<Selected<Types, Options>>;
  /** Like {@link ModelManager.findOne}, with `null` for a missing record. */
  maybeFindOne<const Options extends FindOneQuery<Types> = FindOneQuery<Types>>(
    id: string,
    options?: Options,
  ): Promise<Selected<Types, Options> | null>;
  /** Creates a record; relations are set as `{ chat: { _link: id } }`. */
  create: ModelAction<[data: Types["create"], options?: ActionOptions<Types>], Types["record"]>;
  update: ModelAction<[id: string, data: Types["update"], options?: ActionOptions<Types>], Types["record"]>;
  delete: ModelAction<[id: string], { id: string }>;
}

/** A manager for each model of `Schema`. */
export type ApiClient<Schema extends ApiSchema> = {
  readonly [Name in keyof Schema & string]: ModelManager<Schema[Name]>;
};

/** Options of {@link createApiClient}; `fetch`, `baseUrl` and `auth` apply outside a `SprocketProvider`. */
export type ApiClientOptions = Omit<SprocketProviderProps, "children"> & {
  /** The path (or URL) the models endpoint is served at. Default: "/api/models". */
  endpoint?: string;
  /** The `EventSource` live hooks use. Default: the global one, read when a stream opens. */
  EventSource?: EventSourceConstructor;
};

/**
 * Names that callers and tools probe on any object (`await`, JSON, React, Next.js serialization):
 * they are not model names, so the client answers them with undefined instead of a manager.
 */
const NOT_MODEL_NAMES: ReadonlySet<string> = new Set([
  "then",
  "toJSON",
  "$$typeof",
  "constructor",
  "prototype",
]);

/**
 * A client for the models endpoint, typed by the app's schema. Managers are made when first read,
 * so the client needs no list of models at runtime. Inside a `SprocketProvider`, hooks use the
 * provider's fetch; the client's own `fetch`, `baseUrl` and `auth` serve the imperative methods
 * and hooks rendered without a provider.
 *
 * @example
 * import type { ApiSchemaOf } from "@sprocket/server/models";
 * import type { models } from "./models";
 *
 * export const api = createApiClient<ApiSchemaOf<typeof models>>();
 * const chats = await api.chat.findMany({ sort: { createdAt: "Descending" }, first: 20 });
 */
export function createApiClient<Schema extends ApiSchema>({
  endpoint = DEFAULT_ENDPOINT,
  EventSource,
  ...configOptions
}: ApiClientOptions = {}): ApiClient<Schema> {
  const config = createSprocketConfig(configOptions);
  const path = endpoint.replace(/\/+$/, "");
  const managers = new Map<string, ModelManager<ModelTypes>>();
  return new Proxy({} as ApiClient<Schema>, {
    get(_target, name) {
      if (typeof name !== "string" || NOT_MODEL_NAMES.has(name)) return undefined;
      let manager = managers.get(name);
      if (!manager) {
        manager = createModelManager({ model: name, endpoint: path, config, EventSource });
        managers.set(name, manager);
      }
      return manager;
    },
  });
}

function createModelManager(descriptor: ModelDescriptor): ModelManager<ModelTypes> {
  const { model, endpoint, config } = descriptor;
  const action = <Args extends unknown[], Result>(
    kind: "create" | "update" | "delete",
    perform: (fetch: ModelFetch, ...args: Args) => Promise<Result>,
  ): ModelAction<Args, Result> =>
    Object.assign((...args: Args) => perform(config.fetch, ...args), {
      [ACTION]: { model: descriptor, kind, perform },
    });
  const findFirst = async (options: FindFirstQuery<ModelTypes> = {}) =>
    (await findManyRequest(config.fetch, endpoint, model, stableQuery({ ...options, first: 1 }))).data[0] ??
    null;
  const findOne = (id: string, options: FindOneQuery<ModelTypes> = {}) =>
    findOneRequest(config.fetch, endpoint, model, id, stableQuery(options));
  return {
    [MODEL]: descriptor,
    async findMany(options) {
      const response = await findManyRequest(config.fetch, endpoint, model, stableQuery(options));
      return createRecordList(response, options ?? {}) as never;
    },
    async findFirst(options) {
      return ((await findFirst(options)) ?? throwNotFound(model)) as never;
    },
    maybeFindFirst: findFirst as never,
    findOne: findOne as never,
    async maybeFindOne(id, options) {
      return (await findOne(id, options).catch(nullIfNotFound)) as never;
    },
    create: action("create", async (fetch, data: object, options?: ActionOptions<ModelTypes>) => {
      const body = { data, ...(options?.select ? { select: options.select } : {}) };
      return (await requestModel<object>(fetch, modelPath(endpoint, model), { method: "POST", body })).data;
    }),
    update: action("update", async (fetch, id: string, data: object, options?: ActionOptions<ModelTypes>) => {
      const body = { data, ...(options?.select ? { select: options.select } : {}) };
      return (await requestModel<object>(fetch, modelPath(endpoint, model, id), { method: "PATCH", body }))
        .data;
    }),
    delete: action("delete", async (fetch, id: string) => {
      return (await requestModel<{ id: string }>(fetch, modelPath(endpoint, model, id), { method: "DELETE" }))
        .data;
    }),
  };
}

/**
 * The error `findFirst` raises when no record matches, shaped like the server's 404.
 *
 * @example
 * const chat = rows[0] ?? throwNotFound("chat");
 */
export function throwNotFound(model: string): never {
  throw new ApiError({ code: "NOT_FOUND", status: 404, message: `No ${model} matches the query` });
}

/**
 * `null` for a `NOT_FOUND` error, for the `maybe` reads; any other error is thrown again.
 *
 * @example
 * const chat = await findOneRequest(fetch, endpoint, "chat", id, "").catch(nullIfNotFound);
 */
export function nullIfNotFound(error: unknown): null {
  if (error instanceof ApiError && error.status === 404) return null;
  throw error;
}
