// (d5) The demo's path with the demo's client: `withDirectStreaming` over a client fetching through
// rawEventFetch, the create() promise handed over unawaited.
import { sprocketChatRoute } from "../../lib/sprocket-route";
import { clients } from "../../lib/upstream";

export const dynamic = "force-dynamic";
export const POST = sprocketChatRoute(() => clients().direct);
