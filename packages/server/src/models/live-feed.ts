import type { ModelChange } from "./model-manager.js";

/** What live subscribers learn of a change: which model, and how. Never the row or its id. */
export interface LiveChange {
  model: string;
  action: ModelChange["action"];
}

/** Carries committed changes from the model API to live subscribers, in this process or across instances. */
export interface LiveFeed {
  /** Announces a change; pass it as the model API's `onChange`. */
  publish(change: ModelChange): void;
  /** Calls `listener` for every change until the returned function is called. */
  subscribe(listener: (change: LiveChange) => void): () => void;
  /** Stops listening and releases the connection, if any. */
  close(): Promise<void>;
}

/**
 * A feed within one process: enough for one app instance, and for the embedded database, whose
 * single shared session cannot carry notifications between connections.
 *
 * @example
 * const feed = createMemoryFeed();
 * const modelApi = createModelApi({ prisma, models, permissions, onChange: feed.publish });
 */
export function createMemoryFeed(): LiveFeed {
  const listeners = new Set<(change: LiveChange) => void>();
  const deliver = (change: LiveChange) => {
    for (const listener of listeners) {
      try {
        listener(change);
      } catch {
        // One broken subscriber must not starve the others.
      }
    }
  };
  return {
    publish: ({ model, action }) => deliver({ model, action }),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => listeners.clear(),
  };
}

/** The part of a `pg` Client the PostgreSQL feed uses. */
export interface PgClientLike {
  connect(): Promise<unknown>;
  query(text: string, values?: unknown[]): Promise<unknown>;
  on(event: "notification", listener: (message: { channel: string; payload?: string }) => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  end(): Promise<unknown>;
}

/** Options for {@link createPostgresFeed}. */
export interface PostgresFeedOptions {
  /**
   * Creates a client on a direct, unpooled connection (`new pg.Client({ connectionString:
   * DIRECT_DATABASE_URL })`): transaction poolers such as PgBouncer or Neon's pooled URL drop LISTEN.
   */
  createClient: () => PgClientLike;
  /** The NOTIFY channel every instance shares. Default: "sprocket_changes". */
  channel?: string;
  /** Called when the connection fails; the feed reconnects on its own. Default: none. */
  onError?: (error: Error) => void;
  /** Milliseconds before reconnecting after a failure, doubling up to 30 s. Default: 500. */
  retryDelayMs?: number;
}

const CHANNEL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const MAX_RETRY_DELAY_MS = 30_000;

/**
 * A feed across app instances through PostgreSQL's LISTEN/NOTIFY: each instance publishes with
 * `pg_notify` and hears every instance's changes, its own included, on one dedicated connection.
 * A lost connection is re-established with backoff; changes sent while it was down are missed,
 * which is why subscribers refetch everything after reconnecting.
 *
 * @example
 * const feed = createPostgresFeed({
 *   createClient: () => new pg.Client({ connectionString: process.env.DIRECT_DATABASE_URL }),
 * });
 */
export function createPostgresFeed({
  createClient,
  channel = "sprocket_changes",
  onError,
  retryDelayMs = 500,
}: PostgresFeedOptions): LiveFeed {
  if (!CHANNEL_NAME.test(channel))
    throw new TypeError(`channel must be a lower-case SQL identifier, got ${channel}`);
  const local = createMemoryFeed();
  let client: PgClientLike | undefined;
  let connecting: Promise<PgClientLike | undefined> | undefined;
  let isClosed = false;
  let delay = retryDelayMs;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const fail = (error: Error) => {
    onError?.(error);
    const failed = client;
    client = undefined;
    connecting = undefined;
    void failed?.end().catch(() => {});
    if (isClosed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, delay);
    retryTimer.unref?.();
    delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
  };

  const connect = (): Promise<PgClientLike | undefined> => {
    if (isClosed) return Promise.resolve(undefined);
    connecting ??= (async () => {
      const next = createClient();
      next.on("error", fail);
      next.on("notification", ({ channel: from, payload }) => {
        if (from !== channel || payload === undefined) return;
        const change = parseChange(payload);
        if (change) local.publish({ ...change, id: "" });
      });
      try {
        await next.connect();
        await next.query(`LISTEN ${channel}`);
      } catch (error) {
        fail(error instanceof Error ? error : new Error(String(error)));
        return undefined;
      }
      client = next;
      delay = retryDelayMs;
      return next;
    })();
    return connecting;
  };

  return {
    publish({ model, action }) {
      void (async () => {
        const target = client ?? (await connect());
        // No await on the response path: publishing is best effort, and a failure reconnects.
        await target?.query("SELECT pg_notify($1, $2)", [channel, JSON.stringify({ model, action })]);
      })().catch((error: unknown) => fail(error instanceof Error ? error : new Error(String(error))));
    },
    subscribe(listener) {
      void connect();
      return local.subscribe(listener);
    },
    async close() {
      isClosed = true;
      clearTimeout(retryTimer);
      await local.close();
      const open = client ?? (await connecting);
      client = undefined;
      await open?.end().catch(() => {});
    },
  };
}

function parseChange(payload: string): LiveChange | undefined {
  try {
    const value: unknown = JSON.parse(payload);
    const { model, action } = (value ?? {}) as Record<string, unknown>;
    if (typeof model !== "string" || !["create", "update", "delete"].includes(action as string))
      return undefined;
    return { model, action: action as LiveChange["action"] };
  } catch {
    return undefined;
  }
}
