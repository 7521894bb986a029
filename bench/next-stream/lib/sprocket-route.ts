// The demo's chat route reduced to its streaming: `route()` with `connections.openai` in the
// context, the create() promise passed unawaited to openAIResponseStream, `reply.send`.
import { route } from "@sprocket/server";
import { openAIResponseStream } from "@sprocket/server/ai";
import type OpenAI from "openai";
import { MESSAGES, MODEL } from "./upstream";

export function sprocketChatRoute(openai: () => OpenAI) {
  return route(
    async ({ request, reply, connections }) => {
      const answer = (connections as { openai: OpenAI }).openai.chat.completions.create({
        model: MODEL,
        messages: MESSAGES,
        stream: true,
      });
      await reply.send(openAIResponseStream(answer, { signal: request.raw.signal }));
    },
    { context: () => ({ connections: { openai: openai() } }) },
  );
}
