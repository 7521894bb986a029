// The demo's webhook routes and the cron drain, signed for real, on both database legs.
import { createHmac, randomUUID } from "node:crypto";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { databaseKind } from "./database";

// `after` only works inside a Next.js request; here it collects the tasks so tests await them.
const tasks: Promise<unknown>[] = [];
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  after: (task: () => Promise<unknown>) => {
    tasks.push(task());
  },
}));

const GITHUB_SECRET = "github-demo-secret";
const STRIPE_SECRET = "whsec_stripe_demo_secret";
const STANDARD_SECRET = `whsec_${Buffer.from("standard-demo-secret-bytes").toString("base64")}`;
const CRON_SECRET = "cron-secret-at-least-16";
const configured = {
  GITHUB_WEBHOOK_SECRET: GITHUB_SECRET,
  STRIPE_WEBHOOK_SECRET: STRIPE_SECRET,
  STANDARD_WEBHOOK_SECRET: STANDARD_SECRET,
  CRON_SECRET,
};

/** Fresh demo modules with these variables set (the config is read once per module graph). */
async function demoWith(env: Record<string, string | undefined>) {
  vi.resetModules();
  for (const [name, value] of Object.entries({ ...configured, ...env })) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  return {
    github: (await import("@/app/webhooks/github/route")).POST,
    stripe: (await import("@/app/webhooks/stripe/route")).POST,
    standard: (await import("@/app/webhooks/standard/route")).POST,
    cron: (await import("@/app/api/cron/webhooks/route")).GET,
    prisma: (await import("@/lib/db")).db(),
  };
}

const hmac = (key: string | Buffer, content: string, encoding: "hex" | "base64") =>
  createHmac("sha256", key).update(content).digest(encoding);
const seconds = () => Math.floor(Date.now() / 1000);

function github(deliveryId: string) {
  const body = JSON.stringify({
    action: "created",
    repository: { full_name: "acme/sprocket", stargazers_count: 3 },
  });
  return new Request("http://localhost/webhooks/github", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "X-Hub-Signature-256": `sha256=${hmac(GITHUB_SECRET, body, "hex")}`,
      "X-GitHub-Delivery": deliveryId,
      "X-GitHub-Event": "star",
    },
    body,
  });
}

function stripe(eventId: string) {
  const body = JSON.stringify({
    id: eventId,
    object: "event",
    type: "customer.created",
    data: { object: { id: "cus_1", object: "customer" } },
  });
  const t = seconds();
  return new Request("http://localhost/webhooks/stripe", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "Stripe-Signature": `t=${t},v1=${hmac(STRIPE_SECRET, `${t}.${body}`, "hex")}`,
    },
    body,
  });
}

function standard(messageId: string) {
  const body = JSON.stringify({
    type: "invoice.paid",
    timestamp: new Date().toISOString(),
    data: { id: "inv_1" },
  });
  const t = seconds();
  const key = Buffer.from(STANDARD_SECRET.slice("whsec_".length), "base64");
  return new Request("http://localhost/webhooks/standard", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "webhook-id": messageId,
      "webhook-timestamp": String(t),
      "webhook-signature": `v1,${hmac(key, `${messageId}.${t}.${body}`, "base64")}`,
    },
    body,
  });
}

beforeEach(() => {
  tasks.length = 0;
});
afterAll(async () => {
  const { prisma } = await demoWith({});
  await prisma.$disconnect();
});

describe(`the demo's webhook routes (${databaseKind})`, () => {
  it("stores a GitHub star event, answers 204, then runs the handler; a duplicate answers 200", async () => {
    const demo = await demoWith({});
    const deliveryId = randomUUID();
    const response = await demo.github(github(deliveryId));
    expect(response.status).toBe(204);
    await Promise.all(tasks);
    const rows = await demo.prisma.webhookEvent.findMany({ where: { provider: "github", deliveryId } });
    expect(rows).toMatchObject([{ topic: "star", status: "processed", attempts: 1 }]);
    const again = await demo.github(github(deliveryId));
    expect(again.status).toBe(200);
    expect(await demo.prisma.webhookEvent.count({ where: { provider: "github", deliveryId } })).toBe(1);
  });

  it("stores Stripe and Standard Webhooks deliveries under their event and message ids", async () => {
    const demo = await demoWith({});
    const eventId = `evt_${randomUUID()}`;
    const messageId = `msg_${randomUUID()}`;
    expect((await demo.stripe(stripe(eventId))).status).toBe(200);
    expect((await demo.standard(standard(messageId))).status).toBe(200);
    await Promise.all(tasks);
    expect(
      await demo.prisma.webhookEvent.findMany({
        where: { deliveryId: { in: [eventId, messageId] } },
        orderBy: { provider: "asc" },
      }),
    ).toMatchObject([
      { provider: "standard", topic: "invoice.paid", status: "processed" },
      { provider: "stripe", topic: "customer.created", status: "processed" },
    ]);
  });

  it("answers 503 naming the variable when a provider's secret is unset, storing nothing", async () => {
    const demo = await demoWith({ GITHUB_WEBHOOK_SECRET: undefined });
    const deliveryId = randomUUID();
    const response = await demo.github(github(deliveryId));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBeTruthy();
    const body = await response.json();
    expect(body.error.message).toContain("GITHUB_WEBHOOK_SECRET");
    expect(JSON.stringify(body)).not.toContain(GITHUB_SECRET);
    expect(await demo.prisma.webhookEvent.count({ where: { deliveryId } })).toBe(0);
  });

  it("refuses the cron drain without the bearer secret and runs it with it", async () => {
    const demo = await demoWith({});
    const cron = (authorization?: string) =>
      demo.cron(
        new Request("http://localhost/api/cron/webhooks", {
          headers: authorization ? { authorization } : {},
        }),
      );
    expect((await cron()).status).toBe(401);
    expect((await cron("Bearer wrong-secret-of-some-length")).status).toBe(401);
    expect((await cron(CRON_SECRET)).status).toBe(401);
    // Other files share the table, and their drains claim what is due at their clocks: this drain
    // runs in 1970 (this process's clock only), when nothing is due and nothing is old enough to
    // delete, so it changes no other file's rows and its answer is exact.
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("1970-01-02T00:00:00Z") });
    let response: Response;
    try {
      response = await cron(`Bearer ${CRON_SECRET}`);
    } finally {
      vi.useRealTimers();
    }
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ claimed: 0, processed: 0, failed: 0, dead: 0, deleted: 0 });

    const unset = await demoWith({ CRON_SECRET: undefined });
    expect((await unset.cron(new Request("http://localhost/api/cron/webhooks"))).status).toBe(503);
  });
});
