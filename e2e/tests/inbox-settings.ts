// What the end-to-end server is started with for the webhook inbox spec: the operator's address
// (ADMIN_EMAILS) and the GitHub signing secret (GITHUB_WEBHOOK_SECRET). Not secrets: test values.

/** The one operator of the e2e server; the inbox spec signs up with it. */
export const OPERATOR_EMAIL = "inbox-operator@example.com";

/** The GitHub webhook secret the spec signs deliveries with. */
export const GITHUB_WEBHOOK_SECRET = "e2e-github-webhook-secret";
