import { type AccessSettings, createAccess } from "./access.js";
import type { PermissionIdentity, Permissions } from "./define-permissions.js";
import {
  createModelManager,
  type ManagerContext,
  type ModelChange,
  type PrismaClientLike,
} from "./model-manager.js";
import type { FindManyOptions, SelectedRecord, SelectOf, WriteOf } from "./model-types.js";
import { DEFAULT_MAX_DEPTH } from "./parse-filter.js";
import type { RecordList } from "./record-list.js";
import type { ModelRegistry } from "./types.js";

/** Reads and writes one model, like Gadget's `api.<model>`; errors are `HttpError`s. */
export interface ModelManager<
  Registry extends ModelRegistry,
  Name extends keyof Registry,
  IsTrusted extends boolean = false,
> {
  readonly apiName: Name;
  /** A page of records (50 by default, at most 250) matching `filter`, in `sort` order. */
  findMany<const Select extends SelectOf<Registry, Name> | undefined = undefined>(
    options?: FindManyOptions<Registry, Name, Select>,
  ): Promise<RecordList<SelectedRecord<Registry, Name, Select>>>;
  /** The first record matching; throws `NOT_FOUND` when none does. */
  findFirst<const Select extends SelectOf<Registry, Name> | undefined = undefined>(
    options?: Omit<FindManyOptions<Registry, Name, Select>, "first" | "after" | "last" | "before">,
  ): Promise<SelectedRecord<Registry, Name, Select>>;
  /** The first record matching, or null. */
  maybeFindFirst<const Select extends SelectOf<Registry, Name> | undefined = undefined>(
    options?: Omit<FindManyOptions<Registry, Name, Select>, "first" | "after" | "last" | "before">,
  ): Promise<SelectedRecord<Registry, Name, Select> | null>;
  /** The record with this id; throws `NOT_FOUND` when there is none or the caller may not read it. */
  findOne<const Select extends SelectOf<Registry, Name> | undefined = undefined>(
    id: string | number,
    options?: { select?: Select },
  ): Promise<SelectedRecord<Registry, Name, Select>>;
  /** The record with this id, or null. */
  maybeFindOne<const Select extends SelectOf<Registry, Name> | undefined = undefined>(
    id: string | number,
    options?: { select?: Select },
  ): Promise<SelectedRecord<Registry, Name, Select> | null>;
  /** Creates a record; relations are given as `{ _link: id }`. */
  create<const Select extends SelectOf<Registry, Name> | undefined = undefined>(
    data: WriteOf<Registry, Name, Date, IsTrusted>,
    options?: { select?: Select },
  ): Promise<SelectedRecord<Registry, Name, Select>>;
  /** Updates the record with this id; throws `NOT_FOUND` when the caller cannot reach it. */
  update<const Select extends SelectOf<Registry, Name> | undefined = undefined>(
    id: string | number,
    data: WriteOf<Registry, Name, Date, IsTrusted>,
    options?: { select?: Select },
  ): Promise<SelectedRecord<Registry, Name, Select>>;
  /** Deletes the record with this id; throws `NOT_FOUND` when the caller cannot reach it. */
  delete(id: string | number): Promise<void>;
}

/** One manager per model; `IsTrusted` for the internal api, which may write every field. */
export type ModelManagers<Registry extends ModelRegistry, IsTrusted extends boolean = false> = {
  readonly [Name in keyof Registry]: ModelManager<Registry, Name, IsTrusted>;
};

/** The `api` of a request: managers limited to what its role may do, and `internal` for full access. */
export type ModelApi<Registry extends ModelRegistry> = ModelManagers<Registry> & {
  /**
   * Managers that skip every permission check and may write read-only fields, like Gadget's
   * `api.internal`. For server code acting on its own authority (webhooks, jobs), never for
   * passing a caller's input through unchecked.
   */
  readonly internal: ModelManagers<Registry, true>;
};

/** Options for {@link createModelApi}. */
export interface ModelApiOptions<Registry extends ModelRegistry, Identity extends PermissionIdentity> {
  /** The app's Prisma client. */
  prisma: PrismaClientLike;
  /** The models, from `defineModels`. */
  models: Registry;
  /** Who may do what, from `definePermissions`. Roles and actions left out are denied. */
  permissions: Permissions<Registry, Identity>;
  /**
   * The app's generated `Prisma` namespace, for its `AnyNull` (filtering JSON fields with `isSet`) and
   * `DbNull` (writing null to a JSON field). Default: none, and those are refused.
   */
  Prisma?: { AnyNull?: unknown; DbNull?: unknown };
  /** Called after each committed write, e.g. to feed live queries. Default: none. */
  onChange?: (change: ModelChange) => void;
  /** Rows per page when a query gives no `first`/`last`. Default: 50. */
  defaultPageSize?: number;
  /** The largest page a query may ask for. Default: 250. */
  maxPageSize?: number;
  /** The most nested AND/OR/NOT, relation and selection levels a query may have. Default: 8. */
  maxDepth?: number;
}

/** Builds `api` objects for requests. */
export interface ModelApiFactory<Registry extends ModelRegistry, Identity extends PermissionIdentity> {
  /** An `api` for one caller; create one per request, as it remembers the caller's row filters. */
  forIdentity(identity: Identity): ModelApi<Registry>;
  /** Managers with full access, for code that acts on the server's own authority. */
  readonly internal: ModelManagers<Registry, true>;
}

/**
 * The model API over a Prisma client: managers with Gadget's methods and query language, each
 * call checked against the caller's role. Options are checked here, once.
 *
 * @example
 * const modelApi = createModelApi({ prisma, Prisma, models, permissions });
 * export const appRoute = route.with({
 *   context: async ({ request }) => ({ api: modelApi.forIdentity(await identify(request.raw)) }),
 * });
 */
export function createModelApi<Registry extends ModelRegistry, Identity extends PermissionIdentity>(
  options: ModelApiOptions<Registry, Identity>,
): ModelApiFactory<Registry, Identity> {
  const {
    prisma,
    models,
    permissions,
    Prisma,
    onChange,
    defaultPageSize = 50,
    maxPageSize = 250,
    maxDepth = DEFAULT_MAX_DEPTH,
  } = options;
  if (typeof prisma !== "object" || prisma === null)
    throw new TypeError("createModelApi needs a Prisma client");
  if (!Number.isInteger(maxPageSize) || maxPageSize < 1)
    throw new RangeError("maxPageSize must be a positive integer");
  if (!Number.isInteger(defaultPageSize) || defaultPageSize < 1 || defaultPageSize > maxPageSize) {
    throw new RangeError("defaultPageSize must be an integer from 1 to maxPageSize");
  }
  const settings: AccessSettings = {
    registry: models,
    permissions: permissions as AccessSettings["permissions"],
    anyNull: Prisma?.AnyNull,
    dbNull: Prisma?.DbNull,
    maxDepth,
  };
  const managersFor = (identity: Identity | undefined): Record<string, unknown> => {
    const context: ManagerContext = {
      prisma,
      access: createAccess(settings, identity),
      defaultPageSize,
      maxPageSize,
      maxDepth,
      dbNull: Prisma?.DbNull,
      onChange,
    };
    const managers: Record<string, unknown> = {};
    const built = new Map<string, unknown>();
    for (const name of Object.keys(models)) {
      // Built on first use: a request touching one model pays for one manager.
      Object.defineProperty(managers, name, {
        enumerable: true,
        get() {
          if (!built.has(name)) built.set(name, createModelManager(name, context));
          return built.get(name);
        },
      });
    }
    return managers;
  };
  let internal: ModelManagers<Registry, true> | undefined;
  const internalManagers = () => {
    internal ??= Object.freeze(managersFor(undefined)) as unknown as ModelManagers<Registry, true>;
    return internal;
  };
  return {
    forIdentity(identity) {
      if (typeof identity !== "object" || identity === null || typeof identity.role !== "string") {
        throw new TypeError("forIdentity needs an identity with a role");
      }
      const api = managersFor(identity);
      Object.defineProperty(api, "internal", { get: internalManagers, enumerable: false });
      return Object.freeze(api) as unknown as ModelApi<Registry>;
    },
    get internal() {
      return internalManagers();
    },
  };
}
