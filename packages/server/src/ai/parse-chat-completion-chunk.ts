/** The end-of-stream event of OpenAI's chat-completions stream (`data: [DONE]`). */
export const DONE_EVENT = "[DONE]";

/** What one event of OpenAI's chat-completions stream means for the answer's text. */
export type ChatCompletionEvent =
  | { type: "text"; text: string }
  | { type: "done" }
  /** The provider reported a failure in-band, as `{"error": {...}}`. */
  | { type: "error"; error: unknown }
  /** Not JSON, or not an object: skipped by the relay, and logged. */
  | { type: "malformed" };

/**
 * The parts of a `chat.completion.chunk` the relay reads, and of the legacy completions stream's
 * `text_completion` chunk; the openai SDK's types fit it.
 */
export interface ChatCompletionChunkLike {
  choices?: ReadonlyArray<{
    /** Which answer of the request (`n` > 1 asks for several); the relay reads answer 0. */
    index?: number;
    delta?: { content?: string | null; refusal?: string | null } | null;
    /** The legacy completions API (`openai.completions.create`) streams its text here. */
    text?: string | null;
  } | null> | null;
}

/**
 * The text a chunk adds to the answer: choice 0's `delta.content`, or its `delta.refusal` (a
 * refusal is what the user must read instead), or, from the legacy completions API, its `text`.
 * Empty for role, finish and usage chunks, and for chunks of the other answers a request with
 * `n` > 1 streams (each in chunks of its own, by `index`).
 *
 * @example
 * chunkText({ choices: [{ delta: { content: "Hi" } }] }); // "Hi"
 * chunkText({ choices: [{ text: "Hi" }] }); // "Hi"
 */
export function chunkText(chunk: ChatCompletionChunkLike | null | undefined): string {
  const choices = chunk?.choices;
  const first = choices?.[0];
  // One choice, index 0, in nearly every chunk: the search is for `n` > 1 only.
  const choice = first && (first.index ?? 0) !== 0 ? choices?.find((item) => item?.index === 0) : first;
  const delta = choice?.delta;
  return delta?.content || delta?.refusal || (typeof choice?.text === "string" ? choice.text : "");
}

/**
 * Reads one `data` payload of OpenAI's chat-completions stream.
 *
 * @example
 * parseChatCompletionEvent('{"choices":[{"delta":{"content":"Hi"}}]}'); // { type: "text", text: "Hi" }
 * parseChatCompletionEvent("[DONE]"); // { type: "done" }
 */
export function parseChatCompletionEvent(data: string): ChatCompletionEvent {
  if (data === DONE_EVENT) return { type: "done" };
  let payload: unknown;
  try {
    payload = JSON.parse(data);
  } catch {
    return { type: "malformed" };
  }
  if (typeof payload !== "object" || payload === null) return { type: "malformed" };
  if ("error" in payload && payload.error) return { type: "error", error: payload.error };
  return { type: "text", text: chunkText(payload as ChatCompletionChunkLike) };
}
