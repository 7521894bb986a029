// The chat model as the seed's routes use it: `connections.openai`, an openai SDK client. With
// OPENAI_API_KEY it talks to OpenAI (or OPENAI_BASE_URL's compatible server); with neither set it
// talks to the built-in offline demo model, a local server in this process that speaks the same
// wire format, so the production code path is the one that runs. Its streaming create() sends the
// request directly (withDirectStreaming) and its fetch goes through rawEventFetch, so
// openAIResponseStream reads the answer's raw events instead of iterating the SDK's stream object
// (a fifth to two fifths of the CPU per chunk, and an earlier first byte; the answer behaves the
// same).
import { type LocalModelServer, startLocalModelServer } from "@sprocket/dev/local-model";
import { rawEventFetch } from "@sprocket/server/ai";
import { withDirectStreaming } from "@sprocket/server/ai/openai";
import OpenAI from "openai";
import { config } from "./config";

/** The base URL the offline client is created with; requests to it go to the local server. */
const OFFLINE_BASE_URL = "http://offline-demo-model.local/v1";

const globalForModel = globalThis as {
  sprocketOpenAI?: OpenAI;
  sprocketLocalModel?: Promise<LocalModelServer>;
};

/** The process's model client, created on first use. */
export function openai(): OpenAI {
  globalForModel.sprocketOpenAI ??= create();
  return globalForModel.sprocketOpenAI;
}

function create(): OpenAI {
  const { model } = config();
  // No retries: a retried streaming request would start the answer over behind the client's back.
  const options = { maxRetries: 0, timeout: 120_000 };
  if (!model.isOffline) {
    // A compatible server without keys (Ollama) still needs a non-empty string here.
    return withDirectStreaming(
      new OpenAI({
        apiKey: model.apiKey ?? "not-needed",
        baseURL: model.baseUrl,
        fetch: rawEventFetch(),
        ...options,
      }),
    );
  }
  return withDirectStreaming(
    new OpenAI({
      apiKey: "offline-demo-model",
      baseURL: OFFLINE_BASE_URL,
      fetch: rawEventFetch(offlineFetch),
      ...options,
    }),
  );
}

// The local server starts with the first request, not at import: most processes never chat.
async function offlineFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  globalForModel.sprocketLocalModel ??= startLocalModelServer({ tokensPerSecond: 30 });
  const server = await globalForModel.sprocketLocalModel;
  const url = String(input instanceof Request ? input.url : input).replace(OFFLINE_BASE_URL, server.baseURL);
  return fetch(url, init);
}
