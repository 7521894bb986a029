import { useEffect } from "react";
import { type Cache, type ScopedMutator, useSWRConfig } from "swr";
import { createLiveConnection, type EventSourceConstructor, type LiveConnection } from "./live-connection.js";
import { revalidateModel } from "./revalidate-model.js";

/** The path of the live stream under the models endpoint. */
export const LIVE_PATH = "/_live";

/** One connection per SWR cache and endpoint, shared by every live hook reading from them. */
const connections = new WeakMap<Cache, Map<string, LiveConnection>>();

/**
 * The `EventSource` to use: the client's, else the environment's, else undefined (server rendering,
 * old runtimes), where live hooks fall back to slow polling.
 *
 * @example
 * const EventSource = eventSourceOf(descriptor.EventSource);
 */
export function eventSourceOf(
  EventSource: EventSourceConstructor | undefined,
): EventSourceConstructor | undefined {
  return EventSource ?? (globalThis.EventSource as EventSourceConstructor | undefined);
}

/**
 * Keeps the cached reads of `model` fresh from the endpoint's live stream while `isEnabled`.
 *
 * @example
 * useLiveModel({ isEnabled: live, endpoint, model: "chat", EventSource, withCredentials: false });
 */
export function useLiveModel({
  isEnabled,
  endpoint,
  model,
  EventSource,
  withCredentials,
}: {
  isEnabled: boolean;
  /** The resolved endpoint URL. */
  endpoint: string;
  model: string;
  EventSource: EventSourceConstructor | undefined;
  withCredentials: boolean;
}): void {
  const { cache, mutate } = useSWRConfig();
  useEffect(() => {
    if (!isEnabled || !EventSource) return;
    return connectionFor({ cache, mutate }, endpoint, EventSource, withCredentials).subscribe(model);
  }, [isEnabled, cache, mutate, endpoint, model, EventSource, withCredentials]);
}

function connectionFor(
  swr: { cache: Cache; mutate: ScopedMutator },
  endpoint: string,
  EventSource: EventSourceConstructor,
  withCredentials: boolean,
): LiveConnection {
  const byEndpoint = connections.get(swr.cache) ?? new Map<string, LiveConnection>();
  connections.set(swr.cache, byEndpoint);
  let connection = byEndpoint.get(endpoint);
  if (!connection) {
    connection = createLiveConnection({
      url: (models) => `${endpoint}${LIVE_PATH}?models=${models.map(encodeURIComponent).join(",")}`,
      EventSource,
      withCredentials,
      refresh: (model) => revalidateModel(swr, endpoint, model),
    });
    byEndpoint.set(endpoint, connection);
  }
  return connection;
}
