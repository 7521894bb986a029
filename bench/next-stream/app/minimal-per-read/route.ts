// (b') The minimal relay enqueuing once per upstream read (the deltas of all the events the read
// completed, joined), as openAIResponseStream does: through Next.js, each enqueued chunk is a
// write to the socket, and that costs more than parsing the event.
import { fetchUpstream, TEXT_HEADERS } from "../../lib/upstream";

export const dynamic = "force-dynamic";
const encoder = new TextEncoder();

export async function POST(request: Request): Promise<Response> {
  const upstream = await fetchUpstream(request.signal);
  const decoder = new TextDecoder();
  let buffer = "";
  const body = upstream.body!.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        buffer += decoder.decode(chunk, { stream: true });
        let text = "";
        let end = buffer.indexOf("\n\n");
        while (end !== -1) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf("\n\n");
          if (!event.startsWith("data: ") || event === "data: [DONE]") continue;
          text += JSON.parse(event.slice(6)).choices[0]?.delta?.content ?? "";
        }
        if (text) controller.enqueue(encoder.encode(text));
      },
    }),
  );
  return new Response(body, { headers: TEXT_HEADERS });
}
