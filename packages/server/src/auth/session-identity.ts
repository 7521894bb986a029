import type { Identity, IdentitySource } from "./identity.js";

/** The role of a request that a signed-in session identified. */
export const SIGNED_IN_ROLE = "signed-in";

/** What {@link sessionIdentity} reads from a session lookup: better-auth's `{ session, user }`. */
export interface SessionLookup {
  session: { id: string };
  user: { id: string; email: string; name?: string | null };
}

/**
 * The part of a better-auth instance that {@link sessionIdentity} uses. Structural, so this package
 * needs no better-auth at runtime: `betterAuth({ ... })` fits it, and so does a test double.
 */
export interface SessionAuth {
  api: {
    /** Resolves the session the request's cookie names, or `null` when there is none or it ended. */
    getSession(context: { headers: Headers }): Promise<SessionLookup | null>;
  };
}

/**
 * The signed-in cookie session of a better-auth instance as an identity source: role "signed-in"
 * with the user and session id, or `undefined` (the next source is tried) when the request carries
 * no live session. Errors from the session lookup are not caught here: {@link identify} turns them
 * into a 500.
 *
 * @example
 * import { identify, sessionIdentity } from "@sprocket/server/auth";
 * import { auth } from "@/lib/auth";
 *
 * const identity = await identify(request, [sessionIdentity(auth)]);
 */
export function sessionIdentity(auth: SessionAuth): IdentitySource {
  if (typeof auth?.api?.getSession !== "function") {
    throw new TypeError("sessionIdentity() takes a better-auth instance (with api.getSession)");
  }
  return async (request) => {
    const found = await auth.api.getSession({ headers: request.headers });
    if (!found) return undefined;
    const { session, user } = found;
    const identity: Identity = {
      role: SIGNED_IN_ROLE,
      user: { id: user.id, email: user.email, name: user.name ?? null },
      sessionId: session.id,
    };
    return identity;
  };
}
