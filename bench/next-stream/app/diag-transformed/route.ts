// (a') Diagnostic: the model's bytes passed through an identity TransformStream, to separate what
// a relay's stream plumbing costs in time to first byte from what parsing and waiting for the
// first token cost.
import { fetchUpstream, TEXT_HEADERS } from "../../lib/upstream";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  const upstream = await fetchUpstream(request.signal);
  const body = upstream.body?.pipeThrough(new TransformStream<Uint8Array, Uint8Array>()) ?? null;
  return new Response(body, { headers: TEXT_HEADERS });
}
