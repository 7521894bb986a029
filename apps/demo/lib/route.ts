// The demo's route factory: every route's `api` is the model API scoped to the caller's identity.
import { route } from "@sprocket/server";
import type { Identity } from "@sprocket/server/auth";
import type { ModelApi } from "@sprocket/server/models";
import { modelApi } from "./api";
import { identifyRequest } from "./auth";
import type { Models } from "./models";
import type { DemoIdentity } from "./permissions";

declare module "@sprocket/server" {
  interface Register {
    api: ModelApi<Models>;
  }
}

/** The identity the demo's permissions understand; anything else has no rights. */
export function demoIdentity(identity: Identity): DemoIdentity {
  if (identity.role === "signed-in" && identity.user) return { role: "signed-in", user: identity.user };
  return { role: "unauthenticated" };
}

/** `route` with the request's role-scoped `api` in the context. */
export const appRoute = route.with({
  context: async ({ request }) => ({
    api: modelApi().forIdentity(demoIdentity(await identifyRequest(request.raw))),
  }),
});
