/** How a completion misbehaves, for tests of what a client does when a model fails. */
export type LocalModelFailure =
  /** HTTP 500 with OpenAI's error JSON, before any token. */
  | "before-first-token"
  /** The socket is destroyed after `failAfterTokens` tokens: the client sees a truncated stream. */
  | "mid-stream"
  /** Nothing more is sent after `failAfterTokens` tokens, and the connection stays open. */
  | "stall";

/** What a prompt asks of the local model through `[[...]]` directives. */
export interface PromptDirectives {
  failure?: LocalModelFailure;
  /** `[[fast]]`: stream as fast as the socket takes it. */
  isFast?: boolean;
  /** `[[tokens=N]]`: answer with exactly N tokens. */
  tokens?: number;
  /** `[[fail-mid-stream=N]]`, `[[stall=N]]`: tokens sent before the failure. */
  failAfterTokens?: number;
}

/** The directives a prompt may carry, so an end-to-end test can drive one shared server. */
export const DIRECTIVE_PATTERN =
  /\[\[(fail-before-first-token|fail-mid-stream|stall|fast|tokens)(?:=(\d+))?\]\]/g;

/**
 * Reads `[[fail-before-first-token]]`, `[[fail-mid-stream]]`, `[[fail-mid-stream=N]]`, `[[stall]]`,
 * `[[stall=N]]`, `[[fast]]` and `[[tokens=N]]` from a prompt, and the prompt without them (which
 * seeds the answer, so adding a directive does not change the text).
 *
 * @example
 * parsePromptDirectives("Hi [[stall=3]]"); // { prompt: "Hi", directives: { failure: "stall", failAfterTokens: 3 } }
 */
export function parsePromptDirectives(text: string): { prompt: string; directives: PromptDirectives } {
  const directives: PromptDirectives = {};
  for (const [, name, value] of text.matchAll(DIRECTIVE_PATTERN)) {
    const count = value === undefined ? undefined : Number(value);
    if (name === "fast") directives.isFast = true;
    else if (name === "tokens") directives.tokens = count;
    else if (name === "fail-before-first-token") directives.failure = "before-first-token";
    else {
      directives.failure = name === "stall" ? "stall" : "mid-stream";
      if (count !== undefined) directives.failAfterTokens = count;
    }
  }
  return { prompt: text.replace(DIRECTIVE_PATTERN, "").trim(), directives };
}
