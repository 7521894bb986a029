import { useEffect } from "react";
import { type Cache, type ScopedMutator, unstable_serialize } from "swr";
import { type FindKey, isFindKeyOf } from "./swr-keys.js";

/**
 * How many mounted hooks read each key, per SWR cache. SWR keeps this to itself, and a write must
 * treat the two kinds of entries differently: see {@link revalidateModel}.
 */
const mountedKeys = new WeakMap<Cache, Map<string, number>>();

/**
 * Counts the calling hook as a reader of `key` in `cache` while it is mounted.
 *
 * @example
 * useMountedKey(cache, paused ? null : key);
 */
export function useMountedKey(cache: Cache, key: FindKey | null): void {
  const serialized = key === null ? "" : unstable_serialize(key);
  useEffect(() => {
    if (serialized === "") return;
    const registry = mountedKeys.get(cache) ?? new Map<string, number>();
    mountedKeys.set(cache, registry);
    registry.set(serialized, (registry.get(serialized) ?? 0) + 1);
    return () => {
      const count = (registry.get(serialized) ?? 1) - 1;
      if (count === 0) registry.delete(serialized);
      else registry.set(serialized, count);
    };
  }, [cache, serialized]);
}

/**
 * Makes every cached read of `model` at `endpoint` fresh after a write. Mounted reads refetch and
 * keep showing their data until the answer arrives. Unmounted reads are emptied, not refetched: a
 * list that mounts again then loads instead of flashing rows that no longer exist, and a write does
 * not fan out into a request for every query ever cached.
 *
 * @example
 * await revalidateModel({ cache, mutate }, "/api/models", "chat");
 */
export async function revalidateModel(
  { cache, mutate }: { cache: Cache; mutate: ScopedMutator },
  endpoint: string,
  model: string,
): Promise<void> {
  const counts = mountedKeys.get(cache);
  const isMounted = (key: FindKey) => (counts?.get(unstable_serialize(key)) ?? 0) > 0;
  await Promise.all([
    mutate((key) => isFindKeyOf(key, endpoint, model) && isMounted(key)),
    // An explicit undefined writes the entry empty; SWR also drops an answer still in flight for it.
    mutate((key) => isFindKeyOf(key, endpoint, model) && !isMounted(key), undefined, { revalidate: true }),
  ]);
}
