// (a5) Diagnostic: the pass-through inside `route()` with logging off: what the request's log
// line costs in time to first byte.
import { route } from "@sprocket/server";
import { pino } from "pino";
import { fetchUpstream, TEXT_HEADERS } from "../../lib/upstream";

export const dynamic = "force-dynamic";
export const POST = route(
  async ({ request, reply }) => {
    const upstream = await fetchUpstream(request.raw.signal);
    await reply.send(new Response(upstream.body, { headers: TEXT_HEADERS }));
  },
  { logger: pino({ level: "silent" }) },
);
