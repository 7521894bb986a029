// Replays a stored webhook delivery from the command line, as the inbox page's Replay button does:
// the event is made due now with a fresh count of attempts (a dead letter after a fix), unless an
// instance is running it. With --run, the app's drain (`GET /api/cron/webhooks`, with CRON_SECRET)
// is then called, so the event runs at once instead of at the next scheduled drain.
//
//   DATABASE_URL=postgresql://... npm run webhook:replay -- <event id> [--run http://localhost:3000]
//
// The statement is the demo store's `requeue` (apps/demo/lib/webhook-inbox.ts): this script runs
// without the app's TypeScript, so it cannot import the store, and the handlers only run inside
// the app, which is what --run asks for.
import { parseArgs } from "node:util";
import pg from "pg";

const usage =
  "Usage: DATABASE_URL=postgresql://... npm run webhook:replay -- <event id> [--run <app origin>]";
let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { run: { type: "string" } } });
} catch (error) {
  console.error(`${error.message}\n${usage}`);
  process.exit(2);
}
const { positionals, values } = parsed;
const [id] = positionals;
if (!id || positionals.length > 1) {
  console.error(usage);
  process.exit(2);
}
const connectionString = process.env.DATABASE_URL;
if (!connectionString) {
  console.error("Set DATABASE_URL to the demo's database (`npm run demo` prints the embedded one's).");
  process.exit(2);
}
let drainUrl;
if (values.run !== undefined) {
  try {
    drainUrl = new URL("/api/cron/webhooks", values.run);
  } catch {
    console.error(`--run takes the app's origin, such as http://localhost:3000; got ${values.run}`);
    process.exit(2);
  }
  if (!process.env.CRON_SECRET) {
    console.error("--run calls the app's drain, which needs CRON_SECRET: set it as the app has it.");
    process.exit(2);
  }
}

const client = new pg.Client({ connectionString });
await client.connect();
let outcome;
try {
  // The time as the store writes it: UTC wall-clock text into the `timestamp(3)` columns, so the
  // database session's time zone does not shift it (`now()` would be local time there).
  const { rowCount } = await client.query(
    `UPDATE "WebhookEvent"
     SET "status" = 'pending', "attempts" = 0, "nextAttemptAt" = $2::timestamp(3), "lockedUntil" = NULL, "processedAt" = NULL
     WHERE "id" = $1 AND NOT ("status" = 'processing' AND "lockedUntil" > $2::timestamp(3))`,
    [id, new Date().toISOString()],
  );
  if (rowCount > 0) outcome = "requeued";
  else {
    const { rowCount: exists } = await client.query('SELECT 1 FROM "WebhookEvent" WHERE "id" = $1', [id]);
    outcome = exists > 0 ? "busy" : "not-found";
  }
} finally {
  await client.end();
}

if (outcome === "not-found") {
  console.error(`No webhook event has the id ${id}.`);
  process.exit(1);
}
if (outcome === "busy") {
  console.error(`Webhook event ${id} is running on an instance now; replay it once that run ends.`);
  process.exit(1);
}
console.log(`Webhook event ${id} is due again, with a fresh count of attempts.`);
if (drainUrl !== undefined) {
  const response = await fetch(drainUrl, {
    headers: { authorization: `Bearer ${process.env.CRON_SECRET}` },
  });
  const text = await response.text();
  if (!response.ok) {
    console.error(`The drain answered ${response.status}: ${text}`);
    process.exit(1);
  }
  console.log(`The drain ran: ${text}`);
} else {
  console.log("It runs at the next drain (GET /api/cron/webhooks), or now with --run <app origin>.");
}
