import { route } from "@sprocket/server";
import {
  type AnswerSource,
  type OpenAIResponseStreamOptions,
  openAIResponseStream,
} from "@sprocket/server/ai";
import { pino } from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  captureLogs,
  deferred,
  manualStream,
  recordEndings,
  sseAnswer,
  sseChunk,
} from "./test/answer-fixtures.js";

const decoder = new TextDecoder();
const silent = pino({ level: "silent" });

/** POSTs to a route that relays `input`, the way the Gadget seed's chat route does. */
function chat(
  input: AnswerSource,
  options: OpenAIResponseStreamOptions = {},
  logger: pino.Logger = silent,
): Promise<Response> {
  const handler = route(
    async ({ reply }) => {
      await reply.send(openAIResponseStream(input, options));
    },
    { logger },
  );
  return handler(new Request("https://app.test/chat", { method: "POST" }));
}

const read = async (reader: ReadableStreamDefaultReader<Uint8Array>) => {
  const { done, value } = await reader.read();
  return done ? undefined : decoder.decode(value);
};

afterEach(() => {
  vi.useRealTimers();
});

describe("openAIResponseStream", () => {
  it("answers plain text with streaming headers and no length, the deltas of one read in one chunk", async () => {
    const upstream = manualStream();
    upstream.write(sseAnswer(["Hello", ", ", "world"]));
    upstream.close();
    const response = await chat(upstream.stream);
    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    });
    expect(response.headers.has("content-length")).toBe(false);
    const reader = response.body!.getReader();
    const chunks: string[] = [];
    for (let chunk = await read(reader); chunk !== undefined; chunk = await read(reader)) chunks.push(chunk);
    // The whole answer came in one upstream read: one write for the client, not three.
    expect(chunks).toEqual(["Hello, world"]);
  });

  it("sends each delta before the next one exists", async () => {
    const upstream = manualStream();
    upstream.write(sseChunk("first"));
    const response = await chat(upstream.stream);
    const reader = response.body!.getReader();
    expect(await read(reader)).toBe("first");
    upstream.write(sseChunk(" second"));
    expect(await read(reader)).toBe(" second");
    upstream.write("data: [DONE]\n\n");
    expect(await read(reader)).toBeUndefined();
  });

  it("commits the status only at the first text: role and empty chunks do not answer", async () => {
    const upstream = manualStream();
    let isAnswered = false;
    const answering = chat(upstream.stream).then((response) => {
      isAnswered = true;
      return response;
    });
    upstream.write(sseAnswer([]).split("data: [DONE]")[0] as string);
    upstream.write(sseChunk(""));
    // The route cannot have answered: no text yet. A later chunk decides it.
    await Promise.resolve();
    expect(isAnswered).toBe(false);
    upstream.write(sseChunk("now"));
    upstream.close();
    expect(await (await answering).text()).toBe("now");
  });

  it("calls onComplete once with the whole text and status complete", async () => {
    const { calls, ended, callbacks } = recordEndings();
    const upstream = manualStream();
    upstream.write(sseAnswer(["a", "b", "c"]));
    upstream.close();
    const response = await chat(upstream.stream, callbacks);
    expect(await response.text()).toBe("abc");
    await ended;
    expect(calls).toEqual([{ name: "onComplete", args: ["abc", { status: "complete" }] }]);
  });

  it("relays a refusal, and the legacy completions stream's text, as the answer", async () => {
    const event = (choice: object) => `data: ${JSON.stringify({ choices: [{ index: 0, ...choice }] })}\n\n`;
    const refusal = manualStream();
    refusal.write(`${event({ delta: { refusal: "I can't " } })}${event({ delta: { refusal: "help." } })}`);
    refusal.write("data: [DONE]\n\n");
    refusal.close();
    expect(await (await chat(refusal.stream)).text()).toBe("I can't help.");

    // `openai.completions.create({ stream: true })`: `text_completion` chunks carry `choices[0].text`.
    const legacy = manualStream();
    legacy.write(`${event({ text: "Once " })}${event({ text: "upon", finish_reason: null })}`);
    legacy.write(`${event({ text: "", finish_reason: "stop" })}data: [DONE]\n\n`);
    legacy.close();
    const { calls, ended, callbacks } = recordEndings();
    expect(await (await chat(legacy.stream, callbacks)).text()).toBe("Once upon");
    await ended;
    expect(calls).toEqual([{ name: "onComplete", args: ["Once upon", { status: "complete" }] }]);
  });

  it("relays answer 0 of a request for several (n > 1), whose answers stream interleaved", async () => {
    const event = (index: number, content: string) =>
      `data: ${JSON.stringify({ choices: [{ index, delta: { content } }] })}\n\n`;
    const upstream = manualStream();
    upstream.write(`${event(0, "Hello")}${event(1, "Bonjour")}${event(1, " le monde")}${event(0, " world")}`);
    // A chunk carrying both, answer 1 first.
    upstream.write(
      `data: ${JSON.stringify({
        choices: [
          { index: 1, delta: { content: "!" } },
          { index: 0, delta: { content: "." } },
        ],
      })}\n\n`,
    );
    upstream.write("data: [DONE]\n\n");
    upstream.close();
    expect(await (await chat(upstream.stream)).text()).toBe("Hello world.");
  });

  it("keeps the seed's onComplete(content) working", async () => {
    const saved: unknown[] = [];
    const onComplete = (content: string | null | undefined) => {
      saved.push(content);
    };
    const response = await chat(
      (async function* () {
        yield "It ";
        yield "works";
      })(),
      { onComplete },
    );
    expect(await response.text()).toBe("It works");
    await vi.waitFor(() => expect(saved).toEqual(["It works"]));
  });

  it("skips a malformed event, logs it and goes on", async () => {
    const { logger, lines } = captureLogs();
    const upstream = manualStream();
    upstream.write(`${sseChunk("one ")}data: {"choices": [{"delta": {"content": "bro\n\n${sseChunk("two")}`);
    upstream.write("data: [DONE]\n\n");
    const response = await chat(upstream.stream, {}, logger);
    expect(await response.text()).toBe("one two");
    expect(
      lines.find((line) => line.msg === "Skipped a malformed event in the model's stream"),
    ).toMatchObject({
      level: 40,
      requestId: response.headers.get("x-request-id"),
    });
  });

  it("fails the body after a mid-stream error, and hands over the partial text as error", async () => {
    const { calls, ended, callbacks } = recordEndings();
    const upstream = manualStream();
    upstream.write(sseChunk("partial"));
    const response = await chat(upstream.stream, callbacks);
    const reader = response.body!.getReader();
    expect(await read(reader)).toBe("partial");
    upstream.fail(new TypeError("terminated"));
    await expect(reader.read()).rejects.toThrow("terminated");
    await ended;
    expect(calls.map((call) => call.name)).toEqual(["onComplete", "onError"]);
    expect(calls[0]?.args).toEqual(["partial", { status: "error", error: new TypeError("terminated") }]);
    expect(calls[1]?.args).toEqual([{ error: new TypeError("terminated"), content: "partial" }]);
  });

  it("logs a mid-stream failure once, with the request id", async () => {
    const { logger, lines } = captureLogs();
    const upstream = manualStream();
    upstream.write(sseChunk("partial"));
    const response = await chat(upstream.stream, {}, logger);
    const reader = response.body!.getReader();
    expect(await read(reader)).toBe("partial");
    upstream.fail(new TypeError("terminated"));
    await expect(reader.read()).rejects.toThrow("terminated");
    const logged = lines.filter((line) => line.msg === "Response stream failed after the response started");
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      level: 50,
      requestId: response.headers.get("x-request-id"),
      characters: 7,
      err: { message: "terminated" },
    });
  });

  it("logs an abort the app made after the first text, not the client, as a failure", async () => {
    const { logger, lines } = captureLogs();
    const gate = deferred();
    async function* tokens() {
      yield "partial";
      await gate.promise;
      throw new DOMException("The app's deadline passed", "AbortError");
    }
    const response = await chat(tokens(), {}, logger);
    const reader = response.body!.getReader();
    expect(await read(reader)).toBe("partial");
    gate.resolve();
    await expect(reader.read()).rejects.toThrow("The app's deadline passed");
    const logged = lines.filter((line) => line.msg === "Response stream failed after the response started");
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ requestId: response.headers.get("x-request-id"), characters: 7 });
  });

  it("logs the reason of a signal's abort, as an exit and not as a failure", async () => {
    const { logger, lines } = captureLogs();
    const upstream = manualStream();
    upstream.write(sseChunk("partial"));
    const deadline = new AbortController();
    const response = await chat(upstream.stream, { signal: deadline.signal }, logger);
    const reader = response.body!.getReader();
    expect(await read(reader)).toBe("partial");
    deadline.abort(new Error("deadline"));
    await expect(reader.read()).rejects.toThrow("deadline");
    expect(lines.find((line) => line.msg === "The client left; stopped the model's answer")).toMatchObject({
      err: { message: "deadline" },
      characters: 7,
    });
    expect(lines.filter((line) => line.msg === "Response stream failed after the response started")).toEqual(
      [],
    );
  });

  it("delivers the text queued before a failure, then fails the read", async () => {
    const upstream = manualStream();
    upstream.write(sseChunk("one"));
    const response = await chat(upstream.stream);
    upstream.write(sseChunk(" two"));
    upstream.write(`data: ${JSON.stringify({ error: { message: "overloaded", type: "server_error" } })}\n\n`);
    const reader = response.body!.getReader();
    expect(await read(reader)).toBe("one");
    expect(await read(reader)).toBe(" two");
    await expect(reader.read()).rejects.toThrow("The model reported an error: overloaded");
  });

  it("answers 502 with a JSON error when the model fails before its first text", async () => {
    const { calls, callbacks } = recordEndings();
    const upstream = manualStream();
    upstream.write(sseAnswer([]).split("data: [DONE]")[0] as string);
    upstream.fail(new TypeError("socket hang up"));
    const response = await chat(upstream.stream, callbacks);
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({
      error: {
        code: "BAD_GATEWAY",
        message: "The model failed before answering",
        requestId: response.headers.get("x-request-id"),
      },
    });
    expect(calls.map((call) => call.name)).toEqual(["onError"]);
  });

  it("answers 502 when the model ends without any text", async () => {
    const { calls, callbacks } = recordEndings();
    const upstream = manualStream();
    upstream.write(sseAnswer([]));
    const response = await chat(upstream.stream, callbacks);
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({
      error: { code: "BAD_GATEWAY", message: "The model ended its answer without any text" },
    });
    expect(calls.map((call) => call.name)).toEqual(["onError"]);
  });

  it("answers 502 for a non-2xx upstream Response, logging what the provider said", async () => {
    const { logger, lines } = captureLogs();
    const upstream = new Response(JSON.stringify({ error: { message: "Rate limit reached" } }), {
      status: 429,
    });
    const response = await chat(upstream, {}, logger);
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({
      error: { code: "BAD_GATEWAY", message: "The model provider answered HTTP 429" },
    });
    const logged = JSON.stringify(lines.find((line) => line.level === 50));
    expect(logged).toContain("Rate limit reached");
  });

  it("aborts the upstream when the client cancels, and hands over the partial text as aborted", async () => {
    const { calls, ended, callbacks } = recordEndings();
    const upstream = manualStream();
    upstream.write(sseChunk("partial"));
    const response = await chat(upstream.stream, callbacks);
    const reader = response.body!.getReader();
    expect(await read(reader)).toBe("partial");
    await reader.cancel(new Error("tab closed"));
    await upstream.cancellation;
    await ended;
    expect(calls.map((call) => call.name)).toEqual(["onComplete", "onAbort"]);
    expect(calls[0]?.args).toEqual(["partial", { status: "aborted", error: new Error("tab closed") }]);
    // A late upstream event changes nothing: the ending was persisted once.
    expect(() => upstream.write(sseChunk(" more"))).toThrow();
    expect(calls).toHaveLength(2);
  });

  it("treats an aborted signal as the client leaving", async () => {
    const { calls, ended, callbacks } = recordEndings();
    const upstream = manualStream();
    upstream.write(sseChunk("partial"));
    const client = new AbortController();
    const response = await chat(upstream.stream, { ...callbacks, signal: client.signal });
    const reader = response.body!.getReader();
    expect(await read(reader)).toBe("partial");
    client.abort(new Error("request aborted"));
    await expect(reader.read()).rejects.toThrow("request aborted");
    await upstream.cancellation;
    await ended;
    expect(calls.map((call) => call.name)).toEqual(["onComplete", "onAbort"]);
    expect(calls[0]?.args[1]).toMatchObject({ status: "aborted" });
  });

  it("answers 499 and calls onAbort when the signal aborts before the first text", async () => {
    const { calls, callbacks } = recordEndings();
    const upstream = manualStream();
    const client = new AbortController();
    client.abort();
    const response = await chat(upstream.stream, { ...callbacks, signal: client.signal });
    expect(response.status).toBe(499);
    await upstream.cancellation;
    expect(calls.map((call) => call.name)).toEqual(["onAbort"]);
  });

  it("stops the model when the request's own signal aborts, with no signal option, as the seed's route is written", async () => {
    const { calls, ended, callbacks } = recordEndings();
    const upstream = manualStream();
    const client = new AbortController();
    const handler = route(async ({ reply }) => reply.send(openAIResponseStream(upstream.stream, callbacks)), {
      logger: silent,
    });
    const responding = handler(
      new Request("https://app.test/chat", { method: "POST", signal: client.signal }),
    );
    // The client leaves before the model's first text.
    client.abort();
    expect((await responding).status).toBe(499);
    await upstream.cancellation;
    await ended;
    expect(calls.map((call) => call.name)).toEqual(["onAbort"]);
  });

  it("keeps reading after the client leaves with keepGenerating, and saves the whole answer", async () => {
    const { calls, ended, callbacks } = recordEndings();
    const upstream = manualStream();
    let isCancelled = false;
    void upstream.cancellation.then(() => {
      isCancelled = true;
    });
    upstream.write(sseChunk("first"));
    const response = await chat(upstream.stream, { ...callbacks, keepGenerating: true });
    const reader = response.body!.getReader();
    expect(await read(reader)).toBe("first");
    await reader.cancel();
    upstream.write(sseChunk(" and the rest"));
    await Promise.resolve();
    expect(isCancelled).toBe(false);
    upstream.write("data: [DONE]\n\n");
    await ended;
    expect(calls).toEqual([{ name: "onComplete", args: ["first and the rest", { status: "complete" }] }]);
    // Released after [DONE] (the model's body stays open here, so it is cancelled), not before.
    await upstream.cancellation;
  });

  it("reads a model's body to its end after [DONE] instead of cancelling it, and cancels one that goes on", async () => {
    vi.useFakeTimers();
    try {
      const ending = manualStream();
      let isCancelled = false;
      void ending.cancellation.then(() => {
        isCancelled = true;
      });
      ending.write(`${sseChunk("done")}data: [DONE]\n\n`);
      const response = await chat(ending.stream);
      expect(await response.text()).toBe("done");
      ending.close();
      // The read of the body's end settles the release; only a cancellation could change this.
      await vi.runAllTimersAsync();
      expect(isCancelled).toBe(false);

      const goingOn = manualStream();
      goingOn.write(`${sseChunk("done")}data: [DONE]\n\n`);
      const second = await chat(goingOn.stream);
      expect(await second.text()).toBe("done");
      goingOn.write(sseChunk(" and more"));
      // Cancelled at the read after [DONE], with no timer advanced.
      await goingOn.cancellation;
    } finally {
      vi.useRealTimers();
    }
  });

  it("fails an idle model: 504 before the first text", async () => {
    vi.useFakeTimers();
    const { calls, callbacks } = recordEndings();
    const upstream = manualStream();
    const answering = chat(upstream.stream, { ...callbacks, idleTimeout: 5_000 });
    await vi.advanceTimersByTimeAsync(5_000);
    const response = await answering;
    expect(response.status).toBe(504);
    expect(await response.json()).toMatchObject({
      error: { code: "GATEWAY_TIMEOUT", message: "The model sent nothing for 5 s" },
    });
    await upstream.cancellation;
    expect(calls.map((call) => call.name)).toEqual(["onError"]);
  });

  it("fails an idle model after its first text like an upstream error, counting from the last chunk", async () => {
    vi.useFakeTimers();
    const { calls, ended, callbacks } = recordEndings();
    const upstream = manualStream();
    upstream.write(sseChunk("a"));
    const response = await chat(upstream.stream, callbacks);
    const reader = response.body!.getReader();
    expect(await read(reader)).toBe("a");
    await vi.advanceTimersByTimeAsync(59_000);
    upstream.write(sseChunk("b"));
    expect(await read(reader)).toBe("b");
    await vi.advanceTimersByTimeAsync(59_000);
    expect(calls).toEqual([]);
    const failing = expect(reader.read()).rejects.toThrow("The model sent nothing for 60 s");
    await vi.advanceTimersByTimeAsync(1_000);
    await failing;
    await upstream.cancellation;
    await ended;
    expect(calls.map((call) => call.name)).toEqual(["onComplete", "onError"]);
    expect(calls[0]?.args).toEqual([
      "ab",
      { status: "error", error: expect.objectContaining({ code: "GATEWAY_TIMEOUT" }) },
    ]);
  });

  it("logs a failing callback and still ends the answer cleanly", async () => {
    const { logger, lines } = captureLogs();
    const response = await chat(
      (async function* () {
        yield "fine";
      })(),
      {
        onComplete: () => {
          throw new Error("database down");
        },
        onError: async () => {},
      },
      logger,
    );
    expect(await response.text()).toBe("fine");
    await vi.waitFor(() =>
      expect(
        lines.find((line) => line.msg === "openAIResponseStream onComplete callback failed"),
      ).toMatchObject({
        err: { message: "database down" },
      }),
    );
  });

  it("logs a rejected callback promise without awaiting it on the response path", async () => {
    const { logger, lines } = captureLogs();
    let rejectSave!: (error: Error) => void;
    const response = await chat(
      (async function* () {
        yield "fine";
      })(),
      { onComplete: () => new Promise((_, reject) => (rejectSave = reject)) },
      logger,
    );
    expect(await response.text()).toBe("fine");
    rejectSave(new Error("late failure"));
    await vi.waitFor(() =>
      expect(
        lines.find((line) => line.msg === "openAIResponseStream onComplete callback failed"),
      ).toBeDefined(),
    );
  });

  it("relays an async iterable of strings and stops it through return() when the client leaves", async () => {
    const { calls, ended, callbacks } = recordEndings();
    const gate = deferred();
    const returned = deferred();
    async function* tokens() {
      try {
        yield "one";
        await gate.promise; // the model is thinking
        yield " two";
        yield " three";
      } finally {
        returned.resolve();
      }
    }
    const response = await chat(tokens(), callbacks);
    const reader = response.body!.getReader();
    expect(await read(reader)).toBe("one");
    await reader.cancel();
    await ended;
    expect(calls).toEqual([
      { name: "onComplete", args: ["one", { status: "aborted", error: expect.any(DOMException) }] },
      { name: "onAbort", args: [{ reason: expect.any(DOMException), content: "one" }] },
    ]);
    // return() runs once the generator reaches its next yield; " two" is never read.
    gate.resolve();
    await returned.promise;
    expect(calls).toHaveLength(2);
  });

  it("checks its options when called, and answers a masked 500 for an input it cannot read", async () => {
    expect(() => openAIResponseStream(manualStream().stream, { idleTimeout: 0 })).toThrow(RangeError);
    const response = await chat(42 as never);
    expect(response.status).toBe(500);
  });
});
