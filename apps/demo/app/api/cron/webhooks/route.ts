// The webhook inbox's drain, for Vercel Cron (or any scheduler): retries due events and deletes
// old deliveries. Vercel Cron sends `Authorization: Bearer <CRON_SECRET>`.
import { createHash, timingSafeEqual } from "node:crypto";
import { withRequestLog } from "@sprocket/server";
import { config } from "@/lib/config";
import { drainWebhooks, notConfigured } from "@/lib/webhooks";

export const dynamic = "force-dynamic";
// A drain runs handlers one event after another (25 at most); give it a minute, as the chat route has.
export const maxDuration = 60;

export const GET = withRequestLog(async (request: Request): Promise<Response> => {
  const { cronSecret } = config();
  if (cronSecret === undefined) return notConfigured("CRON_SECRET");
  if (!isBearer(request.headers.get("authorization"), cronSecret)) {
    return Response.json(
      { error: { code: "UNAUTHORIZED", message: "Unauthorized" } },
      { status: 401, headers: { "www-authenticate": "Bearer" } },
    );
  }
  const result = await drainWebhooks();
  return Response.json(result, { headers: { "cache-control": "no-store" } });
});

// Compared as digests, so the comparison takes the same time whatever the lengths.
function isBearer(header: string | null, secret: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(header ?? ""), digest(`Bearer ${secret}`));
}
