// Webhook throughput: signed Shopify deliveries (2-8 KB bodies, unique ids plus 10 % repeats of
// earlier ones) sent by autocannon with 50 connections to one `next start` process of
// bench/webhook-app, against PostgreSQL. Routes, interleaved round by round so each ratio compares
// runs minutes apart at most:
//   noop                 reads the body, answers 200 (the baseline)
//   sprocket             shopifyWebhook on the demo's Prisma inbox store, acknowledgement only
//   sprocket+processing  the same with the no-op handler run after each answer (Next.js `after`)
//   bare                 node:crypto HMAC + one INSERT ... ON CONFLICT DO NOTHING (same pool)
//   shopify-api          @shopify/shopify-api webhooks.validate + the same INSERT
// Afterwards the rows of each route are compared with the deliveries it acknowledged with a 2xx.
//
//   node bench/webhook-throughput.mjs            (or `pnpm --filter bench bench:webhooks`)
// Environment: BENCH_DATABASE_URL (a database to use as is; default: create and drop
// sprocket_bench_webhooks on postgresql://devtest:devtest@127.0.0.1:5432/postgres),
// BENCH_ROUNDS (3), BENCH_DURATION seconds per run (10), BENCH_PORT (3917), BENCH_ROUTES
// (comma-separated subset, diagnostics noop-json, bare-pg, sprocket-memory and sprocket-204
// included; noop is always run),
// BENCH_SKIP_BUILD=1 (reuse .next),
// BENCH_CPU_PROF=<dir> (run `next start` under --cpu-prof, profile written there on exit),
// DATABASE_POOL_MAX (the app's pool; default pg's 10).
import { spawn } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, loadavg } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { applyMigrations } from "@sprocket/dev";
import autocannon from "autocannon";
import pg from "pg";

const require = createRequire(import.meta.url);
const appDir = fileURLToPath(new URL("webhook-app/", import.meta.url));
const nextBin = require.resolve("next/dist/bin/next");
const schemaPath = fileURLToPath(new URL("../apps/demo/prisma/schema.prisma", import.meta.url));

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
// Seconds of unmeasured load on every route before the first round: the first route to reach the
// database otherwise pays for V8 compiling Prisma's query compiler (WebAssembly) and the JIT the
// route's code, up to twice the CPU per request. Then WARMUP seconds before each measured run.
const FIRST_WARMUP = 6;
const WARMUP = 3;
const CONNECTIONS = 50;
const REPEAT_SHARE = 0.1;
const PORT = Number(process.env.BENCH_PORT ?? 3917);
const SECRET = `bench-${randomUUID()}`;
const ALL_ROUTES = [
  { name: "noop", path: "/noop", persists: false },
  { name: "sprocket", path: "/sprocket", persists: true },
  { name: "sprocket+processing", path: "/sprocket-processing", persists: true },
  { name: "bare", path: "/bare", persists: true },
  { name: "shopify-api", path: "/shopify-api", persists: true },
  // Diagnostics, run only when named in BENCH_ROUTES: the no-op answering the inbox route's JSON
  // body, the bare route on node-postgres without Prisma, Sprocket's route on a store in memory, and
  // Sprocket's route acknowledging with 204 and no body.
  { name: "noop-json", path: "/noop-json", persists: false, isDiagnostic: true },
  { name: "bare-pg", path: "/bare-pg", persists: true, isDiagnostic: true },
  { name: "sprocket-memory", path: "/sprocket-memory", persists: false, isDiagnostic: true },
  { name: "sprocket-204", path: "/sprocket-204", persists: true, isDiagnostic: true },
];
const only = process.env.BENCH_ROUTES?.split(",").map((name) => name.trim());
const ROUTES = ALL_ROUTES.filter((route) =>
  only ? route.name === "noop" || only.includes(route.name) : !route.isDiagnostic,
);

// --- database ---------------------------------------------------------------------------------
const ADMIN_URL = "postgresql://devtest:devtest@127.0.0.1:5432/postgres";
const OWN_DATABASE = "sprocket_bench_webhooks";
const ownsDatabase = !process.env.BENCH_DATABASE_URL;
const databaseUrl = process.env.BENCH_DATABASE_URL ?? withDatabase(ADMIN_URL, OWN_DATABASE);

function withDatabase(url, name) {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function adminQuery(sql) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

if (ownsDatabase) {
  await adminQuery(`DROP DATABASE IF EXISTS ${OWN_DATABASE} WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE ${OWN_DATABASE}`);
}
await applyMigrations({ databaseUrl, schemaPath });
const database = new pg.Client({ connectionString: databaseUrl });
await database.connect();
const [{ server_version: postgresVersion }] = (await database.query("SHOW server_version")).rows;

// --- the app ----------------------------------------------------------------------------------
function run(command, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", ...options });
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${args.join(" ")} exited ${code}`)),
    );
  });
}

if (process.env.BENCH_SKIP_BUILD !== "1") {
  await run(process.execPath, [nextBin, "build"], {
    cwd: appDir,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
}
const profileDir = process.env.BENCH_CPU_PROF;
const server = spawn(
  process.execPath,
  [
    ...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []),
    nextBin,
    "start",
    "-p",
    String(PORT),
  ],
  {
    cwd: appDir,
    // The routes log each delivery at info, as in production; the log goes to /dev/null so the
    // benchmark does not also measure a reader of the pipe.
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: databaseUrl,
      BENCH_WEBHOOK_SECRET: SECRET,
    },
  },
);
const serverExited = new Promise((resolve) => server.on("exit", resolve));
const origin = `http://127.0.0.1:${PORT}`;
for (let attempt = 0; ; attempt++) {
  try {
    await fetch(`${origin}/noop`, { method: "POST", body: "{}" });
    break;
  } catch (error) {
    if (attempt > 100) throw error;
    await sleep(200);
  }
}

// --- deliveries -------------------------------------------------------------------------------
// Order-like payload templates from 2 KB to 8 KB: line items until the size is reached.
const TEMPLATES = Array.from({ length: 32 }, (_, index) => {
  const target = 2048 + Math.round((6144 * index) / 31);
  const order = { id: 0, email: "buyer@example.com", currency: "EUR", note: "", line_items: [] };
  while (JSON.stringify(order).length < target - 160) {
    const n = order.line_items.length;
    order.line_items.push({ id: 1000 + n, sku: `SKU-${n}`, title: `Item ${n}`, quantity: 1, price: "9.90" });
  }
  order.note = "x".repeat(Math.max(0, target - 40 - JSON.stringify(order).length));
  return JSON.stringify(order).slice('{"id":0,'.length);
});

function createDeliveries(label) {
  let sequence = 0;
  const sent = [];
  return () => {
    if (sent.length > 0 && Math.random() < REPEAT_SHARE) {
      return sent[Math.floor(Math.random() * sent.length)];
    }
    sequence += 1;
    const eventId = `${label}-${sequence}`;
    const body = `{"id":${sequence},"event":"${eventId}",${TEMPLATES[sequence % TEMPLATES.length]}`;
    const delivery = {
      eventId,
      body,
      headers: {
        "content-type": "application/json",
        "x-shopify-topic": "orders/create",
        "x-shopify-hmac-sha256": createHmac("sha256", SECRET).update(body).digest("base64"),
        "x-shopify-shop-domain": "bench-shop.myshopify.com",
        "x-shopify-api-version": "2026-01",
        "x-shopify-webhook-id": randomUUID(),
        "x-shopify-event-id": eventId,
        "x-shopify-triggered-at": new Date().toISOString(),
      },
    };
    // A bounded window of earlier deliveries to repeat, recent ones included (so some repeats
    // arrive while the first delivery is still in flight).
    if (sent.length < 2000) sent.push(delivery);
    else sent[sequence % 2000] = delivery;
    return delivery;
  };
}

// CPU seconds (user + system) of a process, and of every PostgreSQL process on the machine (other
// people's queries included, so only a rough figure), from /proc: unlike requests/s, CPU time per
// request hardly depends on how many other processes share the two cores.
const CLOCK_TICKS = 100;
function processCpu(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}
function postgresCpu() {
  const byProcess = new Map();
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").startsWith("postgres"))
        byProcess.set(pid, processCpu(pid));
    } catch {}
  }
  return byProcess;
}
// A backend that exits takes its CPU time with it: count only what each live process added.
function postgresCpuSince(before) {
  let total = 0;
  for (const [pid, seconds] of postgresCpu()) total += seconds - (before.get(pid) ?? 0);
  return total;
}

/**
 * One autocannon run; resolves to its numbers, the event ids answered with a 2xx, and the
 * deliveries that got none (a non-2xx, or still in flight when the run stopped).
 */
function load(route, label, duration) {
  const next = createDeliveries(label);
  const acknowledged = new Set();
  const unanswered = new Map();
  const statuses = new Map();
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: origin,
        connections: CONNECTIONS,
        duration,
        requests: [
          {
            method: "POST",
            path: route.path,
            // With one request in flight per connection, `context` holds this connection's
            // delivery from its setupRequest until its onResponse.
            setupRequest: (request, context) => {
              const delivery = next();
              context.eventId = delivery.eventId;
              if (!acknowledged.has(delivery.eventId)) unanswered.set(delivery.eventId, delivery);
              return { ...request, headers: delivery.headers, body: delivery.body };
            },
            onResponse: (status, _body, context) => {
              statuses.set(status, (statuses.get(status) ?? 0) + 1);
              if (status >= 200 && status < 300) {
                acknowledged.add(context.eventId);
                unanswered.delete(context.eventId);
              }
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve({ result, acknowledged, unanswered, statuses })),
    );
  });
}

// --- runs -------------------------------------------------------------------------------------
const runs = [];
const loads = [];
const acknowledgedByRoute = new Map(ROUTES.map((route) => [route.name, new Set()]));
const unansweredByRoute = new Map(ROUTES.map((route) => [route.name, new Map()]));
const record = (route, { acknowledged, unanswered }) => {
  for (const eventId of acknowledged) acknowledgedByRoute.get(route.name).add(eventId);
  for (const [eventId, delivery] of unanswered) unansweredByRoute.get(route.name).set(eventId, delivery);
};
for (const route of ROUTES) {
  record(route, await load(route, `${route.name}~0-warmup-${randomUUID().slice(0, 8)}`, FIRST_WARMUP));
}
for (let round = 1; round <= ROUNDS; round++) {
  for (const route of ROUTES) {
    for (const [phase, duration] of [
      ["warmup", WARMUP],
      ["measured", DURATION],
    ]) {
      // "~" ends the route's name, so one route's ids never match another's prefix (bare, bare-pg).
      const label = `${route.name}~${round}-${phase}-${randomUUID().slice(0, 8)}`;
      const loadBefore = loadavg()[0];
      const cpuBefore = { app: processCpu(server.pid), postgres: postgresCpu() };
      const outcome = await load(route, label, duration);
      const { result, statuses } = outcome;
      record(route, outcome);
      const cpu = {
        app: processCpu(server.pid) - cpuBefore.app,
        postgres: postgresCpuSince(cpuBefore.postgres),
      };
      loads.push(loadBefore, loadavg()[0]);
      if (phase === "warmup") continue;
      const entry = {
        route: route.name,
        round,
        acknowledgedPerSecond: result["2xx"] / result.duration,
        requestsPerSecond: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        appCpuMs: (1000 * cpu.app) / result.requests.total,
        postgresCpuMs: (1000 * cpu.postgres) / result.requests.total,
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        statuses: Object.fromEntries(statuses),
        load: loadavg()[0],
      };
      runs.push(entry);
      console.log(
        `round ${round} ${route.name.padEnd(20)} ${entry.acknowledgedPerSecond.toFixed(0).padStart(6)} acked/s  ` +
          `p50 ${entry.p50} ms  p99 ${entry.p99} ms  CPU/request app ${entry.appCpuMs.toFixed(2)} ms ` +
          `postgres ${entry.postgresCpuMs.toFixed(2)} ms  non-2xx ${entry.non2xx}  errors ${entry.errors}  ` +
          `statuses ${JSON.stringify(entry.statuses)}  load ${entry.load.toFixed(2)}`,
      );
    }
  }
}

// --- the sender's retries ----------------------------------------------------------------------
// As Shopify does, every delivery that got no 2xx (most were in flight when autocannon stopped) is
// sent again until it gets one; a delivery committed before its answer was lost then answers as a
// duplicate. Afterwards rows must equal the deliveries acknowledged: none lost, none extra.
const retried = new Map();
for (const route of ROUTES.filter((candidate) => candidate.persists)) {
  const acknowledged = acknowledgedByRoute.get(route.name);
  const pending = [...unansweredByRoute.get(route.name).values()].filter(
    (delivery) => !acknowledged.has(delivery.eventId),
  );
  retried.set(route.name, pending.length);
  for (let attempt = 0; attempt < 5 && pending.length > 0; attempt++) {
    const failed = [];
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        for (let delivery = pending.pop(); delivery; delivery = pending.pop()) {
          const response = await fetch(`${origin}${route.path}`, {
            method: "POST",
            headers: delivery.headers,
            body: delivery.body,
          }).catch(() => undefined);
          await response?.arrayBuffer();
          if (response?.ok) acknowledged.add(delivery.eventId);
          else failed.push(delivery);
        }
      }),
    );
    pending.push(...failed);
  }
}

// --- rows against acknowledgements --------------------------------------------------------------
// Wait for `after` runs to settle before counting.
await sleep(2_000);
const checks = [];
for (const route of ROUTES.filter((candidate) => candidate.persists)) {
  const { rows } = await database.query(
    `SELECT "deliveryId", "status"::text AS status FROM "WebhookEvent" WHERE "deliveryId" LIKE $1`,
    [`${route.name}~%`],
  );
  const stored = new Set(rows.map((row) => row.deliveryId));
  const acknowledged = acknowledgedByRoute.get(route.name);
  let lost = 0;
  for (const eventId of acknowledged) if (!stored.has(eventId)) lost += 1;
  let storedUnacknowledged = 0;
  for (const eventId of stored) if (!acknowledged.has(eventId)) storedUnacknowledged += 1;
  const processed = rows.filter((row) => row.status === "processed").length;
  checks.push({
    route: route.name,
    retried: retried.get(route.name),
    acknowledged: acknowledged.size,
    rows: rows.length,
    duplicated: rows.length - stored.size,
    lost,
    storedUnacknowledged,
    processed,
  });
}

server.kill("SIGTERM");
await serverExited;
await database.end();
if (ownsDatabase) await adminQuery(`DROP DATABASE IF EXISTS ${OWN_DATABASE} WITH (FORCE)`);

// --- report -----------------------------------------------------------------------------------
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const spread = (values, digits) =>
  `${Math.min(...values).toFixed(digits)}-${Math.max(...values).toFixed(digits)}`;
const baseline = (round) => runs.find((entry) => entry.route === "noop" && entry.round === round);

console.log(
  `\n${cpus().length} cores (${cpus()[0].model}), Node ${process.version}, PostgreSQL ${postgresVersion}, ` +
    `${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION} s per route (after ${FIRST_WARMUP} s ` +
    `of warm-up on every route before the first round, and ${WARMUP} s before each run), ` +
    `load average ${spread(loads, 2)} (1-minute, sampled around each run)`,
);
console.log("medians over rounds (min-max); ratios are per round against that round's no-op run\n");
const table = ROUTES.map((route) => {
  const own = runs.filter((entry) => entry.route === route.name);
  const throughputRatios = own.map(
    (entry) => entry.acknowledgedPerSecond / baseline(entry.round).acknowledgedPerSecond,
  );
  const p99Ratios = own.map((entry) => entry.p99 / baseline(entry.round).p99);
  return {
    route: route.name,
    "acked/s": `${median(own.map((entry) => entry.acknowledgedPerSecond)).toFixed(0)} (${spread(
      own.map((entry) => entry.acknowledgedPerSecond),
      0,
    )})`,
    "p50 ms": `${median(own.map((entry) => entry.p50))} (${spread(
      own.map((entry) => entry.p50),
      0,
    )})`,
    "p99 ms": `${median(own.map((entry) => entry.p99))} (${spread(
      own.map((entry) => entry.p99),
      0,
    )})`,
    "app CPU ms/req": median(own.map((entry) => entry.appCpuMs)).toFixed(2),
    "pg CPU ms/req": median(own.map((entry) => entry.postgresCpuMs)).toFixed(2),
    "non-2xx": own.reduce((total, entry) => total + entry.non2xx + entry.errors, 0),
    "× throughput": `${median(throughputRatios).toFixed(2)} (${spread(throughputRatios, 2)})`,
    "× p99": `${median(p99Ratios).toFixed(2)} (${spread(p99Ratios, 2)})`,
  };
});
console.table(table);
console.log(
  "rows against unique deliveries acknowledged with a 2xx (warm-ups and the sender's retries included):",
);
console.table(checks);
const failed = checks.filter(
  (check) => check.lost > 0 || check.duplicated > 0 || check.rows !== check.acknowledged,
);
console.log(
  failed.length === 0
    ? "zero lost, zero duplicated: rows equal the unique deliveries acknowledged, one row each"
    : `LOST OR DUPLICATED: ${failed.map((check) => check.route).join(", ")}`,
);
mkdirSync(new URL("results/", import.meta.url), { recursive: true });
writeFileSync(
  new URL(`results/webhook-throughput-${Date.now()}.json`, import.meta.url),
  JSON.stringify({ runs, checks, loads }, null, 2),
);
if (failed.length > 0) process.exitCode = 1;
