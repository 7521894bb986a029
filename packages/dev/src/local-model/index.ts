export { type LocalModelFailure, type PromptDirectives, parsePromptDirectives } from "./prompt-directives.js";
export {
  type CompletionEnd,
  type LocalModelServer,
  type LocalModelServerOptions,
  startLocalModelServer,
} from "./start-local-model-server.js";
