// Replays one stored webhook delivery now, for the inbox page's Replay button: the demo's handler
// runs again with a fresh count of attempts, and the answer is the outcome. Operators only
// (ADMIN_EMAILS), checked on every call; anyone else, signed in or not, gets 404 as for an unknown
// id, so the route does not reveal that it exists. Same-site requests only.
import { HttpError, type OnRequestHook, type RouteHandler } from "@sprocket/server";
import { isOperator } from "@/lib/operators";
import { appRoute, identityOf } from "@/lib/route";
import { replayWebhook } from "@/lib/webhooks";

export const dynamic = "force-dynamic";

/**
 * Refuses requests another site made. Browsers send `Sec-Fetch-Site`, which pages cannot forge;
 * without it the `Origin` must name the host the request was sent to. The session cookie is
 * SameSite=Lax as well, so a cross-site POST carries no session anyway.
 */
const sameSiteOnly: OnRequestHook = ({ request }) => {
  const fetchSite = request.headers["sec-fetch-site"];
  if (fetchSite !== undefined) {
    if (fetchSite !== "same-origin") throw new HttpError("FORBIDDEN", "Cross-site requests are refused");
    return;
  }
  const origin = request.headers.origin;
  const host = request.headers["x-forwarded-host"] ?? request.headers.host;
  if (origin === undefined || host === undefined || !hasHost(origin, host)) {
    throw new HttpError("FORBIDDEN", "Cross-site requests are refused");
  }
};

function hasHost(origin: string, host: string): boolean {
  try {
    return new URL(origin).host === host.split(",")[0]?.trim();
  } catch {
    return false;
  }
}

const handler: RouteHandler = async ({ request, reply, logger }) => {
  const identity = identityOf(request.raw);
  if (!(await isOperator(identity))) throw new HttpError("NOT_FOUND");
  const id = request.params.id;
  if (typeof id !== "string") throw new HttpError("NOT_FOUND");
  const outcome = await replayWebhook(id);
  if (outcome === "not-found") throw new HttpError("NOT_FOUND", "No such delivery");
  if (outcome === "busy")
    throw new HttpError("CONFLICT", "The delivery is being processed right now; try again shortly");
  if (identity.role === "signed-in")
    logger.info({ webhookEventId: id, outcome, operator: identity.user.id }, "Webhook delivery replayed");
  return await reply.header("cache-control", "no-store").send({ id, outcome });
};

export const POST = appRoute(handler, { onRequest: sameSiteOnly });
