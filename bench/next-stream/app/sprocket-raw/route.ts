// (d') The demo's route: `connections.openai` fetches through rawEventFetch, so the relay reads the
// raw events behind the SDK's stream object.
import { sprocketChatRoute } from "../../lib/sprocket-route";
import { clients } from "../../lib/upstream";

export const dynamic = "force-dynamic";
export const POST = sprocketChatRoute(() => clients().raw);
