// (a) The floor: the model's bytes passed through untouched.
import { fetchUpstream, TEXT_HEADERS } from "../../lib/upstream";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  const upstream = await fetchUpstream(request.signal);
  return new Response(upstream.body, { headers: TEXT_HEADERS });
}
