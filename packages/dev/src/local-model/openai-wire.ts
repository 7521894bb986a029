// OpenAI's chat-completions wire format, as its API sends it, so clients parse the local model
// exactly as they parse the real one.

/** The event that ends an OpenAI stream. */
export const SSE_DONE = "data: [DONE]\n\n";

/** Headers of OpenAI's streamed answers. */
export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  connection: "keep-alive",
} as const;

/** What one completion shares across its chunks. */
export interface CompletionIdentity {
  id: string;
  model: string;
  created: number;
}

export type FinishReason = "stop" | "length";

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** One server-sent event carrying `payload` as JSON. */
export function sseEvent(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

function chunk({ id, model, created }: CompletionIdentity, choices: unknown[], usage?: Usage | null) {
  const body: Record<string, unknown> = {
    id,
    object: "chat.completion.chunk",
    created,
    model,
    service_tier: "default",
    system_fingerprint: "fp_sprocket_local",
    choices,
  };
  if (usage !== undefined) body.usage = usage;
  return body;
}

/**
 * The chunks of a streamed completion, in order: the role delta (empty content), one chunk per
 * token, the finish chunk, and the usage chunk (empty `choices`) when the request asked for it.
 *
 * @example
 * roleChunk(identity); // { object: "chat.completion.chunk", choices: [{ delta: { role: "assistant", content: "" } }] }
 */
export function roleChunk(identity: CompletionIdentity, includeUsage = false) {
  const delta = { role: "assistant", content: "", refusal: null };
  return chunk(
    identity,
    [{ index: 0, delta, logprobs: null, finish_reason: null }],
    includeUsage ? null : undefined,
  );
}

/** The chunk carrying one token. @example tokenChunk(identity, " Hello") */
export function tokenChunk(identity: CompletionIdentity, content: string, includeUsage = false) {
  const choice = { index: 0, delta: { content }, logprobs: null, finish_reason: null };
  return chunk(identity, [choice], includeUsage ? null : undefined);
}

/** The chunk that ends the choice. @example finishChunk(identity, "stop") */
export function finishChunk(identity: CompletionIdentity, reason: FinishReason, includeUsage = false) {
  const choice = { index: 0, delta: {}, logprobs: null, finish_reason: reason };
  return chunk(identity, [choice], includeUsage ? null : undefined);
}

/** The last chunk under `stream_options.include_usage`. @example usageChunk(identity, usage) */
export function usageChunk(identity: CompletionIdentity, usage: Usage) {
  return chunk(identity, [], usage);
}

/** A whole `chat.completion`, for `stream: false`. @example completion(identity, "Hi", "stop", usage) */
export function completion(
  identity: CompletionIdentity,
  content: string,
  reason: FinishReason,
  usage: Usage,
) {
  return {
    id: identity.id,
    object: "chat.completion",
    created: identity.created,
    model: identity.model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: reason,
      },
    ],
    usage,
    service_tier: "default",
    system_fingerprint: "fp_sprocket_local",
  };
}

/** OpenAI's error body. @example errorBody("Invalid body", "invalid_request_error") */
export function errorBody(message: string, type: string, code: string | null = null) {
  return { error: { message, type, param: null, code } };
}
