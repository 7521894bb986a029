import { useEffect, useState, useSyncExternalStore } from "react";
import { useSprocket } from "../provider.js";
import { createFetchStore, type FetchOptions, type FetchState } from "./create-fetch-store.js";

/** What `useFetch` returns: the state, and `send` resolving to `U` (undefined when aborted). */
export type FetchResult<T, U = T> = [
  FetchState<T>,
  (options?: Partial<FetchOptions>) => Promise<U | undefined>,
];

/**
 * Sends an HTTP request to the app through the provider's fetch (so `baseUrl` and the auth source
 * apply) and follows its answer, as Gadget's `useFetch` does. GET requests are sent on mount and
 * again when the path or options change; other methods wait for `send()`; `sendImmediately`
 * overrides both. `send(options)` merges per-call options over the hook's, aborts the request in
 * flight, and resolves to the answer, or to undefined once aborted; unmounting and a `signal` in
 * the options abort too. Aborts are not errors: `error` is set, and `send` rejects, only when the
 * request failed.
 *
 * The answer is the text by default, parsed JSON with `json: true`, the body stream with
 * `stream: true`, or with `stream: "string"` (or an encoding label) the text so far while
 * `streaming` is true. A streaming text re-renders at most once per animation frame, renders
 * sixteen times their cost plus a millisecond apart.
 *
 * @example
 * const [{ data: answer, streaming, error }, ask] = useFetch("/chat", {
 *   method: "POST",
 *   headers: { "content-type": "application/json" },
 *   stream: "string",
 * });
 * // <form onSubmit={() => void ask({ body: JSON.stringify({ message }) })}>
 */
export function useFetch(
  path: string,
  options: { stream: string } & FetchOptions,
): FetchResult<string, ReadableStream<string>>;
export function useFetch(
  path: string,
  options: { stream: true } & FetchOptions,
): FetchResult<ReadableStream<Uint8Array>>;
// biome-ignore lint/suspicious/noExplicitAny: Gadget's signature, so code written for it compiles unchanged
export function useFetch<T extends Record<string, any> = Record<string, any>>(
  path: string,
  options: { json: true } & FetchOptions,
): FetchResult<T>;
export function useFetch(path: string, options?: FetchOptions): FetchResult<string>;
export function useFetch(path: string, options: FetchOptions = {}): FetchResult<unknown> {
  const { fetch } = useSprocket();
  // The callback is read when a stream ends, so a new function each render is no change of request.
  const { onStreamComplete: _, ...requestOptions } = options;
  // Compared by content, so inline option objects are no change. Like Gadget's structural compare,
  // it sees a `Headers` or `FormData` as `{}`: pass plain objects to re-send when headers change.
  const optionsKey = JSON.stringify(requestOptions);
  const sendsOnMount = options.sendImmediately ?? (options.method ?? "GET").toUpperCase() === "GET";
  const [store] = useState(() => createFetchStore({ fetch, path, options, fetching: sendsOnMount }));
  useEffect(() => {
    store.configure({ fetch, path, options });
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: optionsKey stands for the options
  useEffect(() => {
    if (sendsOnMount) store.send().catch(() => {}); // the state shows the error
  }, [store, fetch, path, optionsKey, sendsOnMount]);
  // Unmounting, or another path or options (as Gadget's hook): the request in flight was for them.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the cleanup is for the previous ones
  useEffect(() => () => store.abort(), [store, fetch, path, optionsKey]);
  return [useSyncExternalStore(store.subscribe, store.getState, store.getState), store.send];
}
