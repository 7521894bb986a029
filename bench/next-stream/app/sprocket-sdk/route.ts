// (d) The seed's route: `connections.openai` a plain openai SDK client, so the relay iterates the
// SDK's stream object.
import { sprocketChatRoute } from "../../lib/sprocket-route";
import { clients } from "../../lib/upstream";

export const dynamic = "force-dynamic";
export const POST = sprocketChatRoute(() => clients().sdk);
