// (a7) Diagnostic: the pass-through after reading a clone of the request's body, as `route()` did
// to leave the request's own body unread for handlers.
import { fetchUpstream, TEXT_HEADERS } from "../../lib/upstream";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  await request.clone().arrayBuffer();
  const upstream = await fetchUpstream(request.signal);
  return new Response(upstream.body, { headers: TEXT_HEADERS });
}
