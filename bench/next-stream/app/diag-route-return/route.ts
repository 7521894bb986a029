// (a8) Diagnostic: the pass-through inside `route()`, its Response returned rather than sent with
// `reply.send`: what building the reply's Response (merged headers, the body wrapped to log its
// failures) costs in time to first byte, against (a3).
import { route } from "@sprocket/server";
import { fetchUpstream, TEXT_HEADERS } from "../../lib/upstream";

export const dynamic = "force-dynamic";
export const POST = route(async ({ request }) => {
  const upstream = await fetchUpstream(request.raw.signal);
  return new Response(upstream.body, { headers: TEXT_HEADERS });
});
