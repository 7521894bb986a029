// The demo's route factory: every route's `api` is the model API scoped to the caller's identity,
// and `connections.openai` is the chat model's client.
import { HttpError, route } from "@sprocket/server";
import type { Identity } from "@sprocket/server/auth";
import type { ModelApi } from "@sprocket/server/models";
import { SHOPIFY_ADMIN_ROLE, type ShopifyProxyConnection } from "@sprocket/server/shopify";
import type OpenAI from "openai";
import { modelApi } from "./api";
import { identifyRequest } from "./auth";
import type { Models } from "./models";
import { openai } from "./openai";
import type { DemoIdentity } from "./permissions";
import { isWidgetIdentity } from "./widget/identity";

declare module "@sprocket/server" {
  interface Register {
    api: ModelApi<Models>;
    // `shopify` is there on app-proxy and admin routes (lib/shopify.ts); elsewhere touching it is a 500.
    connections: { openai: OpenAI; shopify: ShopifyProxyConnection };
  }
}

/** The identity the demo's permissions understand; anything else has no rights. */
export function demoIdentity(identity: Identity): DemoIdentity {
  if (identity.role === "signed-in" && identity.user) return { role: "signed-in", user: identity.user };
  if (isWidgetIdentity(identity)) return { role: "widget-visitor", owner: identity.owner };
  const { shop } = identity as { shop?: unknown };
  if (identity.role === SHOPIFY_ADMIN_ROLE && typeof shop === "string")
    return { role: "shopify-admin", shop };
  return { role: "unauthenticated" };
}

// Who each request is, for code that needs the identity itself (rate limits by user).
const identities = new WeakMap<Request, DemoIdentity>();

/**
 * The identity `appRoute` found for a request; unauthenticated for requests it did not see.
 *
 * @example
 * const identity = identityOf(request.raw);
 */
export function identityOf(request: Request): DemoIdentity {
  return identities.get(request) ?? { role: "unauthenticated" };
}

const connections = {
  get openai() {
    return openai();
  },
  get shopify(): ShopifyProxyConnection {
    throw new HttpError(
      "NOT_CONFIGURED",
      "connections.shopify exists on app-proxy and admin routes only (proxyRoute, adminRoute)",
    );
  },
};

/** `route` with the request's role-scoped `api` and the app's connections in the context. */
export const appRoute = route.with({
  context: async ({ request }) => {
    const identity = demoIdentity(await identifyRequest(request.raw));
    identities.set(request.raw, identity);
    return { api: modelApi().forIdentity(identity), connections };
  },
});
