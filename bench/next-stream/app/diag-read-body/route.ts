// (a4) Diagnostic: the pass-through after reading the request's body to its end, as `route()`
// does before its handler runs.
import { fetchUpstream, TEXT_HEADERS } from "../../lib/upstream";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  await request.arrayBuffer();
  const upstream = await fetchUpstream(request.signal);
  return new Response(upstream.body, { headers: TEXT_HEADERS });
}
