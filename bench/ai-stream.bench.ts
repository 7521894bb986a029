// Relaying a 10,000-token answer: seven ways to turn a model's OpenAI stream into a text Response,
// each read to its end by a client. Two upstreams: an in-process Response that replays the local
// model's exact SSE bytes one event per chunk (no network noise), and the local model server itself
// at full speed, in a child process so its work is not counted here. CPU time per answer comes from
// process.cpuUsage() around each run; the table at the end reports medians.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createOpenAI } from "@ai-sdk/openai";
import { toDeferredResponse } from "@sprocket/server";
import { openAIResponseStream, rawEventFetch } from "@sprocket/server/ai";
import { streamText } from "ai";
import OpenAI from "openai";
import pino from "pino";
import { afterAll, bench, describe } from "vitest";

const TOKENS = 10_000;
const PROMPT = `Benchmark answer [[tokens=${TOKENS}]] [[fast]]`;
const logger = pino({ level: "silent" });
const encoder = new TextEncoder();

// The local model in its own process: `sprocket-dev model` from the built package.
const cli = fileURLToPath(new URL("../packages/dev/dist/cli.js", import.meta.url));
if (!existsSync(cli))
  throw new Error("Build @sprocket/dev first: node scripts/pnpm.mjs --filter @sprocket/dev build");
const server: ChildProcess = spawn(
  process.execPath,
  [cli, "model", "--port", "0", "--tokens-per-second", "Infinity"],
  {
    stdio: ["ignore", "pipe", "inherit"],
  },
);
const baseURL = await new Promise<string>((resolve, reject) => {
  server.once("error", reject);
  server.stdout?.on("data", (data: Buffer) => {
    const match = /listening: (\S+)/u.exec(data.toString());
    if (match?.[1]) resolve(match[1]);
  });
});
afterAll(() => {
  server.kill();
});

const requestBody = JSON.stringify({
  model: "sprocket-local",
  messages: [{ role: "user", content: PROMPT }],
  stream: true,
});
const fetchUpstream = () =>
  fetch(`${baseURL}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer local" },
    body: requestBody,
  });

// The server's exact bytes, split back into one chunk per event for the in-process upstream.
const recorded = await (await fetchUpstream()).text();
const events = recorded.split(/(?<=\n\n)/u).map((event) => encoder.encode(event));
const upstreamChunks = events.length - 3; // role, finish and [DONE] carry no text

/** A Response replaying the recorded stream, one event per read. */
function inProcessUpstream(): Response {
  let index = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const event = events[index++];
      if (event) controller.enqueue(event);
      else controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream; charset=utf-8" } });
}

type Upstream = "in-process" | "local server";
const rawUpstream = async (upstream: Upstream) =>
  upstream === "in-process" ? inProcessUpstream() : await fetchUpstream();
const upstreamFetch = (upstream: Upstream): typeof fetch =>
  upstream === "in-process" ? async () => inProcessUpstream() : fetch;

const TEXT_HEADERS = { "content-type": "text/plain; charset=utf-8" };

/** (b) The least a relay can do: decode, split events, parse JSON, enqueue the content. */
function minimalRelay(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const decoder = new TextDecoder();
  let buffer = "";
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        buffer += decoder.decode(chunk, { stream: true });
        let end = buffer.indexOf("\n\n");
        while (end !== -1) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf("\n\n");
          if (!event.startsWith("data: ") || event === "data: [DONE]") continue;
          const content = JSON.parse(event.slice(6)).choices[0]?.delta?.content;
          if (content) controller.enqueue(encoder.encode(content));
        }
      },
    }),
  );
}

type Path = (upstream: Upstream) => Promise<Response>;
const paths: Record<string, Path> = {
  "(a) pass-through new Response(upstream.body)": async (upstream) =>
    new Response((await rawUpstream(upstream)).body, { headers: TEXT_HEADERS }),
  "(b) minimal parse-and-enqueue relay": async (upstream) =>
    new Response(minimalRelay((await rawUpstream(upstream)).body!), { headers: TEXT_HEADERS }),
  "(c) openAIResponseStream(raw SSE Response)": async (upstream) =>
    openAIResponseStream(await rawUpstream(upstream))[toDeferredResponse]({ logger }),
  "(d) openAIResponseStream(openai SDK stream)": async (upstream) => {
    const stream = await openai[upstream].chat.completions.create(sdkRequest());
    return openAIResponseStream(stream)[toDeferredResponse]({ logger });
  },
  "(d') openAIResponseStream(openai SDK stream, client with rawEventFetch)": async (upstream) => {
    const stream = await rawOpenai[upstream].chat.completions.create(sdkRequest());
    return openAIResponseStream(stream)[toDeferredResponse]({ logger });
  },
  "(e) openai SDK stream iterated and enqueued": async (upstream) => {
    const stream = await openai[upstream].chat.completions.create(sdkRequest());
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        void (async () => {
          for await (const chunk of stream) {
            const content = chunk.choices[0]?.delta?.content;
            if (content) controller.enqueue(encoder.encode(content));
          }
          controller.close();
        })().catch((error: unknown) => controller.error(error));
      },
      cancel: () => stream.controller.abort(),
    });
    return new Response(body, { headers: TEXT_HEADERS });
  },
  "(f) ai SDK streamText().toTextStreamResponse()": async (upstream) =>
    streamText({ model: aiModel[upstream], prompt: PROMPT, maxRetries: 0 }).toTextStreamResponse(),
};

const clientOptions = (upstream: Upstream) => ({
  baseURL,
  apiKey: "local",
  maxRetries: 0,
  fetch: upstreamFetch(upstream),
});
const openai = {
  "in-process": new OpenAI(clientOptions("in-process")),
  "local server": new OpenAI(clientOptions("local server")),
};
const rawOpenai = {
  "in-process": new OpenAI({
    ...clientOptions("in-process"),
    fetch: rawEventFetch(upstreamFetch("in-process")),
  }),
  "local server": new OpenAI({
    ...clientOptions("local server"),
    fetch: rawEventFetch(upstreamFetch("local server")),
  }),
};
const aiModel = {
  "in-process": createOpenAI(clientOptions("in-process")).chat("sprocket-local"),
  "local server": createOpenAI(clientOptions("local server")).chat("sprocket-local"),
};
const sdkRequest = () => ({
  model: "sprocket-local",
  messages: [{ role: "user" as const, content: PROMPT }],
  stream: true as const,
});

interface Sample {
  cpuMicroseconds: number;
  firstByteMs: number;
  wallMs: number;
}
const samples = new Map<string, Sample[]>();

/** One answer through `path`, read to its end; records CPU time, time to first byte and wall time. */
async function measure(name: string, upstream: Upstream): Promise<void> {
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const response = await paths[name]!(upstream);
  const reader = response.body!.getReader();
  let firstByteMs = 0;
  let text = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (text === 0) firstByteMs = performance.now() - startedAt;
    text += value.byteLength;
  }
  const wallMs = performance.now() - startedAt;
  const cpu = process.cpuUsage(cpuBefore);
  if (text === 0) throw new Error(`${name} relayed nothing`);
  const key = `${upstream}|${name}`;
  if (!samples.has(key)) samples.set(key, []);
  samples.get(key)!.push({ cpuMicroseconds: cpu.user + cpu.system, firstByteMs, wallMs });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const options = { time: 4_000, warmupTime: 1_000, warmupIterations: 5, iterations: 20 };
for (const upstream of ["in-process", "local server"] as const) {
  describe(`${TOKENS} tokens, ${upstream} upstream`, () => {
    for (const name of Object.keys(paths)) {
      // Warm-up runs land in the samples too; medians are robust to them.
      bench(name, () => measure(name, upstream), options);
    }
  });
}

afterAll(() => {
  const lines = [
    `\n${upstreamChunks} text chunks per answer; medians of each path's runs (CPU: process.cpuUsage())`,
  ];
  for (const upstream of ["in-process", "local server"] as const) {
    const row = (name: string) => {
      const runs = samples.get(`${upstream}|${name}`) ?? [];
      return {
        runs: runs.length,
        cpuPerChunk: median(runs.map((run) => run.cpuMicroseconds)) / upstreamChunks,
        firstByteMs: median(runs.map((run) => run.firstByteMs)),
        wallMs: median(runs.map((run) => run.wallMs)),
      };
    };
    const names = Object.keys(paths);
    const [a, b, , , , e, f] = names.map(row);
    lines.push(`\n${upstream} upstream`);
    lines.push(
      "| path | µs CPU / chunk | chunks/s (CPU) | ms / answer (wall) | ×(b) | ×(e) | ×(f) | TTFB ms | TTFB − (a) ms | runs |",
    );
    lines.push("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (const name of names) {
      const r = row(name);
      const ratio = (base: { cpuPerChunk: number } | undefined) =>
        (r.cpuPerChunk / (base?.cpuPerChunk ?? Number.NaN)).toFixed(2);
      lines.push(
        `| ${name} | ${r.cpuPerChunk.toFixed(2)} | ${Math.round(1e6 / r.cpuPerChunk).toLocaleString("en")} | ${r.wallMs.toFixed(1)} | ${ratio(b)} | ${ratio(e)} | ${ratio(f)} | ${r.firstByteMs.toFixed(3)} | ${(r.firstByteMs - (a?.firstByteMs ?? 0)).toFixed(3)} | ${r.runs} |`,
      );
    }
  }
  console.log(lines.join("\n"));
});
