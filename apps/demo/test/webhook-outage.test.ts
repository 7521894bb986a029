// A database outage in the middle of a stream of webhook deliveries. The shared test server
// cannot be stopped, so a TCP proxy stands between a dedicated Prisma client and the database:
// "stopping the server" breaks every open connection and closes the listening port (connections
// are refused), "recovery" listens on the same port again. Checks go through a separate, direct
// client. Runs on both database legs.
import { createHmac, randomUUID } from "node:crypto";
import { createServer, type Server, type Socket, connect as tcpConnect } from "node:net";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  drainWebhookInbox,
  type StoredWebhookEvent,
  type WebhookInboxStore,
  webhookRoute,
} from "@sprocket/server/webhooks";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { createPrismaWebhookInboxStore } from "@/lib/webhook-inbox";
import { databaseKind, databaseUrl } from "./database";

const direct = db();
afterAll(async () => {
  await direct.$disconnect();
});

// PostgreSQL's ReadyForQuery message: the server has finished the statement, and outside a
// transaction block has committed it.
const READY_FOR_QUERY = Buffer.from([0x5a, 0, 0, 0, 5]);

/** A TCP proxy to the test database that can play a database server going down and coming back. */
class OutageProxy {
  readonly #target: { host: string; port: number };
  #server: Server | undefined;
  #port = 0;
  readonly #sockets = new Set<Socket>();
  #cutAfterCommitOf: Buffer | undefined;
  #cut: (() => void) | undefined;
  accepted = 0;

  constructor(target: string) {
    const url = new URL(target);
    this.#target = { host: url.hostname, port: Number(url.port || 5432) };
  }

  get port() {
    return this.#port;
  }

  /** The database URL through the proxy. */
  url(): string {
    const url = new URL(databaseUrl);
    url.hostname = "127.0.0.1";
    url.port = String(this.#port);
    return url.toString();
  }

  /** Listens (again) on 127.0.0.1, on the same port after the first time. */
  async listen(): Promise<void> {
    const server = createServer((client) => this.#pipe(client));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.#port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.#port = (server.address() as { port: number }).port;
    this.#server = server;
  }

  /** The outage: every open connection breaks, and new ones are refused. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * The worst moment for an outage: the statement whose parameters contain `marker` reaches the
   * database and commits, and the server goes down before its answer reaches the client.
   * Resolves once the outage has started.
   */
  stopAfterCommitOf(marker: string): Promise<void> {
    this.#cutAfterCommitOf = Buffer.from(marker);
    return new Promise((resolve) => {
      this.#cut = resolve;
    });
  }

  #pipe(client: Socket) {
    this.accepted++;
    const upstream = tcpConnect(this.#target);
    this.#sockets.add(client);
    this.#sockets.add(upstream);
    let armed = false;
    client.on("data", (chunk: Buffer) => {
      if (this.#cutAfterCommitOf && chunk.includes(this.#cutAfterCommitOf)) {
        this.#cutAfterCommitOf = undefined;
        armed = true;
      }
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      if (armed && chunk.includes(READY_FOR_QUERY)) {
        armed = false;
        const cut = this.#cut;
        this.#cut = undefined;
        // The answer is dropped, not forwarded: the client never learns the row committed.
        void this.stop().then(cut);
        return;
      }
      client.write(chunk);
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
      this.#sockets.delete(client);
      this.#sockets.delete(upstream);
    };
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("close", close);
  }
}

/**
 * A Prisma client of its own through the proxy. The outage never makes it wait: a stopped proxy
 * refuses connections and a cut closes the socket, so both fail at once. The timeouts only bound a
 * connection or query that is slow because the machine is busy, and the route's own store timeout
 * still decides its answer.
 */
function clientThrough(proxy: OutageProxy) {
  return new PrismaClient({
    adapter: new PrismaPg({
      connectionString: proxy.url(),
      max: 2,
      connectionTimeoutMillis: 10_000,
      query_timeout: 10_000,
      idleTimeoutMillis: 0,
    }),
  });
}

const secret = "outage-test-secret";

function githubDelivery(deliveryId: string) {
  const body = JSON.stringify({ action: "created", delivery: deliveryId });
  return new Request("http://localhost/webhooks/github", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "X-Hub-Signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
      "X-GitHub-Delivery": deliveryId,
      "X-GitHub-Event": "star",
    },
    body,
  });
}

const rowsOf = (deliveryIds: string[]) =>
  direct.webhookEvent.findMany({ where: { provider: "github", deliveryId: { in: deliveryIds } } });

describe(`a database outage under a webhook stream (${databaseKind})`, () => {
  it("the proxy passes queries, breaks and refuses connections while stopped, and accepts again", async () => {
    const proxy = new OutageProxy(databaseUrl);
    await proxy.listen();
    const open = new pg.Client({ connectionString: proxy.url(), connectionTimeoutMillis: 1_000 });
    open.on("error", () => {});
    await open.connect();
    expect((await open.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);

    await proxy.stop();
    await expect(open.query("SELECT 1")).rejects.toThrow();
    const refused = new pg.Client({ connectionString: proxy.url(), connectionTimeoutMillis: 1_000 });
    refused.on("error", () => {});
    await expect(refused.connect()).rejects.toMatchObject({ code: "ECONNREFUSED" });

    await proxy.listen();
    const again = new pg.Client({ connectionString: proxy.url(), connectionTimeoutMillis: 1_000 });
    await again.connect();
    expect((await again.query("SELECT 2 AS two")).rows).toEqual([{ two: 2 }]);
    await again.end();
    await proxy.stop();
  });

  it("answers 2xx only for committed rows, 503 with Retry-After otherwise, and after the sender's retries stores each delivery once", async () => {
    const proxy = new OutageProxy(databaseUrl);
    await proxy.listen();
    const proxied = clientThrough(proxy);
    const store = createPrismaWebhookInboxStore(proxied);
    const runs = new Map<string, number>();
    const onEvent = ({ deliveryId }: { deliveryId: string }) => {
      runs.set(deliveryId, (runs.get(deliveryId) ?? 0) + 1);
    };
    const tasks: Promise<void>[] = [];
    const POST = webhookRoute({
      provider: "github",
      secrets: secret,
      store,
      onEvent,
      storeTimeoutMs: 3_000,
      after: (task) => {
        tasks.push(task());
      },
    });

    // 54 unique deliveries and 6 repeats of earlier ones, among them repeats across the outage.
    const unique: string[] = Array.from({ length: 54 }, () => randomUUID());
    const stream = [...unique];
    for (const [at, of] of [
      [10, 3],
      [25, 12],
      [31, 22],
      [38, 20],
      [45, 27],
      [55, 8],
    ] as const) {
      stream.splice(at, 0, stream[of] as string);
    }
    expect(stream).toHaveLength(60);
    expect(new Set(stream).size).toBe(54);

    type Answer = { deliveryId: string; status: number; retryAfter: string | null; duplicate?: boolean };
    const answers: Answer[] = [];
    const notAcknowledged = new Set<string>();
    const send = async (deliveryId: string): Promise<Answer> => {
      const response = await POST(githubDelivery(deliveryId));
      const answer = {
        deliveryId,
        status: response.status,
        retryAfter: response.headers.get("retry-after"),
        duplicate:
          response.status === 200 ? response.headers.get("x-webhook-duplicate") === "true" : undefined,
      };
      if (response.status >= 200 && response.status < 300) {
        // Checked at the moment of the answer, through the direct client.
        expect(await rowsOf([deliveryId]), `2xx for ${deliveryId}`).toHaveLength(1);
        notAcknowledged.delete(deliveryId);
      } else {
        expect(answer).toMatchObject({ status: 503, retryAfter: "5" });
        notAcknowledged.add(deliveryId);
      }
      // Handlers run after each answer; awaiting them keeps the outage from cutting a handler's
      // own bookkeeping, so each run is counted exactly.
      await Promise.all(tasks);
      return answer;
    };

    let outage: Promise<void> | undefined;
    try {
      for (const [index, deliveryId] of stream.entries()) {
        // Delivery 20 commits, and the server goes down before the answer reaches the route.
        if (index === 20) outage = proxy.stopAfterCommitOf(deliveryId);
        if (index === 40) {
          await outage;
          expect(proxy.accepted).toBeGreaterThan(0);
          await proxy.listen();
        }
        answers.push(await send(deliveryId));
      }

      const statuses = answers.map((answer) => answer.status);
      expect(statuses.slice(0, 20)).toEqual(Array(20).fill(200));
      expect(statuses.slice(20, 40)).toEqual(Array(20).fill(503));
      expect(statuses).not.toContain(500);
      // The delivery cut after its commit was answered 503, yet its row is there.
      const cut = stream[20] as string;
      expect(answers[20]).toMatchObject({ deliveryId: cut, status: 503 });
      expect(await rowsOf([cut])).toHaveLength(1);

      // The sender retries every delivery that got no 2xx until each gets one.
      for (let round = 0; round < 10 && notAcknowledged.size > 0; round++) {
        for (const deliveryId of [...notAcknowledged]) answers.push(await send(deliveryId));
      }
      expect([...notAcknowledged]).toEqual([]);
      // The cut delivery was committed: its retry is a duplicate.
      expect(answers.find((answer) => answer.deliveryId === cut && answer.status === 200)).toMatchObject({
        duplicate: true,
      });

      // Rows whose answer was lost were never scheduled in the route; the drain runs them. This
      // drain only claims this test's rows, so it leaves other files' deliveries alone.
      const ids = (await rowsOf(unique)).map((row) => row.id);
      const mine: WebhookInboxStore = {
        ...store,
        claimDue: async ({ now, lockedUntil }) =>
          (await Promise.all(ids.map((id) => store.claim(id, { now, lockedUntil })))).filter(
            (event): event is StoredWebhookEvent => event !== undefined,
          ),
        deleteReceivedBefore: async () => 0,
      };
      await drainWebhookInbox({
        store: mine,
        handlers: { github: onEvent },
        retentionMs: Number.POSITIVE_INFINITY,
      });

      const rows = await rowsOf(unique);
      expect(rows.map((row) => row.deliveryId).sort()).toEqual([...unique].sort());
      expect(rows.every((row) => row.status === "processed")).toBe(true);
      expect([...runs.keys()].sort()).toEqual([...unique].sort());
      expect([...runs.values()].every((count) => count === 1)).toBe(true);
    } finally {
      await proxied.$disconnect();
      await proxy.stop();
    }
  });
});
