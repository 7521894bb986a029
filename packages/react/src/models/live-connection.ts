/** The parts of the browser's `EventSource` the live connection uses, so tests and polyfills fit. */
export interface EventSourceLike {
  readonly readyState: number;
  addEventListener(type: string, listener: (event: MessageEvent) => void): void;
  close(): void;
}

export type EventSourceConstructor = new (
  url: string,
  init?: { withCredentials?: boolean },
) => EventSourceLike;

/** One change the server announces on the live stream. */
export interface LiveChange {
  model: string;
  action: "create" | "update" | "delete";
  id: string;
}

/** `EventSource.CLOSED`: the browser gave up and will not reconnect by itself. */
const CLOSED = 2;

/** Reopening a stream the browser gave up on starts after this delay and doubles up to the next. */
export const REOPEN_DELAY_MS = 1_000;
export const MAX_REOPEN_DELAY_MS = 60_000;

export interface LiveConnectionOptions {
  /** The stream URL for a sorted list of model names. */
  url(models: readonly string[]): string;
  EventSource: EventSourceConstructor;
  withCredentials: boolean;
  /** Refreshes what a model's change made stale; calls for one model never overlap. */
  refresh(model: string): Promise<void>;
}

export interface LiveConnection {
  /** Adds a reader of `model`'s changes; returns the function that removes it. */
  subscribe(model: string): () => void;
}

interface OpenStream {
  source: EventSourceLike;
  models: string;
  reopenTimer?: ReturnType<typeof setTimeout>;
}

/**
 * One server-sent event stream shared by every live reader, carrying the union of their models.
 * When that set changes, the new stream opens before the old one closes, so no change falls into
 * the gap. A change refreshes its model; after any reconnect every subscribed model is refreshed,
 * since changes may have been missed meanwhile. A burst of changes to one model runs at most one
 * refresh at a time and one more after it.
 *
 * @example
 * const connection = createLiveConnection({ url, EventSource, withCredentials: false, refresh });
 * const unsubscribe = connection.subscribe("chat");
 */
export function createLiveConnection({
  url,
  EventSource,
  withCredentials,
  refresh,
}: LiveConnectionOptions): LiveConnection {
  const readers = new Map<string, number>();
  const running = new Set<string>();
  const dirty = new Set<string>();
  /** The stream delivering changes, and the one opening to replace it when the model set changed. */
  let current: OpenStream | undefined;
  let pending: OpenStream | undefined;
  let isSyncScheduled = false;

  const refreshOnce = (model: string) => {
    if (!readers.has(model)) return;
    if (running.has(model)) {
      dirty.add(model);
      return;
    }
    running.add(model);
    refresh(model)
      .catch(() => undefined)
      .finally(() => {
        running.delete(model);
        if (dirty.delete(model)) refreshOnce(model);
      });
  };

  const open = (models: string[], delay = REOPEN_DELAY_MS, isReopen = false): OpenStream => {
    const stream: OpenStream = {
      source: new EventSource(url(models), { withCredentials }),
      models: models.join(","),
    };
    let hasOpened = false;
    stream.source.addEventListener("open", () => {
      // The browser reconnects by itself after a dropped connection; either way, changes were missed.
      if (hasOpened || isReopen) for (const model of readers.keys()) refreshOnce(model);
      hasOpened = true;
      // The replaced stream kept delivering until this one was ready.
      if (stream === pending) {
        close(current);
        current = stream;
        pending = undefined;
      }
    });
    stream.source.addEventListener("change", (event) => {
      const change = parseChange(event.data);
      if (change) refreshOnce(change.model);
    });
    stream.source.addEventListener("error", () => {
      if (stream.source.readyState !== CLOSED || stream.reopenTimer) return;
      stream.reopenTimer = setTimeout(() => {
        if (stream !== current && stream !== pending) return;
        const next = open(models, Math.min(delay * 2, MAX_REOPEN_DELAY_MS), true);
        if (stream === current) current = next;
        else pending = next;
      }, delay);
    });
    return stream;
  };

  const sync = () => {
    isSyncScheduled = false;
    const models = [...readers.keys()].sort();
    if (models.join(",") === (pending ?? current)?.models) return;
    close(pending);
    pending = undefined;
    if (models.length === 0) {
      close(current);
      current = undefined;
    } else if (current) {
      pending = open(models);
    } else {
      current = open(models);
    }
  };

  // Mounting a page of live hooks changes the model set many times in one task: open once.
  const scheduleSync = () => {
    if (isSyncScheduled) return;
    isSyncScheduled = true;
    queueMicrotask(sync);
  };

  return {
    subscribe(model) {
      readers.set(model, (readers.get(model) ?? 0) + 1);
      scheduleSync();
      let isSubscribed = true;
      return () => {
        if (!isSubscribed) return;
        isSubscribed = false;
        const count = (readers.get(model) ?? 1) - 1;
        if (count === 0) readers.delete(model);
        else readers.set(model, count);
        scheduleSync();
      };
    },
  };
}

function close(stream: OpenStream | undefined): void {
  if (!stream) return;
  stream.source.close();
  clearTimeout(stream.reopenTimer);
}

function parseChange(data: unknown): LiveChange | undefined {
  if (typeof data !== "string") return undefined;
  try {
    const change: unknown = JSON.parse(data);
    if (typeof change === "object" && change !== null && typeof (change as LiveChange).model === "string") {
      return change as LiveChange;
    }
  } catch {
    // A malformed event is skipped; the next reconnect refreshes everything anyway.
  }
  return undefined;
}
