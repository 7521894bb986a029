// (d4) Diagnostic: openAIResponseStream(fetch Response) turned into its Response directly, without
// route() and reply.send: what the relay itself costs in time to first byte.
import { toDeferredResponse } from "@sprocket/server";
import { openAIResponseStream } from "@sprocket/server/ai";
import pino from "pino";
import { fetchUpstream } from "../../lib/upstream";

export const dynamic = "force-dynamic";
const logger = pino({ enabled: false });

export function POST(request: Request): Promise<Response> {
  return openAIResponseStream(fetchUpstream(request.signal), { signal: request.signal })[toDeferredResponse]({
    logger,
  });
}
