// (b) The least a relay can do: decode, split events, parse JSON, enqueue the content.
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
        let end = buffer.indexOf("\n\n");
        while (end !== -1) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf("\n\n");
          if (!event.startsWith("data: ") || event === "data: [DONE]") continue;
          const content = JSON.parse(event.slice(6)).choices[0]?.delta?.content;
          if (content) controller.enqueue(encoder.encode(content));
        }
      },
    }),
  );
  return new Response(body, { headers: TEXT_HEADERS });
}
