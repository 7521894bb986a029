import { HttpError } from "../errors/http-error.js";
import { type Identity, type IdentitySource, UNAUTHENTICATED } from "./identity.js";

/**
 * The first identity a source returns, else {@link UNAUTHENTICATED}.
 *
 * A source that throws (the session store is down, a token is malformed past parsing) rejects with
 * a 500 `HttpError` whose `cause` is the original error. It is not a silent downgrade to
 * "unauthenticated": that would sign every user out during an outage, and would hand their requests
 * whatever the unauthenticated role may do. The message names no source and quotes no cause, so the
 * route's error boundary logs the cause and the caller learns nothing from it. A source that returns
 * something without a `role` is a bug and fails the same way.
 *
 * A source that throws a `Response` refuses the request on purpose (Shopify's style: a session token
 * that fails its checks is a 401 App Bridge retries); that `Response` is rethrown as it is, for the
 * route's boundary to send.
 *
 * @example
 * const identity = await identify(request, [sessionIdentity(auth)]);
 * if (identity.role === "signed-in") console.log(identity.user.email);
 */
export async function identify(request: Request, sources: readonly IdentitySource[]): Promise<Identity> {
  for (const source of sources) {
    let identity: Identity | undefined;
    try {
      identity = await source(request);
    } catch (error) {
      if (error instanceof Response) throw error;
      throw new HttpError("INTERNAL_SERVER_ERROR", "Could not identify the request", { cause: error });
    }
    if (identity === undefined) continue;
    if (typeof identity?.role !== "string" || identity.role === "") {
      throw new HttpError("INTERNAL_SERVER_ERROR", "Could not identify the request", {
        cause: new TypeError("An identity source returned a value without a role"),
      });
    }
    return identity;
  }
  return UNAUTHENTICATED;
}
