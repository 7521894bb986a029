// CPU per request of `webhookRoute` in process, without Next.js: real `Request`s (a 5 KB signed
// Shopify delivery, unique ids) through the route with a store in memory, against a no-op handler
// that reads the body and answers 200. Twice: with the route's one log line written (to
// /dev/null, synchronously, as pino writes stdout) and with logging off, to price that line.
//
//   node bench/webhook-route-cpu.mjs        (uses packages/server/dist: build it first)
import { createHmac, randomUUID } from "node:crypto";
import { webhookRoute } from "@sprocket/server/webhooks";
import { pino } from "pino";

const ROUNDS = 5;
const REQUESTS = 5_000;
const secret = "bench-secret";
const body = JSON.stringify({
  id: 1,
  note: "x".repeat(4_000),
  line_items: Array.from({ length: 20 }, (_, index) => ({ id: index, title: `item ${index}` })),
});
const signature = createHmac("sha256", secret).update(body).digest("base64");

function memoryStore() {
  const seen = new Set();
  const nothing = async () => undefined;
  return {
    insert: async ({ deliveryId }) => {
      if (seen.has(deliveryId)) return { isDuplicate: true };
      seen.add(deliveryId);
      return { id: randomUUID(), isDuplicate: false };
    },
    claim: nothing,
    claimDue: async () => [],
    complete: nothing,
    fail: nothing,
    requeue: async () => "not-found",
    deleteReceivedBefore: async () => 0,
  };
}

const inboxRoute = (logger) =>
  webhookRoute({
    provider: "shopify",
    secrets: secret,
    store: memoryStore(),
    onEvent: () => {},
    after: () => {},
    logger,
  });

const handlers = {
  "no-op handler": async (request) => {
    await request.arrayBuffer();
    return new Response(null, { status: 200 });
  },
  "webhookRoute, log line written": inboxRoute(pino(pino.destination({ dest: "/dev/null", sync: true }))),
  "webhookRoute, logging off": inboxRoute(pino({ level: "silent" })),
};

const delivery = () =>
  new Request("http://localhost/webhooks/shopify", {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-shopify-hmac-sha256": signature,
      "x-shopify-topic": "orders/create",
      "x-shopify-shop-domain": "bench.myshopify.com",
      "x-shopify-api-version": "2026-01",
      "x-shopify-webhook-id": randomUUID(),
      "x-shopify-event-id": randomUUID(),
      "x-shopify-triggered-at": new Date().toISOString(),
    },
  });

/** CPU µs per request: the requests are built first, so only handling them is timed. */
async function cpuPerRequest(handler) {
  const requests = Array.from({ length: REQUESTS }, delivery);
  const started = process.cpuUsage();
  for (const request of requests) {
    const response = await handler(request);
    if (response.status !== 200) throw new Error(`answered ${response.status}`);
    await response.arrayBuffer();
  }
  const { user, system } = process.cpuUsage(started);
  return (user + system) / REQUESTS;
}

const samples = Object.fromEntries(Object.keys(handlers).map((name) => [name, []]));
for (let round = 0; round <= ROUNDS; round++) {
  for (const [name, handler] of Object.entries(handlers)) {
    const cost = await cpuPerRequest(handler);
    if (round > 0) samples[name].push(cost); // round 0 warms up
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const floor = median(samples["no-op handler"]);
console.log(
  `Node ${process.version}, ${REQUESTS} requests x ${ROUNDS} rounds, CPU µs per request (median, min-max)`,
);
for (const [name, values] of Object.entries(samples)) {
  const own = median(values);
  console.log(
    `${name.padEnd(32)} ${own.toFixed(1).padStart(6)} (${Math.min(...values).toFixed(1)}-${Math.max(...values).toFixed(1)})  over the no-op: ${(own - floor).toFixed(1)}`,
  );
}
