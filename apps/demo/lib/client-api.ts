// The model API client for the browser. The server's model registry is imported for its types
// alone, so no server code (Prisma, auth) reaches the bundle; "client-only" makes importing this
// from a server component a build error instead of a client reference that fails when called.
import "client-only";
import { createApiClient } from "@sprocket/react";
import type { ApiSchemaOf } from "@sprocket/server/models";
import type { Models } from "./models";

/** The demo's models over `/api/models`, typed by the registry in lib/models.ts. */
export const api = createApiClient<ApiSchemaOf<Models>>();

/** The wire types of each model: `Schema["chat"]["record"]` is a chat as the browser receives it. */
export type Schema = ApiSchemaOf<Models>;
