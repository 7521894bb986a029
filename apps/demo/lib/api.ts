// The demo's model API: one factory for the process, and a role-scoped `api` per request.
import { createModelApi } from "@sprocket/server/models";
import { db } from "./db";
import { Prisma } from "./generated/prisma/client";
import { liveFeed } from "./live";
import { models } from "./models";
import { type DemoIdentity, permissions } from "./permissions";

function create() {
  const feed = liveFeed();
  return createModelApi<typeof models, DemoIdentity>({
    prisma: db(),
    Prisma,
    models,
    permissions,
    onChange: feed.publish,
  });
}

/** The model API factory, created on first use (not at import: `next build` loads routes without a database). */
export function modelApi() {
  modelApi_ ??= create();
  return modelApi_;
}
let modelApi_: ReturnType<typeof create> | undefined;
