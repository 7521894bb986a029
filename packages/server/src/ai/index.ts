export {
  ANSWER_HEADERS,
  type OpenAIResponseStreamOptions,
  openAIResponseStream,
} from "./open-ai-response-stream.js";
export type { ChatCompletionChunkLike } from "./parse-chat-completion-chunk.js";
export type { AnswerCallbacks, AnswerEnd, AnswerStatus } from "./relay-answer.js";
export {
  type AnswerSource,
  type FetchLike,
  type OpenAIChatCompletionStream,
  rawEventFetch,
  type StreamTextResultLike,
} from "./text-source.js";
