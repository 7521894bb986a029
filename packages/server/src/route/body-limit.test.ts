import { route } from "@sprocket/server";
import { pino } from "pino";
import { describe, expect, it } from "vitest";

const logger = pino({ level: "silent" });
const CHUNK_SIZE = 64 * 1024;
const OFFERED_CHUNKS = 160; // 10 MiB

/** A body of 64 KiB chunks that counts how many chunks were pulled from it. */
function countingStream(chunks = OFFERED_CHUNKS) {
  let markCancelled!: () => void;
  const counter = {
    pulled: 0,
    cancelled: new Promise<void>((resolve) => {
      markCancelled = resolve;
    }),
  };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (counter.pulled === chunks) return controller.close();
      counter.pulled += 1;
      controller.enqueue(new Uint8Array(CHUNK_SIZE));
    },
    cancel() {
      markCancelled();
    },
  });
  return { stream, counter };
}

describe("body limit", () => {
  const handler = route(async ({ request, reply }) => reply.send({ size: request.rawBody?.byteLength }), {
    logger,
  });

  it("answers 413 from Content-Length without reading the body", async () => {
    const { stream, counter } = countingStream();
    const request = new Request("https://app.test/upload", {
      method: "POST",
      body: stream,
      duplex: "half",
      headers: { "content-length": String(OFFERED_CHUNKS * CHUNK_SIZE) },
    } as RequestInit);
    const response = await handler(request);
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe("PAYLOAD_TOO_LARGE");
    // At most the stream's own prefetch: nothing was read.
    expect(counter.pulled).toBeLessThanOrEqual(1);
  });

  it("stops reading an unbounded stream as soon as it passes the limit", async () => {
    const { stream, counter } = countingStream();
    const request = new Request("https://app.test/upload", {
      method: "POST",
      body: stream,
      duplex: "half",
    } as RequestInit);
    const response = await handler(request);
    expect(response.status).toBe(413);
    expect((await response.json()).error).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    // 1 MiB is 16 chunks; allow for stream prefetch, but nowhere near the 160 offered.
    expect(counter.pulled).toBeLessThan(32);
    // The upload itself is cancelled, not merely left unread.
    await counter.cancelled;
  });

  it("accepts a body at the limit and honours a custom bodyLimit", async () => {
    const small = route(async ({ request, reply }) => reply.send({ size: request.rawBody?.byteLength }), {
      logger,
      bodyLimit: 10,
    });
    const atLimit = await small(new Request("https://app.test/", { method: "POST", body: "0123456789" }));
    expect(await atLimit.json()).toEqual({ size: 10 });
    const over = await small(new Request("https://app.test/", { method: "POST", body: "0123456789a" }));
    expect(over.status).toBe(413);
  });
});
