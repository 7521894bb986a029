import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { generateAnswer } from "./generate-answer.js";
import {
  type CompletionIdentity,
  completion,
  errorBody,
  type FinishReason,
  finishChunk,
  roleChunk,
  SSE_DONE,
  SSE_HEADERS,
  sseEvent,
  tokenChunk,
  usageChunk,
} from "./openai-wire.js";
import { type LocalModelFailure, parsePromptDirectives } from "./prompt-directives.js";

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" } as const;
/** Request bodies past this size are refused, as a real API would. */
const BODY_LIMIT = 1024 * 1024;

export interface LocalModelServerOptions {
  /** TCP port. Default: 0 (any free port; read it from `url`). */
  port?: number;
  /** Host to bind. Default: "127.0.0.1" (never exposed beyond the machine). */
  host?: string;
  /** Pace of streamed tokens. `Infinity` streams as fast as the socket takes them. Default: 30. */
  tokensPerSecond?: number;
  /** Tokens in every answer. Default: 60 to 240, depending on the prompt. */
  answerTokens?: number;
  /** Makes every completion fail this way (prompts can ask per request; see `parsePromptDirectives`). Default: none. */
  failure?: LocalModelFailure;
  /** Tokens sent before a `"mid-stream"` or `"stall"` failure. Default: 3. */
  failAfterTokens?: number;
  /** Model ids `GET /v1/models` lists; any id is accepted in requests. Default: `["sprocket-local"]`. */
  models?: readonly string[];
  /** Called when a completion ends, however it ends: lets tests see a client hang up. */
  onCompletionEnd?: (event: CompletionEnd) => void;
}

/** How one completion ended, as the server saw it. */
export interface CompletionEnd {
  id: string;
  /** The prompt, without directives. */
  prompt: string;
  /** Tokens written to the socket. */
  tokensSent: number;
  /**
   * `"complete"`: the whole answer was sent. `"client-closed"`: the client hung up first.
   * `"failed"`: a failure hook ended it.
   */
  status: "complete" | "client-closed" | "failed";
}

export interface LocalModelServer {
  /** The server's origin, e.g. `http://127.0.0.1:4010`. */
  url: string;
  /** `url` + `/v1`: the `baseURL` for `new OpenAI({ baseURL })` or `createOpenAI({ baseURL })`. */
  baseURL: string;
  port: number;
  /** Closes the server and every open connection. Safe to call twice. */
  stop(): Promise<void>;
}

interface ChatRequest {
  model?: unknown;
  messages?: unknown;
  stream?: unknown;
  stream_options?: { include_usage?: unknown } | null;
  max_tokens?: unknown;
  max_completion_tokens?: unknown;
}

/**
 * Starts an OpenAI-compatible model on this machine: `POST /v1/chat/completions` (streamed as
 * OpenAI streams, or whole) and `GET /v1/models`. Answers are plausible Markdown, the same for the
 * same prompt, at a realistic pace; a client that hangs up stops the stream. Failures for tests come
 * from the `failure` option or from directives in the prompt (`[[fail-before-first-token]]`,
 * `[[fail-mid-stream]]`, `[[stall]]`, `[[fast]]`, `[[tokens=N]]`).
 *
 * @example
 * const model = await startLocalModelServer({ tokensPerSecond: 30 });
 * const openai = new OpenAI({ baseURL: model.baseURL, apiKey: "local" });
 * // ... later
 * await model.stop();
 */
export async function startLocalModelServer({
  port = 0,
  host = "127.0.0.1",
  tokensPerSecond = 30,
  answerTokens,
  failure,
  failAfterTokens = 3,
  models = ["sprocket-local"],
  onCompletionEnd,
}: LocalModelServerOptions = {}): Promise<LocalModelServer> {
  if (!(tokensPerSecond > 0)) throw new RangeError("tokensPerSecond must be a positive number or Infinity");
  const created = Math.floor(Date.now() / 1000);
  const settings = { tokensPerSecond, answerTokens, failure, failAfterTokens, onCompletionEnd };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, errorBody(String(error), "server_error"));
      else response.destroy();
    });
  });

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? "/", "http://local").pathname.replace(/\/+$/u, "");
    if (request.method === "GET" && path === "/v1/models") {
      const data = models.map((id) => ({ id, object: "model", created, owned_by: "sprocket" }));
      return sendJson(response, 200, { object: "list", data });
    }
    const modelMatch = /^\/v1\/models\/(.+)$/u.exec(path);
    if (request.method === "GET" && modelMatch) {
      const id = decodeURIComponent(modelMatch[1] as string);
      return sendJson(response, 200, { id, object: "model", created, owned_by: "sprocket" });
    }
    if (path === "/v1/chat/completions") {
      if (request.method !== "POST")
        return sendJson(response, 405, errorBody("Use POST", "invalid_request_error"));
      return await chatCompletion(request, response, settings);
    }
    sendJson(response, 404, errorBody(`Unknown path ${path}`, "invalid_request_error", "unknown_url"));
  };

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const boundPort = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${boundPort}`;
  let stopping: Promise<void> | undefined;
  return {
    url,
    baseURL: `${url}/v1`,
    port: boundPort,
    stop: () => {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Streams in progress (a stalled one never ends) must not hold the server open.
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}

type Settings = Pick<
  LocalModelServerOptions,
  "tokensPerSecond" | "answerTokens" | "failure" | "failAfterTokens" | "onCompletionEnd"
>;

async function chatCompletion(request: IncomingMessage, response: ServerResponse, settings: Settings) {
  const body = await readJson(request);
  if (!body.ok) return sendJson(response, body.status, errorBody(body.message, "invalid_request_error"));
  const chat = body.value as ChatRequest;
  const text = lastUserText(chat.messages);
  if (text === undefined) {
    return sendJson(
      response,
      400,
      errorBody("messages must hold at least one user message", "invalid_request_error"),
    );
  }
  const { prompt, directives } = parsePromptDirectives(text);
  const failure = directives.failure ?? settings.failure;
  const identity: CompletionIdentity = {
    id: `chatcmpl-${randomUUID().replaceAll("-", "").slice(0, 24)}`,
    model: typeof chat.model === "string" ? chat.model : "sprocket-local",
    created: Math.floor(Date.now() / 1000),
  };
  const end = (status: "complete" | "client-closed" | "failed", tokensSent: number) =>
    settings.onCompletionEnd?.({ id: identity.id, prompt, tokensSent, status });

  if (failure === "before-first-token") {
    sendJson(
      response,
      500,
      errorBody("The local model failed before its first token.", "server_error", "local_model_failure"),
    );
    return end("failed", 0);
  }
  const limit = toCount(chat.max_completion_tokens) ?? toCount(chat.max_tokens);
  let tokens = generateAnswer(prompt, { tokens: directives.tokens ?? settings.answerTokens });
  let finishReason: FinishReason = "stop";
  if (limit !== undefined && tokens.length > limit) {
    tokens = tokens.slice(0, limit);
    finishReason = "length";
  }
  const usage = {
    prompt_tokens: Math.ceil(text.length / 4),
    completion_tokens: tokens.length,
    total_tokens: 0,
  };
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  const failAfter = directives.failAfterTokens ?? settings.failAfterTokens ?? 3;

  if (chat.stream !== true) {
    // Whole answers fail the same ways, without the stream's partial tokens.
    if (failure === "mid-stream") {
      response.destroy();
      return end("failed", 0);
    }
    if (failure === "stall") return void response.once("close", () => end("client-closed", 0));
    sendJson(response, 200, completion(identity, tokens.join(""), finishReason, usage));
    return end("complete", tokens.length);
  }
  const includeUsage = chat.stream_options?.include_usage === true;
  const outcome = await streamTokens(response, identity, tokens, {
    tokensPerSecond: directives.isFast ? Number.POSITIVE_INFINITY : (settings.tokensPerSecond ?? 30),
    failure,
    failAfter,
    includeUsage,
  });
  if (outcome.status === "complete") {
    response.write(sseEvent(finishChunk(identity, finishReason, includeUsage)));
    if (includeUsage) response.write(sseEvent(usageChunk(identity, usage)));
    response.end(SSE_DONE);
  }
  end(outcome.status, outcome.tokensSent);
}

interface StreamPlan {
  tokensPerSecond: number;
  failure: LocalModelFailure | undefined;
  failAfter: number;
  includeUsage: boolean;
}

/** Writes one chunk per token at the planned pace; stops as soon as the client hangs up. */
async function streamTokens(
  response: ServerResponse,
  identity: CompletionIdentity,
  tokens: readonly string[],
  { tokensPerSecond, failure, failAfter, includeUsage }: StreamPlan,
): Promise<{ status: "complete" | "client-closed" | "failed"; tokensSent: number }> {
  let isClosed = false;
  let wake: (() => void) | undefined;
  response.once("close", () => {
    isClosed = true;
    wake?.();
  });
  const waitFor = (register: (resume: () => void) => void) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      register(resolve);
    });

  response.writeHead(200, SSE_HEADERS);
  response.flushHeaders();
  response.write(sseEvent(roleChunk(identity, includeUsage)));
  const interval = Number.isFinite(tokensPerSecond) ? 1000 / tokensPerSecond : 0;
  const startedAt = performance.now();
  for (let index = 0; index < tokens.length; index++) {
    if (interval > 0) {
      // Scheduled from the start, so timer lateness does not slow the overall pace.
      const delay = startedAt + (index + 1) * interval - performance.now();
      if (delay > 0) {
        let timer: NodeJS.Timeout | undefined;
        await waitFor((resume) => {
          timer = setTimeout(resume, delay);
        });
        clearTimeout(timer);
      }
    }
    if (isClosed) return { status: "client-closed", tokensSent: index };
    // Checked after the pause: the model fails while producing the next token, as real ones do.
    if (failure && index === failAfter) {
      if (failure === "mid-stream") {
        // end(), not destroy(): what was written still reaches the client, then the stream is cut
        // short without its last chunk, which clients report as a terminated connection.
        response.socket?.end();
        return { status: "failed", tokensSent: index };
      }
      await waitFor(() => {});
      return { status: "client-closed", tokensSent: index };
    }
    const isWritable = response.write(sseEvent(tokenChunk(identity, tokens[index] as string, includeUsage)));
    // At full speed, respect the socket's backpressure rather than buffering the whole answer.
    if (!isWritable) await waitFor((resume) => response.once("drain", resume));
    if (isClosed) return { status: "client-closed", tokensSent: index + 1 };
  }
  return { status: "complete", tokensSent: tokens.length };
}

function lastUserText(messages: unknown): string | undefined {
  if (!Array.isArray(messages)) return undefined;
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index] as { role?: unknown; content?: unknown } | null;
    if (message?.role !== "user") continue;
    if (typeof message.content === "string") return message.content;
    if (Array.isArray(message.content)) {
      return message.content
        .map((part: { type?: unknown; text?: unknown }) => (part?.type === "text" ? String(part.text) : ""))
        .join("");
    }
  }
  return undefined;
}

function toCount(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : undefined;
}

async function readJson(
  request: IncomingMessage,
): Promise<{ ok: true; value: unknown } | { ok: false; status: number; message: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT) return { ok: false, status: 413, message: "Request body too large" };
    chunks.push(chunk);
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    if (typeof value !== "object" || value === null) throw new TypeError("not an object");
    return { ok: true, value };
  } catch {
    return { ok: false, status: 400, message: "The request body must be a JSON object" };
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, JSON_HEADERS).end(JSON.stringify(body));
}
