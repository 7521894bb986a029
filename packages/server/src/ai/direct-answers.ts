/**
 * The answers `withDirectStreaming` sent, by the promise its `create()` returned: the promise of
 * the model's response and the controller that aborts its request. `openAIResponseStream` handed
 * such a promise reads the response's raw events directly, without waiting for the SDK to wrap it.
 * Its own module so that the `ai` entry finds them without importing the openai SDK.
 */
export const directAnswers = new WeakMap<
  object,
  { response: Promise<Response>; controller: AbortController }
>();
