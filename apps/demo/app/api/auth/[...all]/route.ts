import { route } from "@sprocket/server";
import { auth } from "@/lib/auth";

export const dynamic = "force-dynamic";

/** better-auth's endpoints (sign-up, sign-in, sign-out, get-session, ...) under /api/auth. */
const handler = route(async ({ request, reply }) => {
  // The untouched request: better-auth reads the body, cookies and Origin itself.
  await reply.send(await auth().handler(request.raw));
});

export const GET = handler;
export const POST = handler;
