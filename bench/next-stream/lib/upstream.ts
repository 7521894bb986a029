// The upstream every route relays: the local model (`sprocket-dev model`) in its own process, at
// the URL the benchmark passes in UPSTREAM_URL, asked for a 10,000-token answer at full speed
// (BENCH_TOKENS answers with fewer, for the time-to-first-byte runs).
import { createOpenAI } from "@ai-sdk/openai";
import { rawEventFetch } from "@sprocket/server/ai";
import { withDirectStreaming } from "@sprocket/server/ai/openai";
import OpenAI from "openai";

export const TOKENS = Number(process.env.BENCH_TOKENS) || 10_000;
export const PROMPT = `Benchmark answer [[tokens=${TOKENS}]] [[fast]]`;
export const MESSAGES = [{ role: "user" as const, content: PROMPT }];
export const MODEL = "sprocket-local";
export const TEXT_HEADERS = { "content-type": "text/plain; charset=utf-8" };

const baseURL = () => {
  const url = process.env.UPSTREAM_URL;
  if (!url) throw new Error("UPSTREAM_URL is not set");
  return url;
};

/** The model's raw server-sent events. */
export function fetchUpstream(signal: AbortSignal): Promise<Response> {
  return fetch(`${baseURL()}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer local" },
    body: JSON.stringify({ model: MODEL, messages: MESSAGES, stream: true }),
    signal,
  });
}

const globalForClients = globalThis as {
  benchClients?: {
    sdk: OpenAI;
    raw: OpenAI;
    direct: OpenAI;
    aiModel: ReturnType<ReturnType<typeof createOpenAI>["chat"]>;
  };
};

/** One client of each kind per process, as an app keeps them: no retries, as the demo's. */
export function clients() {
  globalForClients.benchClients ??= {
    // The seed's `connections.openai`: a plain openai SDK client.
    sdk: new OpenAI({ baseURL: baseURL(), apiKey: "local", maxRetries: 0 }),
    // The demo's: the same, fetching through rawEventFetch so the relay reads the raw events.
    raw: new OpenAI({ baseURL: baseURL(), apiKey: "local", maxRetries: 0, fetch: rawEventFetch() }),
    // The demo's since: the same, streaming requests sent directly (withDirectStreaming).
    direct: withDirectStreaming(
      new OpenAI({ baseURL: baseURL(), apiKey: "local", maxRetries: 0, fetch: rawEventFetch() }),
    ),
    aiModel: createOpenAI({ baseURL: baseURL(), apiKey: "local" }).chat(MODEL),
  };
  return globalForClients.benchClients;
}
