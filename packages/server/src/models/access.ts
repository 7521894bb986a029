import { HttpError } from "../errors/http-error.js";
import type { ModelAction, PermissionIdentity, Permissions } from "./define-permissions.js";
import { type FilterNode, parseFilter } from "./parse-filter.js";
import { EVERY_ROW, NO_ROW, scopeRelations } from "./scope-relations.js";
import { translateData } from "./translate-data.js";
import { whereOf } from "./translate-filter.js";
import type { ModelRegistry, PrismaWhere } from "./types.js";

type Grant = boolean | { filter?: (identity: never) => unknown; set?: (identity: never) => unknown };

/** An allowed action: the rows it reaches, and for creates the fields forced onto the new row. */
export interface Allowed {
  scope: FilterNode;
  set: Record<string, unknown> | undefined;
}

/** Settings every manager of one api shares. */
export interface AccessSettings {
  registry: ModelRegistry;
  permissions: Permissions<ModelRegistry, PermissionIdentity>;
  anyNull: unknown;
  dbNull: unknown;
  maxDepth: number;
}

// Row filters are server code and may be as deep as their author needs.
const TRUSTED_MAX_DEPTH = 64;

/**
 * What one caller may do: the role's grants, evaluated for this identity once per action and model
 * and kept for the life of the request's `api`. `identity` undefined means the internal api, which
 * may do anything.
 *
 * @example
 * const access = createAccess(settings, { role: "signed-in", user });
 * const where = access.where("chat", "read", request.query.filter);
 */
export function createAccess(settings: AccessSettings, identity: PermissionIdentity | undefined) {
  const { registry, permissions, anyNull } = settings;
  const grants = new Map<string, Allowed | undefined>();
  const isTrusted = identity === undefined;

  const modelOf = (name: string) => {
    const model = registry[name];
    if (!model) throw new TypeError(`No model is registered as "${name}"`);
    return model;
  };

  /** The grant for `action` on `name`, or undefined when the role may not. */
  const allowed = (name: string, action: ModelAction): Allowed | undefined => {
    if (isTrusted) return { scope: EVERY_ROW, set: undefined };
    const key = `${name}\u0000${action}`;
    if (grants.has(key)) return grants.get(key);
    const roles = permissions as Record<
      string,
      Record<string, Record<string, Grant> | undefined> | undefined
    >;
    const grant = Object.hasOwn(roles, identity.role) ? roles[identity.role]?.[name]?.[action] : undefined;
    let resolved: Allowed | undefined;
    if (grant === true) resolved = { scope: EVERY_ROW, set: undefined };
    else if (grant && typeof grant === "object") {
      resolved = { scope: EVERY_ROW, set: undefined };
      if (grant.filter) resolved.scope = parseRowFilter(name, action, grant.filter(identity as never));
      if (grant.set) resolved.set = parseSet(name, grant.set(identity as never));
    }
    grants.set(key, resolved);
    return resolved;
  };

  const parseRowFilter = (name: string, action: string, filter: unknown): FilterNode => {
    const parsed = parseFilter(filter, modelOf(name), {
      registry,
      maxDepth: TRUSTED_MAX_DEPTH,
      isJsonFilterable: anyNull !== undefined,
      isTrusted: true,
    });
    // A broken rule is the app's bug: fail closed, as a logged 500, never as "every row".
    if (!parsed.ok) {
      throw new Error(
        `The ${action} filter of ${name} for role "${identity?.role}" is invalid at ${parsed.path}: ${parsed.message}`,
      );
    }
    return parsed.value;
  };

  const parseSet = (name: string, data: unknown): Record<string, unknown> => {
    const translated = translateData(data, modelOf(name), {
      isTrusted: true,
      dbNull: settings.dbNull,
      path: "set",
    });
    if (!translated.ok) {
      throw new Error(
        `The create set of ${name} for role "${identity?.role}" is invalid at ${translated.path}: ${translated.message}`,
      );
    }
    return translated.data;
  };

  /** The grant for `action` on `name`; throws 403 when the role may not. */
  const require = (name: string, action: ModelAction): Allowed => {
    const grant = allowed(name, action);
    if (!grant) {
      throw new HttpError("FORBIDDEN", `Not allowed to ${action} ${modelOf(name).name} records`);
    }
    return grant;
  };

  /** The read scope of a related model, for filters and selections that reach it. */
  const readScope = (name: string): FilterNode => allowed(name, "read")?.scope ?? NO_ROW;

  /**
   * The Prisma `where` for `action` on `name`: the caller's filter, with every relation it reaches
   * limited to readable rows, AND the grant's row filter. Throws 403 when denied, 400 with the
   * path when the filter is invalid.
   */
  const where = (name: string, action: ModelAction, filter?: unknown, extra?: PrismaWhere): PrismaWhere => {
    const grant = require(name, action);
    const model = modelOf(name);
    const parsed = parseFilter(filter, model, {
      registry,
      maxDepth: settings.maxDepth,
      isJsonFilterable: anyNull !== undefined,
      isTrusted,
    });
    if (!parsed.ok) {
      throw new HttpError("INVALID_FILTER", `Invalid filter at ${parsed.path}: ${parsed.message}`, {
        details: { path: parsed.path },
      });
    }
    const callerNode = isTrusted ? parsed.value : scopeRelations(parsed.value, readScope);
    const node: FilterNode = { type: "and", nodes: [callerNode, grant.scope] };
    const translated = whereOf(node, model, anyNull);
    return extra ? { AND: [extra, translated] } : translated;
  };

  /** The Prisma `where` of the rows `action` may reach on `name`, without a caller filter. */
  const scopeWhere = (name: string, action: ModelAction): PrismaWhere | undefined => {
    const { scope } = require(name, action);
    return scope === EVERY_ROW ? undefined : whereOf(scope, modelOf(name), anyNull);
  };

  return { isTrusted, identity, registry, allowed, require, where, scopeWhere, modelOf };
}

export type Access = ReturnType<typeof createAccess>;
