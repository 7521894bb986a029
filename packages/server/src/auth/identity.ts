/**
 * Who is making a request, as the permission rules see it.
 *
 * @example
 * const identity: Identity = { role: "signed-in", user: { id, email, name: null }, sessionId };
 */
export interface Identity {
  /** The role whose permissions apply: "unauthenticated", "signed-in", "storefront-customer", "shopify-admin", ... */
  role: string;
  /** The signed-in user, when role is "signed-in". */
  user?: { id: string; email: string; name: string | null };
  /** The session id, when a session identified the request. */
  sessionId?: string;
}

/**
 * The identity of a request no source recognised. Frozen: it is shared by every such request, so
 * one route mutating it must not change who the next request is.
 *
 * @example
 * if (identity.role === UNAUTHENTICATED.role) throw new HttpError("UNAUTHORIZED");
 */
export const UNAUTHENTICATED: Identity = Object.freeze({ role: "unauthenticated" });

/**
 * Tells who made a request, or `undefined` when this source does not apply (no cookie, no
 * signature, ...). Sources are tried in order by {@link identify}.
 *
 * @example
 * const fromApiKey: IdentitySource = (request) =>
 *   request.headers.get("x-api-key") === process.env.ADMIN_KEY ? { role: "shop-admin" } : undefined;
 */
export type IdentitySource = (request: Request) => Identity | undefined | Promise<Identity | undefined>;
