import { route } from "@sprocket/server";
import { type FetchLike, openAIResponseStream, rawEventFetch } from "@sprocket/server/ai";
import { withDirectStreaming } from "@sprocket/server/ai/openai";
import OpenAI, { type APIError, AzureOpenAI } from "openai";
import { pino } from "pino";
import { describe, expect, it, vi } from "vitest";
import { recordEndings, sseAnswer } from "../test/answer-fixtures.js";
import { expectAbortWhenClientLeaves, useLocalModels } from "../test/local-models.js";

const logger = pino({ level: "silent" });
const ask = (content: string) => [{ role: "user" as const, content }];
const BASE_URL = "http://model.test/v1";

const startModel = useLocalModels();

/** A fetch that answers `answer()` and records each request's URL, headers and body. */
function recordingFetch(answer: () => Response | Promise<Response>) {
  const requests: { url: string; headers: Record<string, string>; body: unknown }[] = [];
  const fetch: FetchLike = async (input, init) => {
    requests.push({
      url: String(input),
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      body: JSON.parse(String(init?.body)),
    });
    return answer();
  };
  return { fetch, requests };
}

const streamResponse = (deltas: string[]) => () =>
  new Response(sseAnswer(deltas), { headers: { "content-type": "text/event-stream" } });

/** The same client twice: as the SDK makes it, and with withDirectStreaming. */
function bothClients(fetch: FetchLike, options: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}) {
  const settings = { baseURL: BASE_URL, apiKey: "sk-test", maxRetries: 0, fetch, ...options };
  return { sdk: new OpenAI(settings), direct: withDirectStreaming(new OpenAI(settings)) };
}

/** Spies on the SDK's request pipeline: called for every request the SDK sends itself. */
const pipelineOf = (client: OpenAI) =>
  vi.spyOn(client as unknown as { makeRequest: () => unknown }, "makeRequest");

const params = { model: "m", messages: ask("Hi"), stream: true as const };

describe("withDirectStreaming: the SDK's request and objects", () => {
  it("sends the request the SDK sends: URL, headers and body", async () => {
    const { fetch, requests } = recordingFetch(streamResponse(["Hello"]));
    const { sdk, direct } = bothClients(fetch, {
      organization: "org-1",
      project: "proj-1",
      defaultHeaders: { "x-app": "sprocket" },
    });
    const pipeline = pipelineOf(direct);
    await sdk.chat.completions.create({ ...params, temperature: 0.2 });
    await direct.chat.completions.create({ ...params, temperature: 0.2 });
    expect(pipeline).not.toHaveBeenCalled();
    expect(requests).toHaveLength(2);
    expect(requests[1]).toEqual(requests[0]);
    expect(requests[1]?.headers).toMatchObject({
      authorization: "Bearer sk-test",
      "openai-organization": "org-1",
      "openai-project": "proj-1",
      "x-app": "sprocket",
      "content-type": "application/json",
    });
  });

  it("resolves to the SDK's Stream: iterated, it yields the chunks the SDK's does", async () => {
    const { fetch } = recordingFetch(streamResponse(["Hel", "lo", " world"]));
    const { sdk, direct } = bothClients(fetch);
    const collect = async (client: OpenAI) => {
      const stream = await client.chat.completions.create(params);
      expect(stream.controller).toBeInstanceOf(AbortController);
      const chunks = [];
      for await (const chunk of stream) chunks.push(chunk);
      return chunks;
    };
    const chunks = await collect(direct);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content).join("")).toBe("Hello world");
    expect(chunks).toEqual(await collect(sdk));
  });

  it("keeps the SDK promise's withResponse() and asResponse()", async () => {
    const { fetch } = recordingFetch(streamResponse(["Hi"]));
    const { direct } = bothClients(fetch);
    const { data, response } = await direct.chat.completions.create(params).withResponse();
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const chunks = [];
    for await (const chunk of data) chunks.push(chunk.choices[0]?.delta.content);
    expect(chunks.join("")).toBe("Hi");
    const raw = await direct.chat.completions.create(params).asResponse();
    expect(await raw.text()).toBe(sseAnswer(["Hi"]));
  });

  it("rejects an HTTP error with the SDK's error: same class, status, message and body", async () => {
    const failures = [
      () => Response.json({ error: { message: "Slow down", type: "rate_limit" } }, { status: 429 }),
      () => Response.json({ error: { message: "Bad key", code: "invalid_api_key" } }, { status: 401 }),
      () => new Response("upstream exploded", { status: 502 }),
      () => new Response("null", { status: 500, headers: { "content-type": "application/json" } }),
    ];
    for (const failure of failures) {
      const { sdk, direct } = bothClients(async () => failure());
      const pipeline = pipelineOf(direct);
      const expected = await sdk.chat.completions.create(params).catch((error: unknown) => error);
      const actual = await direct.chat.completions.create(params).catch((error: unknown) => error);
      expect(pipeline).not.toHaveBeenCalled();
      expect(expected).toBeInstanceOf(OpenAI.APIError);
      expect(actual?.constructor).toBe(expected?.constructor);
      expect(actual).toMatchObject({
        status: (expected as APIError).status,
        message: (expected as APIError).message,
        error: (expected as APIError).error,
      });
    }
  });

  it("rejects a connection failure and a timeout as the SDK does", async () => {
    const failures = [
      new TypeError("fetch failed"),
      new TypeError("fetch failed", { cause: new Error("Connect Timeout Error") }),
      new DOMException("This operation was aborted", "AbortError"),
    ];
    for (const failure of failures) {
      const { sdk, direct } = bothClients(async () => {
        throw failure;
      });
      const expected = await sdk.chat.completions.create(params).catch((error: unknown) => error);
      const actual = await direct.chat.completions.create(params).catch((error: unknown) => error);
      expect(expected).toBeInstanceOf(OpenAI.APIConnectionError);
      expect(actual?.constructor, String(failure)).toBe(expected?.constructor);
      expect((actual as Error).message).toBe((expected as Error).message);
    }

    // Headers that never come: the client's timeout aborts the request.
    let signal: AbortSignal | undefined;
    const hanging: FetchLike = (_input, init) =>
      new Promise((_resolve, reject) => {
        signal = init?.signal ?? undefined;
        signal?.addEventListener("abort", () => reject(signal?.reason));
      });
    const { direct: slow } = bothClients(hanging, { timeout: 20 });
    await expect(slow.chat.completions.create(params)).rejects.toBeInstanceOf(
      OpenAI.APIConnectionTimeoutError,
    );
    expect(signal?.aborted).toBe(true);
  });

  it("rebuilds the headers when the client's key, organization or project changes", async () => {
    const { fetch, requests } = recordingFetch(streamResponse(["Hi"]));
    const { direct } = bothClients(fetch);
    await direct.chat.completions.create(params);
    direct.apiKey = "sk-rotated";
    await direct.chat.completions.create(params);
    direct.organization = "org-2";
    await direct.chat.completions.create(params);
    expect(requests.map((request) => request.headers.authorization)).toEqual([
      "Bearer sk-test",
      "Bearer sk-rotated",
      "Bearer sk-rotated",
    ]);
    expect(requests.map((request) => request.headers["openai-organization"])).toEqual([
      undefined,
      undefined,
      "org-2",
    ]);
  });

  it("hands each request its own headers: a fetch wrapper's changes do not carry over", async () => {
    const seen: (string | null)[] = [];
    let count = 0;
    const tracing: FetchLike = async (_input, init) => {
      const headers = init?.headers as Headers;
      headers.append("x-trace", String(count++));
      seen.push(headers.get("x-trace"));
      headers.delete("authorization");
      return streamResponse(["Hi"])();
    };
    const { sdk, direct } = bothClients(tracing);
    for (const client of [sdk, sdk, direct, direct]) await client.chat.completions.create(params);
    expect(seen).toEqual(["0", "1", "2", "3"]);
  });

  it("aborts the request when the signal in the client's fetchOptions aborts, as the SDK does", async () => {
    for (const pick of ["sdk", "direct"] as const) {
      const stop = new AbortController();
      let requestSignal: AbortSignal | undefined;
      const hanging: FetchLike = (_input, init) =>
        new Promise((_resolve, reject) => {
          requestSignal = init?.signal ?? undefined;
          requestSignal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
          stop.abort();
        });
      // Not in fetchOptions' type, but honoured by the SDK at runtime.
      const client = bothClients(hanging, { fetchOptions: { signal: stop.signal } as object })[pick];
      await expect(client.chat.completions.create(params), pick).rejects.toBeInstanceOf(
        OpenAI.APIConnectionTimeoutError,
      );
      expect(requestSignal?.aborted, pick).toBe(true);
    }
  });

  it("leaves a subclass such as AzureOpenAI to the SDK, which puts the deployment in the path", async () => {
    const { fetch, requests } = recordingFetch(streamResponse(["Hi"]));
    const azure = withDirectStreaming(
      new AzureOpenAI({
        apiKey: "k",
        endpoint: "https://example.openai.azure.com",
        apiVersion: "2024-10-21",
        maxRetries: 0,
        fetch,
      }),
    );
    await azure.chat.completions.create({ ...params, model: "gpt-4o" });
    expect(requests[0]?.url).toContain("/openai/deployments/gpt-4o/chat/completions");
  });

  it("leaves every call it cannot send exactly as the SDK would to the SDK", async () => {
    const { fetch } = recordingFetch(streamResponse(["Hi"]));
    const client = (options: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}) =>
      withDirectStreaming(new OpenAI({ baseURL: BASE_URL, apiKey: "k", maxRetries: 0, fetch, ...options }));
    const cases: [string, OpenAI, (client: OpenAI) => Promise<unknown>][] = [
      ["per-call options", client(), (sdk) => sdk.chat.completions.create(params, { timeout: 5_000 })],
      [
        "not streaming",
        client(),
        (sdk) => sdk.chat.completions.create({ model: "m", messages: ask("Hi") }).catch(() => undefined),
      ],
      ["retries", client({ maxRetries: 2 }), (sdk) => sdk.chat.completions.create(params)],
      [
        "an API key function",
        client({ apiKey: async () => "k" }),
        (sdk) => sdk.chat.completions.create(params),
      ],
    ];
    for (const [name, sdk, call] of cases) {
      const pipeline = pipelineOf(sdk);
      await call(sdk);
      expect(pipeline, name).toHaveBeenCalledTimes(1);
    }
  });

  it("refuses what is not an openai SDK client", () => {
    expect(() => withDirectStreaming({ chat: { completions: {} } } as unknown as OpenAI)).toThrow(
      /openai SDK/,
    );
  });
});

describe("withDirectStreaming's create() promise handed to openAIResponseStream", () => {
  const chat = (client: OpenAI, prompt: string, callbacks = {}) =>
    route(
      async ({ reply }) => {
        // As the demo does: unawaited, so an HTTP error answers 502.
        const answer = client.chat.completions.create({ model: "m", messages: ask(prompt), stream: true });
        const then = vi.spyOn(answer, "then");
        await reply.send(openAIResponseStream(answer, callbacks));
        // The relay read the response itself: the SDK's promise was never unwrapped into its Stream.
        expect(then).not.toHaveBeenCalled();
      },
      { logger },
    )(new Request("https://app.test/chat", { method: "POST" }));

  it("relays the whole answer from the response's raw events", async () => {
    const { model } = await startModel();
    const client = withDirectStreaming(
      new OpenAI({ baseURL: model.baseURL, apiKey: "local", maxRetries: 0, fetch: rawEventFetch() }),
    );
    const plain = new OpenAI({ baseURL: model.baseURL, apiKey: "local", maxRetries: 0 });
    const { calls, ended, callbacks } = recordEndings();
    const response = await chat(client, "How do I stream?", callbacks);
    expect(response.status).toBe(200);
    const text = await response.text();
    const whole = await plain.chat.completions.create({ model: "m", messages: ask("How do I stream?") });
    expect(text).toBe(whole.choices[0]?.message.content);
    await ended;
    expect(calls).toEqual([{ name: "onComplete", args: [text, { status: "complete" }] }]);
  });

  it("answers 502 for an HTTP error before the first token", async () => {
    const { model } = await startModel();
    const client = withDirectStreaming(
      new OpenAI({ baseURL: model.baseURL, apiKey: "local", maxRetries: 0 }),
    );
    const response = await chat(client, "[[fail-before-first-token]]");
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ error: { code: "BAD_GATEWAY" } });
  });

  it("aborts the model's request when the client leaves", async () => {
    const { model, completionEnd } = await startModel({ tokensPerSecond: 200, answerTokens: 2000 });
    const client = withDirectStreaming(
      new OpenAI({ baseURL: model.baseURL, apiKey: "local", maxRetries: 0 }),
    );
    const recorded = recordEndings();
    const response = await chat(client, "Hi", recorded.callbacks);
    await expectAbortWhenClientLeaves(response, completionEnd, recorded, 2000);
  });

  it("fails the body when the model's connection breaks mid-stream", async () => {
    const { model } = await startModel({ tokensPerSecond: 200 });
    const client = withDirectStreaming(
      new OpenAI({ baseURL: model.baseURL, apiKey: "local", maxRetries: 0 }),
    );
    const { calls, ended, callbacks } = recordEndings();
    const response = await chat(client, "Hi [[fail-mid-stream=3]]", callbacks);
    await expect(response.text()).rejects.toThrow();
    await ended;
    expect(calls.map((call) => call.name)).toEqual(["onComplete", "onError"]);
  });
});
