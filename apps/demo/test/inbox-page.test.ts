// The inbox page's replay route: operators (ADMIN_EMAILS, verified) only, same-site only, and a
// delivery whose handler failed is processed once replayed. On both database legs.
import { execFile, execFileSync } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { POST as replay } from "@/app/api/inbox/[id]/replay/route";
import { POST as github } from "@/app/webhooks/github/route";
import { db } from "@/lib/db";
import { webhookHandlers } from "@/lib/webhooks";
import { databaseKind } from "./database";
import { APP, signUp } from "./session";

// `after` only works inside a Next.js request; here it collects the tasks so tests await them.
const tasks: Promise<unknown>[] = [];
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  after: (task: () => Promise<unknown>) => {
    tasks.push(task());
  },
}));

const GITHUB_SECRET = "github-inbox-secret";
const OPERATOR = `Operator-${randomUUID()}@Example.com`;
// Read on first use of the config, which comes after this.
process.env.GITHUB_WEBHOOK_SECRET = GITHUB_SECRET;
process.env.ADMIN_EMAILS = `someone-else@example.com, ${OPERATOR.toLowerCase()}`;

// The route takes the handler when it is built, so the spy is in place before the first delivery.
const githubHandler = vi.spyOn(webhookHandlers, "github");

/** Sends a signed GitHub star event whose handler fails once, and returns the stored row's id. */
async function failedDelivery(): Promise<string> {
  githubHandler.mockImplementationOnce(() => {
    throw new Error("downstream unavailable");
  });
  const deliveryId = randomUUID();
  const body = JSON.stringify({ action: "created", repository: { full_name: "acme/sprocket" } });
  const response = await github(
    new Request("http://localhost/webhooks/github", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "X-Hub-Signature-256": `sha256=${createHmac("sha256", GITHUB_SECRET).update(body).digest("hex")}`,
        "X-GitHub-Delivery": deliveryId,
        "X-GitHub-Event": "star",
      },
      body,
    }),
  );
  expect(response.status).toBe(204);
  await Promise.all(tasks);
  const row = await db().webhookEvent.findUniqueOrThrow({
    where: { provider_deliveryId: { provider: "github", deliveryId } },
  });
  expect(row).toMatchObject({ status: "failed", attempts: 1, lastError: "Error: downstream unavailable" });
  return row.id;
}

function replayRequest(id: string, headers: Record<string, string> = {}) {
  return replay(
    new Request(`${APP}/api/inbox/${id}/replay`, {
      method: "POST",
      headers: { origin: APP, host: new URL(APP).host, ...headers },
    }),
    { params: Promise.resolve({ id }) },
  );
}

/** `npm run operator -- <email>`: marks the address verified in the test's database. */
function verifyOperator(email: string): string {
  const script = fileURLToPath(new URL("../scripts/verify-operator.mjs", import.meta.url));
  return execFileSync(process.execPath, [script, email], { env: process.env, encoding: "utf8" });
}

/** `npm run webhook:replay -- <args>`, its exit code and output. */
async function replayCommand(args: string[], env: Record<string, string | undefined> = {}) {
  const script = fileURLToPath(new URL("../scripts/replay-webhook.mjs", import.meta.url));
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [script, ...args], {
      env: { ...process.env, ...env },
      encoding: "utf8",
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, output: stdout + stderr };
  }
}

let operator: string;
let user: string;
/** Signed up with the listed address, never verified: someone who registered it first. */
let unverified: string;
const UNVERIFIED = `Squatter-${randomUUID()}@example.com`;
process.env.ADMIN_EMAILS += `, ${UNVERIFIED}`;

beforeEach(async () => {
  tasks.length = 0;
  if (operator === undefined) {
    operator = (await signUp("operator", OPERATOR)).cookie;
    expect(verifyOperator(OPERATOR.toUpperCase())).toContain("is verified");
  }
  user ??= (await signUp("user")).cookie;
  unverified ??= (await signUp("squatter", UNVERIFIED)).cookie;
});
afterAll(async () => {
  await db().$disconnect();
});

describe(`the inbox page's replay route (${databaseKind})`, () => {
  it("answers 404 to a signed-in user who is not an operator, to a listed address never verified and to an anonymous caller, running nothing", async () => {
    const id = await failedDelivery();
    const calls = githubHandler.mock.calls.length;
    for (const response of [
      await replayRequest(id, { cookie: user }),
      await replayRequest(id, { cookie: unverified }),
      await replayRequest(id),
    ]) {
      expect(response.status).toBe(404);
      expect(JSON.stringify(await response.json())).not.toContain("github");
    }
    expect(githubHandler.mock.calls.length).toBe(calls);
    expect(await db().webhookEvent.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "failed",
      attempts: 1,
    });
  });

  it("replays a failed delivery for an operator: the handler runs again and the delivery is processed", async () => {
    const id = await failedDelivery();
    const response = await replayRequest(id, { cookie: operator });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ id, outcome: "processed" });
    const row = await db().webhookEvent.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "processed", attempts: 1 });
    expect(row.processedAt).toBeInstanceOf(Date);

    // A browser's same-origin fetch is accepted on its Sec-Fetch-Site alone.
    const again = await replayRequest(id, { cookie: operator, origin: "", "sec-fetch-site": "same-origin" });
    expect(await again.json()).toEqual({ id, outcome: "processed" });
  });

  it("answers 404 to an operator for an unknown delivery", async () => {
    const response = await replayRequest(randomUUID(), { cookie: operator });
    expect(response.status).toBe(404);
  });

  it("refuses an operator's request made by another site", async () => {
    const id = await failedDelivery();
    const crossSite: Record<string, string>[] = [
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
      { origin: "https://attacker.example" },
      { origin: "" },
    ];
    for (const headers of crossSite) {
      const response = await replayRequest(id, { cookie: operator, ...headers });
      expect(response.status, JSON.stringify(headers)).toBe(403);
    }
    expect(await db().webhookEvent.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "failed" });
  });
});

describe(`the replay command (${databaseKind})`, () => {
  it("makes a failed delivery due again with a fresh count of attempts; unknown and running ones are refused", async () => {
    const id = await failedDelivery();
    // A database session in another time zone: the times written are still UTC, as the store's.
    const replayed = await replayCommand([id], { PGOPTIONS: "-c TimeZone=Asia/Tokyo" });
    expect(replayed).toMatchObject({ code: 0 });
    expect(replayed.output).toContain("is due again");
    const row = await db().webhookEvent.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "pending", attempts: 0, lastError: "Error: downstream unavailable" });
    expect(Math.abs(row.nextAttemptAt.getTime() - Date.now())).toBeLessThan(60_000);

    expect(await replayCommand([randomUUID()])).toMatchObject({ code: 1 });
    await db().webhookEvent.update({
      where: { id },
      data: { status: "processing", lockedUntil: new Date(Date.now() + 60_000) },
    });
    const busy = await replayCommand([id], { PGOPTIONS: "-c TimeZone=America/Los_Angeles" });
    expect(busy.code).toBe(1);
    expect(busy.output).toContain("is running on an instance now");
    expect(await db().webhookEvent.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "processing",
    });
    await db().webhookEvent.update({ where: { id }, data: { status: "processed", lockedUntil: null } });

    expect(await replayCommand([])).toMatchObject({ code: 2 });
    expect(await replayCommand([id, "--run", "not a url"], { CRON_SECRET: "s" })).toMatchObject({ code: 2 });
    expect(await replayCommand([id, "--run", "http://localhost:1"], { CRON_SECRET: "" })).toMatchObject({
      code: 2,
    });
  });

  it("with --run, calls the app's drain with CRON_SECRET once the delivery is due", async () => {
    const id = await failedDelivery();
    const calls: { path: string | undefined; authorization: string | undefined }[] = [];
    // The app's drain endpoint as the command sees it over HTTP (the route itself is tested with
    // the cron route's own tests): it records the call and answers as the drain does.
    const server = createServer((request, response) => {
      calls.push({ path: request.url, authorization: request.headers.authorization });
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ claimed: 1, processed: 1, failed: 0, dead: 0, deleted: 0 }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    try {
      const result = await replayCommand([id, "--run", `http://127.0.0.1:${port}`], {
        CRON_SECRET: "cron-s3cret",
      });
      expect(result.code).toBe(0);
      expect(result.output).toContain('The drain ran: {"claimed":1');
      expect(calls).toEqual([{ path: "/api/cron/webhooks", authorization: "Bearer cron-s3cret" }]);
      expect(await db().webhookEvent.findUniqueOrThrow({ where: { id } })).toMatchObject({
        status: "pending",
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    await db().webhookEvent.update({ where: { id }, data: { status: "processed" } });
  });
});
