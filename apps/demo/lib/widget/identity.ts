// An identity source for the widget: a request with `Authorization: Bearer <widget token>` is the
// token's visitor or customer. A widget token that fails its checks (expired, forged) is a plain 401,
// which the frame answers by asking for a new token; other bearer tokens (Shopify's session tokens)
// are left to their own sources, which would answer with Shopify's retry header.
import type { Identity, IdentitySource } from "@sprocket/server/auth";
import { config } from "../config";
import { claimsWidgetIssuer, verifyWidgetToken, type WidgetOwner } from "./token";

/** The role of requests from the embedded chat widget. */
export const WIDGET_ROLE = "widget-visitor";

/** A widget request's identity: whose conversations it may read and write. */
export interface WidgetIdentity extends Identity {
  role: typeof WIDGET_ROLE;
  owner: WidgetOwner;
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

/**
 * The widget's identity source. Without WIDGET_TOKEN_SECRET it recognises nothing.
 *
 * @example
 * const identity = await identify(request, [widgetIdentity(), sessionIdentity(auth())]);
 */
export function widgetIdentity(): IdentitySource {
  return async (request) => {
    const token = BEARER.exec(request.headers.get("authorization") ?? "")?.[1];
    const secret = config().widget.tokenSecret;
    if (!token || !secret) return undefined;
    const result = await verifyWidgetToken(token, secret);
    if (!result.ok) {
      // The body and headers say nothing of which check failed.
      if (claimsWidgetIssuer(token))
        throw new Response(undefined, { status: 401, statusText: "Unauthorized" });
      return undefined;
    }
    const identity: WidgetIdentity = { role: WIDGET_ROLE, owner: result.owner };
    return identity;
  };
}

/**
 * Whether an identity came from {@link widgetIdentity}.
 *
 * @example
 * if (isWidgetIdentity(identity)) console.log(identity.owner.kind);
 */
export function isWidgetIdentity(identity: Identity): identity is WidgetIdentity {
  return identity.role === WIDGET_ROLE && "owner" in identity;
}
