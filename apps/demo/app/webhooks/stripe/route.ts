// Stripe events: `stripe listen --forward-to localhost:3000/webhooks/stripe` prints the secret
// for STRIPE_WEBHOOK_SECRET.
import { demoWebhookRoute } from "@/lib/webhooks";

export const POST = demoWebhookRoute("stripe");
