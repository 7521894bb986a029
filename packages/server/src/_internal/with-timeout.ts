/**
 * `promise`, or a rejection with `message` once `ms` have passed first. The timer is cleared either
 * way, so a settled call keeps no process alive.
 *
 * @example
 * const row = await withTimeout(store.insert(event), 3_000, "The webhook store did not answer");
 */
export async function withTimeout<Value>(
  promise: Promise<Value>,
  ms: number,
  message: string,
): Promise<Value> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
