// (d'') Diagnostic: the demo's route with the model's fetch Response handed to
// openAIResponseStream directly, no openai SDK: separates the SDK's part of time to first byte.
import { route } from "@sprocket/server";
import { openAIResponseStream } from "@sprocket/server/ai";
import { fetchUpstream } from "../../lib/upstream";

export const dynamic = "force-dynamic";
export const POST = route(async ({ request, reply }) => {
  await reply.send(openAIResponseStream(fetchUpstream(request.raw.signal), { signal: request.raw.signal }));
});
