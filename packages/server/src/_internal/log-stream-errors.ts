import type { Logger } from "pino";

/** Where a request's logger is read when something is logged: it is made on first use. */
export interface LoggerSource {
  readonly logger: Logger;
}

/**
 * Passes a response body through unchanged, logging (with the request's logger) an error the
 * producer raises after the response started. The client still sees a failed read, since a status
 * can no longer change; without this, the failure would leave no trace carrying the request id.
 *
 * @example
 * new Response(logStreamErrors(body, { logger }));
 */
export function logStreamErrors<Chunk>(
  source: ReadableStream<Chunk>,
  log: LoggerSource,
): ReadableStream<Chunk> {
  // A producer that logs its own failures is sent as it is: one stream fewer per response (in
  // Node 20 each costs a transferable object) and one hop fewer per chunk.
  if (isSelfLogging(source)) return source;
  const reader = source.getReader();
  return new ReadableStream<Chunk>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          log.logger.error({ err: error }, "Response stream failed after the response started");
          controller.error(error);
        }
      },
      cancel(reason) {
        // The client went away: tell the producer (an upstream request, a generator) to stop.
        return reader.cancel(reason);
      },
    },
    // Read from the producer only when the client reads: no buffering ahead, backpressure intact.
    { highWaterMark: 0 },
  );
}

const selfLogging = new WeakSet<ReadableStream<unknown>>();

/** Whether {@link logsItsOwnErrors} marked `stream`. */
export function isSelfLogging(stream: ReadableStream<unknown>): boolean {
  return selfLogging.has(stream);
}

/**
 * Marks a body whose producer logs, with the request's logger, a failure after the response
 * started, so {@link logStreamErrors} leaves it unwrapped. Returns the stream.
 *
 * @example
 * return new Response(logsItsOwnErrors(answer));
 */
export function logsItsOwnErrors<Chunk>(stream: ReadableStream<Chunk>): ReadableStream<Chunk> {
  selfLogging.add(stream);
  return stream;
}
