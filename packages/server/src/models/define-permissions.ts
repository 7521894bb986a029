import { isPlainObject } from "../_internal/is-plain-object.js";
import type { FilterOf, WriteOf } from "./model-types.js";
import type { ModelRegistry } from "./types.js";

/** The actions a role may be granted on a model. */
export const MODEL_ACTIONS = ["read", "create", "update", "delete"] as const;
export type ModelAction = (typeof MODEL_ACTIONS)[number];

/** Who is asking, as permission rules see it: at least a role. */
export interface PermissionIdentity {
  role: string;
}

/**
 * A granted action. `true` grants it on every row. An object limits it:
 * - `filter` returns a row filter (Gadget's filter language, trusted: any declared field) built from
 *   the identity. Reads, updates and deletes reach only matching rows; others behave as absent.
 *   Creates and updates must leave a matching row, or they are refused with 403 and undone.
 * - `set` (creates only) returns fields written over whatever the caller sent, e.g. the owner.
 */
export type Grant<Registry extends ModelRegistry, Name extends keyof Registry, Identity> =
  | boolean
  | {
      filter?: (identity: Identity) => FilterOf<Registry, Name>;
      set?: (identity: Identity) => WriteOf<Registry, Name, Date, true>;
    };

/** What one role may do with each model. A model or action left out is denied. */
export type RolePermissions<Registry extends ModelRegistry, Identity> = {
  [Name in keyof Registry]?: { [Action in ModelAction]?: Grant<Registry, Name, Identity> };
};

/**
 * Every role's permissions, keyed by role name. A role left out may do nothing. When `Identity` is
 * a union discriminated by `role`, each role's rules receive that role's identity type.
 */
export type Permissions<Registry extends ModelRegistry, Identity extends PermissionIdentity> = {
  readonly [Role in Identity["role"]]?: RolePermissions<Registry, Extract<Identity, { role: Role }>>;
};

/**
 * Checks a permission table once, at start-up: roles hold only registered models, actions are
 * read / create / update / delete, grants are `true` or `{ filter?, set? }` with functions, and
 * `set` appears on creates only. Throws a `TypeError` naming the first problem. Denial is the
 * default: only what is listed is allowed.
 *
 * @example
 * export const permissions = definePermissions(models, {
 *   unauthenticated: {},
 *   "signed-in": {
 *     chat: {
 *       read: { filter: ({ user }) => ({ userId: { equals: user.id } }) },
 *       create: { set: ({ user }) => ({ user: { _link: user.id } }) },
 *     },
 *   },
 * });
 */
export function definePermissions<Registry extends ModelRegistry, Identity extends PermissionIdentity>(
  models: Registry,
  permissions: Permissions<Registry, Identity>,
): Permissions<Registry, Identity> {
  if (!isPlainObject(permissions)) throw new TypeError("permissions must be an object of roles");
  for (const [role, models_] of Object.entries(permissions)) {
    if (!isPlainObject(models_)) throw new TypeError(`permissions.${role} must be an object of models`);
    for (const [name, actions] of Object.entries(models_)) {
      const path = `permissions[${JSON.stringify(role)}].${name}`;
      if (!Object.hasOwn(models, name)) throw new TypeError(`${path}: no model is registered as "${name}"`);
      if (!isPlainObject(actions)) throw new TypeError(`${path} must be an object of actions`);
      for (const [action, grant] of Object.entries(actions)) {
        assertGrant(`${path}.${action}`, action, grant);
      }
    }
  }
  return permissions;
}

function assertGrant(path: string, action: string, grant: unknown): void {
  if (!(MODEL_ACTIONS as readonly string[]).includes(action)) {
    throw new TypeError(`${path}: unknown action; expected one of ${MODEL_ACTIONS.join(", ")}`);
  }
  if (grant === true || grant === undefined || grant === false) return;
  if (!isPlainObject(grant)) throw new TypeError(`${path} must be true or { filter?, set? }`);
  for (const [key, value] of Object.entries(grant)) {
    if (key !== "filter" && key !== "set") throw new TypeError(`${path}.${key}: expected filter or set`);
    if (typeof value !== "function") throw new TypeError(`${path}.${key} must be a function of the identity`);
    if (key === "set" && action !== "create") throw new TypeError(`${path}.set applies to create only`);
  }
}
