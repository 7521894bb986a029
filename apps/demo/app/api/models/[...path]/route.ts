// The model API for the browser's hooks, with the caller's permissions; `_live` streams changes.
import { serveModels } from "@sprocket/server/models";
import { lazyLiveFeed } from "@/lib/live";
import { models } from "@/lib/models";
import { appRoute } from "@/lib/route";

export const dynamic = "force-dynamic";
// Live streams stay open until the platform's limit; the browser reconnects and refetches.
export const maxDuration = 300;

export const { GET, POST, PATCH, DELETE } = serveModels({ models, route: appRoute, live: lazyLiveFeed });
