// (f) The ai SDK: streamText(...).toTextStreamResponse().
import { streamText } from "ai";
import { clients, PROMPT } from "../../lib/upstream";

export const dynamic = "force-dynamic";

export function POST(request: Request): Response {
  return streamText({
    model: clients().aiModel,
    prompt: PROMPT,
    maxRetries: 0,
    abortSignal: request.signal,
  }).toTextStreamResponse();
}
