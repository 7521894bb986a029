/**
 * A byte stream over an async iterable of strings (UTF-8 encoded) or bytes. It pulls one item per
 * read, so a slow client applies backpressure to the producer, and cancelling the stream calls the
 * iterator's `return()` so the producer (an upstream HTTP response, a generator) can clean up.
 *
 * @example
 * new Response(asyncIterableToStream(generateTokens()));
 */
export function asyncIterableToStream(
  iterable: AsyncIterable<string | Uint8Array>,
): ReadableStream<Uint8Array<ArrayBuffer>> {
  const encoder = new TextEncoder();
  // Created now, not on first pull: cancelling before the first read must still reach return().
  const iterator = iterable[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array<ArrayBuffer>>(
    {
      async pull(controller) {
        const { done, value } = await iterator.next();
        if (done) {
          controller.close();
        } else if (typeof value === "string") {
          controller.enqueue(encoder.encode(value));
        } else if (value instanceof Uint8Array) {
          controller.enqueue(value as Uint8Array<ArrayBuffer>);
        } else {
          const error = new TypeError(`Streamed items must be strings or Uint8Arrays, got ${typeof value}`);
          await iterator.return?.();
          throw error;
        }
      },
      async cancel(reason) {
        await iterator.return?.(reason);
      },
    },
    // Pull only when the consumer reads: nothing is produced ahead of the client.
    { highWaterMark: 0 },
  );
}
