import { route } from "@sprocket/server";
import { pino } from "pino";
import { describe, expect, it } from "vitest";

function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

/** A promise plus the function that settles it, for stepping a handler from the test. */
function deferred<Value = void>() {
  let resolve!: (value: Value) => void;
  const promise = new Promise<Value>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

describe("streaming", () => {
  it("hands the response over before the handler finishes, so the first chunk arrives early", async () => {
    const release = deferred();
    const handlerFinished = deferred();
    const encoder = new TextEncoder();
    const handler = route(
      async ({ reply }) => {
        let controller!: ReadableStreamDefaultController<Uint8Array>;
        await reply.type("text/plain").send(
          new ReadableStream<Uint8Array>({
            start(streamController) {
              controller = streamController;
            },
          }),
        );
        controller.enqueue(encoder.encode("first"));
        await release.promise;
        controller.enqueue(encoder.encode(" second"));
        controller.close();
        handlerFinished.resolve();
      },
      { logger: pino({ level: "silent" }) },
    );

    const response = await handler(new Request("https://app.test/chat", { method: "POST" }));
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("first");

    release.resolve();
    await handlerFinished.promise;
    const second = await reader.read();
    expect(new TextDecoder().decode(second.value)).toBe(" second");
    expect((await reader.read()).done).toBe(true);
  });

  it("pulls async iterables lazily and calls return() when the client cancels", async () => {
    const returned = deferred();
    let produced = 0;
    const iterable: AsyncIterable<string> = {
      [Symbol.asyncIterator]() {
        return {
          async next() {
            produced += 1;
            return { done: false, value: `chunk ${produced};` };
          },
          async return() {
            returned.resolve();
            return { done: true, value: undefined };
          },
        };
      },
    };
    const handler = route(async ({ reply }) => reply.send(iterable), { logger: pino({ level: "silent" }) });
    const response = await handler(new Request("https://app.test/stream"));
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("chunk 1;");
    await reader.cancel();
    await returned.promise;
    expect(produced).toBeLessThan(3);
  });

  it("logs, not renders, an error thrown after the response was handed over", async () => {
    const { logger, lines } = captureLogs();
    const failed = deferred();
    const handler = route(
      async ({ reply }) => {
        await reply.send("done");
        failed.resolve();
        throw new Error("after the fact");
      },
      { logger },
    );
    const response = await handler(new Request("https://app.test/"));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("done");
    await failed.promise;
    // The log is written in the same turn the handler's rejection is observed; wait for that turn.
    await expect
      .poll(() => lines.find((line) => line.msg === "Route handler failed after the response was sent"))
      .toMatchObject({ requestId: response.headers.get("x-request-id"), err: { message: "after the fact" } });
  });

  it("throws REPLY_ALREADY_SENT on a second send, logs it and keeps the first response", async () => {
    const { logger, lines } = captureLogs();
    const secondSend = deferred<unknown>();
    const handler = route(
      async ({ reply }) => {
        await reply.send("first");
        try {
          await reply.send("second");
        } catch (error) {
          secondSend.resolve(error);
        }
      },
      { logger },
    );
    const response = await handler(new Request("https://app.test/"));
    expect(await response.text()).toBe("first");
    expect(await secondSend.promise).toMatchObject({
      name: "HttpError",
      code: "REPLY_ALREADY_SENT",
      status: 500,
    });
    expect(lines.find((line) => line.level === 50)).toMatchObject({
      requestId: response.headers.get("x-request-id"),
      err: { code: "REPLY_ALREADY_SENT" },
    });
  });
});
