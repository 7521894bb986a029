// GitHub's star events (or any other): verified, stored once, logged after the answer, 204.
// In the repository's Settings > Webhooks: this URL, content type application/json, the secret
// in GITHUB_WEBHOOK_SECRET, and the "Stars" event.
import { demoWebhookRoute } from "@/lib/webhooks";

export const POST = demoWebhookRoute("github", { acknowledgeStatus: 204 });
