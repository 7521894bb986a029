// Where live queries hear about changes. With DIRECT_DATABASE_URL (an unpooled connection to a real
// PostgreSQL server), every app instance shares changes through LISTEN/NOTIFY; without it, changes
// travel within this process only, which is what the embedded database supports.
import { createMemoryFeed, createPostgresFeed, type LiveFeed } from "@sprocket/server/models";
import pg from "pg";
import { config } from "./config";

const globalForLive = globalThis as { sprocketLiveFeed?: LiveFeed };

/** The process's live feed, created on first use. */
export function liveFeed(): LiveFeed {
  globalForLive.sprocketLiveFeed ??= create();
  return globalForLive.sprocketLiveFeed;
}

/**
 * {@link liveFeed} for module scope: it creates the feed on its first call, not at import, since
 * `next build` evaluates route modules without the environment the feed's settings come from.
 *
 * @example
 * export const { GET } = serveModels({ models, route: appRoute, live: lazyLiveFeed });
 */
export const lazyLiveFeed: LiveFeed = {
  publish: (change) => liveFeed().publish(change),
  subscribe: (listener) => liveFeed().subscribe(listener),
  close: () => liveFeed().close(),
};

function create(): LiveFeed {
  const { directDatabaseUrl } = config();
  if (!directDatabaseUrl) return createMemoryFeed();
  return createPostgresFeed({
    createClient: () => new pg.Client({ connectionString: directDatabaseUrl }),
    onError: (error) =>
      console.error(JSON.stringify({ level: 50, msg: "live feed connection failed", err: error.message })),
  });
}
