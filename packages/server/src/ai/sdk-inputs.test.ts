import { createOpenAI } from "@ai-sdk/openai";
import type { LocalModelServer } from "@sprocket/dev";
import { route } from "@sprocket/server";
import {
  type AnswerSource,
  type FetchLike,
  type OpenAIResponseStreamOptions,
  openAIResponseStream,
  rawEventFetch,
} from "@sprocket/server/ai";
import { streamText } from "ai";
import OpenAI from "openai";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { recordEndings } from "./test/answer-fixtures.js";
import { expectAbortWhenClientLeaves, useLocalModels } from "./test/local-models.js";

const logger = pino({ level: "silent" });
const decoder = new TextDecoder();
const startLocalModel = useLocalModels();

/** A local model, a plain openai SDK client of it, and a promise of how its next completion ends. */
async function startModel(options: Parameters<typeof startLocalModel>[0] = {}) {
  const { model, completionEnd } = await startLocalModel(options);
  const openai = new OpenAI({ baseURL: model.baseURL, apiKey: "local", maxRetries: 0 });
  return { model, openai, completionEnd };
}

/** The seed's chat route, with the upstream call made by `call`. */
function chatRoute(
  call: () => Promise<AnswerSource> | AnswerSource,
  options: OpenAIResponseStreamOptions = {},
) {
  const handler = route(
    async ({ reply }) => {
      await reply.send(openAIResponseStream(await call(), options));
    },
    { logger },
  );
  return handler(new Request("https://app.test/chat", { method: "POST" }));
}

const ask = (content: string) => [{ role: "user" as const, content }];

/** What the model answers `prompt`, fetched whole (stream: false). */
async function wholeAnswer(openai: OpenAI, prompt: string) {
  const completion = await openai.chat.completions.create({ model: "m", messages: ask(prompt) });
  return completion.choices[0]?.message.content;
}

describe("the openai SDK's stream", () => {
  it("relays the whole answer, as the Gadget seed's route does", async () => {
    const { openai } = await startModel();
    const { calls, ended, callbacks } = recordEndings();
    const response = await chatRoute(
      () => openai.chat.completions.create({ model: "m", messages: ask("How do I stream?"), stream: true }),
      callbacks,
    );
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toBe(await wholeAnswer(openai, "How do I stream?"));
    await ended;
    expect(calls).toEqual([{ name: "onComplete", args: [text, { status: "complete" }] }]);
  });

  it("aborts the upstream request when the client leaves: the model server sees the connection close", async () => {
    const { openai, completionEnd } = await startModel({ tokensPerSecond: 200, answerTokens: 2000 });
    const recorded = recordEndings();
    const response = await chatRoute(
      () => openai.chat.completions.create({ model: "m", messages: ask("Hi"), stream: true }),
      recorded.callbacks,
    );
    await expectAbortWhenClientLeaves(response, completionEnd, recorded, 2000);
  });

  it("fails the body when the model's connection breaks mid-stream", async () => {
    const { openai } = await startModel({ tokensPerSecond: 200 });
    const { calls, ended, callbacks } = recordEndings();
    const response = await chatRoute(
      () =>
        openai.chat.completions.create({
          model: "m",
          messages: ask("Hi [[fail-mid-stream=3]]"),
          stream: true,
        }),
      callbacks,
    );
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    await ended;
    expect(calls.map((call) => call.name)).toEqual(["onComplete", "onError"]);
    expect(calls[0]?.args[1]).toMatchObject({ status: "error" });
  });

  it("answers 502 for an HTTP error when given the create() promise unawaited", async () => {
    const { openai } = await startModel();
    const handler = route(
      async ({ reply }) => {
        // No await: the promise's rejection belongs to the answer, not to the handler.
        const stream = openai.chat.completions.create({
          model: "m",
          messages: ask("[[fail-before-first-token]]"),
          stream: true,
        });
        await reply.send(openAIResponseStream(stream));
      },
      { logger },
    );
    const response = await handler(new Request("https://app.test/chat", { method: "POST" }));
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ error: { code: "BAD_GATEWAY" } });
  });

  it("takes the raw Response from asResponse(), parsed by Sprocket", async () => {
    const { openai } = await startModel();
    const response = await chatRoute(() =>
      openai.chat.completions.create({ model: "m", messages: ask("Raw please"), stream: true }).asResponse(),
    );
    expect(await response.text()).toBe(await wholeAnswer(openai, "Raw please"));
  });
});

describe("the openai SDK's stream from a client that fetches through rawEventFetch()", () => {
  /** A client of `model` whose streams the relay reads as raw events. */
  const rawClient = (model: LocalModelServer) =>
    new OpenAI({ baseURL: model.baseURL, apiKey: "local", maxRetries: 0, fetch: rawEventFetch() });
  /** The SDK's stream, made to throw if anything iterates it: the relay must read the raw events. */
  const uniterable = <T extends object>(stream: T): T =>
    Object.defineProperty(stream, Symbol.asyncIterator, {
      value: () => {
        throw new Error("The SDK's stream was iterated");
      },
    });

  it("relays the whole answer from the raw events, without iterating the SDK's stream", async () => {
    const { model, openai } = await startModel();
    const { calls, ended, callbacks } = recordEndings();
    const response = await chatRoute(async () => {
      const stream = await rawClient(model).chat.completions.create({
        model: "m",
        messages: ask("How do I stream?"),
        stream: true,
      });
      return uniterable(stream);
    }, callbacks);
    const text = await response.text();
    expect(text).toBe(await wholeAnswer(openai, "How do I stream?"));
    await ended;
    expect(calls).toEqual([{ name: "onComplete", args: [text, { status: "complete" }] }]);
  });

  it("reads the raw events of the create() promise given unawaited, and answers 502 for an HTTP error", async () => {
    const { model, openai } = await startModel();
    const client = rawClient(model);
    let prompt = "";
    const handler = route(
      async ({ reply }) => {
        // No await: the promise's rejection belongs to the answer, not to the handler.
        const stream = client.chat.completions
          .create({ model: "m", messages: ask(prompt), stream: true })
          .then((stream) => uniterable(stream));
        await reply.send(openAIResponseStream(stream));
      },
      { logger },
    );
    const post = (next: string) => {
      prompt = next;
      return handler(new Request("https://app.test/chat", { method: "POST" }));
    };
    const answered = await post("Unawaited");
    expect(await answered.text()).toBe(await wholeAnswer(openai, "Unawaited"));
    const failed = await post("[[fail-before-first-token]]");
    expect(failed.status).toBe(502);
    expect(await failed.json()).toMatchObject({ error: { code: "BAD_GATEWAY" } });
  });

  it("aborts the upstream request and the SDK's controller when the client leaves", async () => {
    const { model, completionEnd } = await startModel({ tokensPerSecond: 200, answerTokens: 2000 });
    const { calls, ended, callbacks } = recordEndings();
    let controller: AbortController | undefined;
    const response = await chatRoute(async () => {
      const stream = await rawClient(model).chat.completions.create({
        model: "m",
        messages: ask("Hi"),
        stream: true,
      });
      controller = stream.controller;
      return uniterable(stream);
    }, callbacks);
    const reader = response.body!.getReader();
    const first = decoder.decode((await reader.read()).value);
    await reader.cancel();
    const end = await completionEnd;
    expect(end.status).toBe("client-closed");
    expect(end.tokensSent).toBeLessThan(2000);
    expect(controller?.signal.aborted).toBe(true);
    await ended;
    expect(calls.map((call) => call.name)).toEqual(["onComplete", "onAbort"]);
    expect(String(calls[0]?.args[0]).startsWith(first)).toBe(true);
  });

  it("fails the body when the model's connection breaks mid-stream", async () => {
    const { model } = await startModel({ tokensPerSecond: 200 });
    const { calls, ended, callbacks } = recordEndings();
    const response = await chatRoute(async () => {
      const stream = await rawClient(model).chat.completions.create({
        model: "m",
        messages: ask("Hi [[fail-mid-stream=3]]"),
        stream: true,
      });
      return uniterable(stream);
    }, callbacks);
    await expect(response.text()).rejects.toThrow();
    await ended;
    expect(calls.map((call) => call.name)).toEqual(["onComplete", "onError"]);
  });

  it("ends a malformed or error event's answer as the SDK's own iteration does", async () => {
    const chunk = (content: string) => `data: ${JSON.stringify({ choices: [{ delta: { content } }] })}\n\n`;
    const bodies = {
      malformed: `${chunk("Hello")}data: {not json\n\n${chunk(" world")}data: [DONE]\n\n`,
      error: `${chunk("Hello")}data: {"error":{"message":"overloaded"}}\n\n${chunk(" world")}data: [DONE]\n\n`,
      "non-object JSON": `${chunk("Hello")}data: 42\n\n${chunk(" world")}data: [DONE]\n\n`,
    };
    for (const [name, body] of Object.entries(bodies)) {
      const upstream: FetchLike = async () =>
        new Response(body, { headers: { "content-type": "text/event-stream" } });
      const endings = [];
      for (const fetch of [upstream, rawEventFetch(upstream)]) {
        const client = new OpenAI({ baseURL: "http://model.test/v1", apiKey: "k", maxRetries: 0, fetch });
        const { calls, ended, callbacks } = recordEndings();
        const response = await chatRoute(
          () => client.chat.completions.create({ model: "m", messages: ask("Hi"), stream: true }),
          callbacks,
        );
        const text = await response.text().catch(() => "(failed)");
        await ended;
        // The text, the callbacks and the status; an error event's error is Sprocket's, not an APIError.
        const content = (arg: unknown) =>
          typeof arg === "string" ? arg : (arg as { content: string }).content;
        endings.push({
          text,
          calls: calls.map((call) => [
            call.name,
            content(call.args[0]),
            (call.args[1] as { status?: string } | undefined)?.status,
          ]),
        });
      }
      expect(endings[1], name).toEqual(endings[0]);
    }
  });
});

describe("rawEventFetch's own fetch", () => {
  const reached: string[] = [];
  const fetchNamed =
    (name: string): typeof fetch =>
    async () => {
      reached.push(name);
      return new Response("ok");
    };
  const original = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = original;
    reached.length = 0;
  });

  it("uses the runtime's fetch behind one Next.js has patched, else the global fetch, read per call", async () => {
    globalThis.fetch = fetchNamed("global");
    const raw = rawEventFetch();
    await raw("http://model.test/v1/chat/completions");
    // Patched after the client was built, as Next.js patches fetch when it starts.
    globalThis.fetch = Object.assign(fetchNamed("patched"), { _nextOriginalFetch: fetchNamed("runtime") });
    await raw("http://model.test/v1/chat/completions");
    expect(reached).toEqual(["global", "runtime"]);
  });

  it("uses the fetch it is given instead", async () => {
    globalThis.fetch = Object.assign(fetchNamed("patched"), { _nextOriginalFetch: fetchNamed("runtime") });
    await rawEventFetch(fetchNamed("given"))("http://model.test/v1/chat/completions");
    expect(reached).toEqual(["given"]);
  });
});

describe("the ai SDK's streamText result", () => {
  it("relays the whole answer from createOpenAI({ baseURL }).chat(model)", async () => {
    const { model, openai } = await startModel();
    const provider = createOpenAI({ baseURL: model.baseURL, apiKey: "local" });
    const { calls, ended, callbacks } = recordEndings();
    const response = await chatRoute(
      () => streamText({ model: provider.chat("sprocket-local"), prompt: "Explain caching" }),
      callbacks,
    );
    const text = await response.text();
    expect(text).toBe(await wholeAnswer(openai, "Explain caching"));
    await ended;
    expect(calls).toEqual([{ name: "onComplete", args: [text, { status: "complete" }] }]);
  });

  it("aborts the request through the abortController given to both when the client leaves", async () => {
    const { model, completionEnd } = await startModel({ tokensPerSecond: 200, answerTokens: 2000 });
    const provider = createOpenAI({ baseURL: model.baseURL, apiKey: "local" });
    const abortController = new AbortController();
    const { calls, ended, callbacks } = recordEndings();
    const response = await chatRoute(
      () =>
        streamText({
          model: provider.chat("sprocket-local"),
          prompt: "Hi",
          abortSignal: abortController.signal,
        }),
      { ...callbacks, abortController },
    );
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    expect((await completionEnd).status).toBe("client-closed");
    await ended;
    expect(calls[0]?.args[1]).toMatchObject({ status: "aborted" });
  });

  it("fails the body on a mid-stream error, which its textStream would hide", async () => {
    const { model } = await startModel({ tokensPerSecond: 200 });
    const provider = createOpenAI({ baseURL: model.baseURL, apiKey: "local" });
    const { calls, ended, callbacks } = recordEndings();
    const response = await chatRoute(
      () =>
        streamText({
          model: provider.chat("sprocket-local"),
          prompt: "Hi [[fail-mid-stream=3]]",
          onError: () => {}, // the route reports it; keep the SDK from printing it too
        }),
      callbacks,
    );
    await expect(response.text()).rejects.toThrow();
    await ended;
    expect(calls.map((call) => call.name)).toEqual(["onComplete", "onError"]);
  });

  it("answers 502 when the model fails before its first token", async () => {
    const { model } = await startModel();
    const provider = createOpenAI({ baseURL: model.baseURL, apiKey: "local" });
    const response = await chatRoute(() =>
      streamText({
        model: provider.chat("sprocket-local"),
        prompt: "[[fail-before-first-token]]",
        maxRetries: 0,
        onError: () => {},
      }),
    );
    expect(response.status).toBe(502);
  });
});
