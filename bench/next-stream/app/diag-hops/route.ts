// (a6) Diagnostic: the pass-through after 20 promise hops (awaits), to price one hop inside a
// Next.js request, where every promise runs under its AsyncLocalStorage contexts.
import { fetchUpstream, TEXT_HEADERS } from "../../lib/upstream";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  for (let hop = 0; hop < 20; hop++) await Promise.resolve();
  const upstream = await fetchUpstream(request.signal);
  return new Response(upstream.body, { headers: TEXT_HEADERS });
}
