import { type CompletionEnd, type LocalModelServer, startLocalModelServer } from "@sprocket/dev";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { generateAnswer } from "./generate-answer.js";

const servers: LocalModelServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

/** A server whose completion endings can be awaited, and an SDK client for it. */
async function start(options: Parameters<typeof startLocalModelServer>[0] = {}) {
  const ended: CompletionEnd[] = [];
  const waiters: ((end: CompletionEnd) => void)[] = [];
  const server = await startLocalModelServer({
    tokensPerSecond: Number.POSITIVE_INFINITY,
    ...options,
    onCompletionEnd: (end) => {
      ended.push(end);
      waiters.shift()?.(end);
    },
  });
  servers.push(server);
  const nextEnd = () =>
    new Promise<CompletionEnd>((resolve) => {
      const done = ended.shift();
      if (done) resolve(done);
      else waiters.push(resolve);
    });
  const openai = new OpenAI({ baseURL: server.baseURL, apiKey: "local", maxRetries: 0 });
  return { server, openai, nextEnd };
}

const ask = (content: string) => [{ role: "user" as const, content }];

describe("startLocalModelServer", () => {
  it("lists its models", async () => {
    const { openai, server } = await start({ models: ["sprocket-local", "sprocket-small"] });
    const models = await openai.models.list();
    expect(models.data.map((model) => model.id)).toEqual(["sprocket-local", "sprocket-small"]);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/u);
    expect(server.baseURL).toBe(`${server.url}/v1`);
  });

  it("streams OpenAI's chunk format to the openai SDK: role first, one token per chunk, then stop", async () => {
    const { openai, nextEnd } = await start();
    const stream = await openai.chat.completions.create({
      model: "sprocket-local",
      messages: ask("How do I stream answers?"),
      stream: true,
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const expected = generateAnswer("How do I stream answers?");
    expect(chunks).toHaveLength(expected.length + 2);
    expect(chunks[0]).toMatchObject({
      object: "chat.completion.chunk",
      model: "sprocket-local",
      choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }],
    });
    expect(chunks.slice(1, -1).map((chunk) => chunk.choices[0]?.delta.content)).toEqual(expected);
    expect(chunks.at(-1)?.choices[0]).toMatchObject({ delta: {}, finish_reason: "stop" });
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(await nextEnd()).toMatchObject({ status: "complete", tokensSent: expected.length });
  });

  it("delivers each chunk before the next is written (the SDK reads a stalled stream's tokens)", async () => {
    const { openai, nextEnd } = await start({ failure: "stall", failAfterTokens: 3, tokensPerSecond: 30 });
    const stream = await openai.chat.completions.create({ model: "m", messages: ask("Hi"), stream: true });
    const contents: string[] = [];
    for await (const chunk of stream) {
      contents.push(chunk.choices[0]?.delta.content ?? "");
      // The fourth token is never sent: reaching three proves they arrived one by one.
      if (contents.length === 4) stream.controller.abort();
    }
    expect(contents.slice(1)).toEqual(generateAnswer("Hi").slice(0, 3));
    expect(await nextEnd()).toMatchObject({ status: "client-closed", tokensSent: 3 });
  });

  it("stops writing when the client hangs up", async () => {
    const { openai, nextEnd } = await start({ tokensPerSecond: 50, answerTokens: 1000 });
    const stream = await openai.chat.completions.create({ model: "m", messages: ask("Hi"), stream: true });
    let received = 0;
    for await (const _chunk of stream) {
      received += 1;
      if (received === 3) break; // the SDK aborts the request on break
    }
    const end = await nextEnd();
    expect(end.status).toBe("client-closed");
    expect(end.tokensSent).toBeLessThan(1000);
  });

  it("answers stream: false with a whole chat.completion, cut at max_tokens", async () => {
    const { openai } = await start();
    const whole = await openai.chat.completions.create({ model: "m", messages: ask("Explain caching") });
    expect(whole).toMatchObject({
      object: "chat.completion",
      choices: [
        {
          message: { role: "assistant", content: generateAnswer("Explain caching").join("") },
          finish_reason: "stop",
        },
      ],
    });
    const cut = await openai.chat.completions.create({
      model: "m",
      messages: ask("Explain caching"),
      max_tokens: 5,
    });
    expect(cut.choices[0]).toMatchObject({
      message: { content: generateAnswer("Explain caching").slice(0, 5).join("") },
      finish_reason: "length",
    });
    expect(cut.usage?.completion_tokens).toBe(5);
  });

  it("sends the usage chunk when stream_options.include_usage is set", async () => {
    const { openai } = await start({ answerTokens: 4 });
    const stream = await openai.chat.completions.create({
      model: "m",
      messages: ask("Hi"),
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: 4 } });
  });

  it("fails before the first token with HTTP 500 and OpenAI's error JSON", async () => {
    const { openai, nextEnd } = await start();
    const failing = openai.chat.completions.create({
      model: "m",
      messages: ask("Hi [[fail-before-first-token]]"),
      stream: true,
    });
    await expect(failing).rejects.toMatchObject({ status: 500, error: { type: "server_error" } });
    expect(await nextEnd()).toMatchObject({ status: "failed", tokensSent: 0 });
  });

  it("fails mid-stream by destroying the socket, so the SDK's iteration throws", async () => {
    const { openai, nextEnd } = await start({
      failure: "mid-stream",
      failAfterTokens: 2,
      tokensPerSecond: 100,
    });
    const stream = await openai.chat.completions.create({ model: "m", messages: ask("Hi"), stream: true });
    const contents: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) contents.push(chunk.choices[0]?.delta.content ?? "");
      })(),
    ).rejects.toThrow();
    expect(contents.slice(1)).toEqual(generateAnswer("Hi").slice(0, 2));
    expect(await nextEnd()).toMatchObject({ status: "failed", tokensSent: 2 });
  });

  it("answers unknown paths and invalid bodies with OpenAI's error JSON", async () => {
    const { server } = await start();
    const missing = await fetch(`${server.baseURL}/nothing`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { type: "invalid_request_error" } });
    const invalid = await fetch(`${server.baseURL}/chat/completions`, { method: "POST", body: "{" });
    expect(invalid.status).toBe(400);
    const noUser = await fetch(`${server.baseURL}/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ messages: [] }),
    });
    expect(noUser.status).toBe(400);
  });

  it("stops with streams still open", async () => {
    const { server, openai } = await start({ failure: "stall" });
    const stream = await openai.chat.completions.create({ model: "m", messages: ask("Hi"), stream: true });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    await server.stop();
    await expect(
      (async () => {
        for (;;) if ((await iterator.next()).done) return;
      })(),
    ).rejects.toThrow();
  });
});
