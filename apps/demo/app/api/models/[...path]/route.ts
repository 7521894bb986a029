// The model API for the browser's hooks, with the caller's permissions; `_live` streams changes.
import type { OnRequestHook } from "@sprocket/server";
import { serveModels } from "@sprocket/server/models";
import { liveFeed } from "@/lib/live";
import { models } from "@/lib/models";
import { appRoute, identityOf } from "@/lib/route";
import { addressKey, widgetLimiters } from "@/lib/widget/limits";

export const dynamic = "force-dynamic";
// Live streams stay open until the platform's limit; the browser reconnects and refetches.
export const maxDuration = 300;

/** Widget visitors' writes, per client address: anyone may be a visitor, so they are counted. */
const limitWidgetWrites: OnRequestHook = async (context) => {
  if (context.request.method === "GET" || identityOf(context.request.raw).role !== "widget-visitor") return;
  await widgetLimiters().writes.hook(({ request }) => addressKey(request.ip))(context);
};

export const { GET, POST, PATCH, DELETE } = serveModels({
  models,
  route: appRoute.with({ onRequest: limitWidgetWrites }),
  live: liveFeed,
});
