// Standard Webhooks senders (Svix, Resend, Clerk, ...): the endpoint's whsec_ secret in
// STANDARD_WEBHOOK_SECRET.
import { demoWebhookRoute } from "@/lib/webhooks";

export const POST = demoWebhookRoute("standard");
