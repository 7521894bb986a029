// (a'') Diagnostic: the model's bytes passed through untouched, but the Response returned only
// once a read has carried the first text delta (the status committed at the first token, as a
// relay must): what that wait costs in time to first byte, without parsing every chunk.
import { fetchUpstream, TEXT_HEADERS } from "../../lib/upstream";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  const upstream = await fetchUpstream(request.signal);
  if (!upstream.body) return new Response(null, { status: 502 });
  const reader = upstream.body.getReader();
  const decoder = new TextDecoder();
  const held: Uint8Array[] = [];
  let seen = "";
  let isDone = false;
  while (!/"content":"[^"]/.test(seen)) {
    const { done, value } = await reader.read();
    if (done) {
      isDone = true;
      break;
    }
    held.push(value);
    seen += decoder.decode(value, { stream: true });
  }
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of held) controller.enqueue(chunk);
      if (isDone) controller.close();
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return new Response(body, { headers: TEXT_HEADERS });
}
