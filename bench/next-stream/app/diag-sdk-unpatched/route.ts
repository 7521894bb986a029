// (d3) Diagnostic: the demo's route with its openai client fetching through Node's own fetch
// rather than the one Next.js patches into globalThis: what that patch costs the SDK's request.
import { rawEventFetch } from "@sprocket/server/ai";
import OpenAI from "openai";
import { sprocketChatRoute } from "../../lib/sprocket-route";

export const dynamic = "force-dynamic";

const nodeFetch =
  (globalThis.fetch as typeof fetch & { _nextOriginalFetch?: typeof fetch })._nextOriginalFetch ?? fetch;
let client: OpenAI | undefined;
export const POST = sprocketChatRoute(() => {
  client ??= new OpenAI({
    baseURL: process.env.UPSTREAM_URL,
    apiKey: "local",
    maxRetries: 0,
    fetch: rawEventFetch((input, init) => nodeFetch(input, init)),
  });
  return client;
});
