// findMany throughput: a page of 50 chats read (1) with Prisma directly, (2) through the model API
// (filter, sort, paging and permission translation), (3) through the HTTP endpoint called in
// process (request parsing, logging, JSON, ETag). Same process, same database, same rows.
// `BENCH_DATABASE_URL` points it at a PostgreSQL server; otherwise it runs on embedded PGlite.
import { fileURLToPath } from "node:url";
import { applyMigrations, startEmbeddedPostgres } from "@sprocket/dev";
import { route } from "@sprocket/server";
import { serveModels, translateFilter, translatePagination, translateSort } from "@sprocket/server/models";
import pino from "pino";
import { bench, describe } from "vitest";

const embedded = process.env.BENCH_DATABASE_URL ? undefined : await startEmbeddedPostgres();
process.env.DATABASE_URL = process.env.BENCH_DATABASE_URL ?? embedded?.url;
await applyMigrations({
  databaseUrl: process.env.DATABASE_URL!,
  schemaPath: fileURLToPath(new URL("../apps/demo/prisma/schema.prisma", import.meta.url)),
});
const { db } = await import("@/lib/db");
const { modelApi } = await import("@/lib/api");
const { models } = await import("@/lib/models");

const prisma = db();
const run = Math.random().toString(36).slice(2, 8);
const owner = await prisma.user.create({ data: { email: `${run}@bench.example`, name: "Bench" } });
await prisma.chat.createMany({
  data: Array.from({ length: 200 }, (_, index) => ({ userId: owner.id, title: `chat ${index}` })),
});
const identity = { role: "signed-in" as const, user: { id: owner.id, email: owner.email, name: owner.name } };
const filter = { title: { startsWith: "chat" } };
const sort = { createdAt: "Descending" } as const;

// Logging at "silent" so the benchmark measures the route, not stdout.
const silentRoute = route.with({
  logger: pino({ level: "silent" }),
  context: () => ({ api: modelApi().forIdentity(identity) }),
});
const { GET } = serveModels({ models, route: silentRoute });
const url = `http://bench.test/api/models/chat?query=${encodeURIComponent(JSON.stringify({ filter, sort, first: 50 }))}`;

const options = { time: 3_000, warmupTime: 1_000 };

// The pool and the JIT warm up on the first queries: run each path before any is timed, so the
// first benchmark is not charged for it.
for (let round = 0; round < 300; round++) {
  await prisma.chat.findMany({ where: { userId: owner.id }, take: 51 });
  await modelApi().forIdentity(identity).chat.findMany({ filter, sort, first: 50 });
  await (await GET(new Request(url))).text();
}

describe("findMany, a page of 50 chats", () => {
  bench(
    "Prisma directly",
    async () => {
      await prisma.chat.findMany({
        where: { AND: [{ title: { startsWith: "chat" } }, { userId: owner.id }] },
        orderBy: [{ createdAt: "desc" }, { id: "asc" }],
        take: 51,
        select: { id: true, title: true, userId: true, shop: true, createdAt: true, updatedAt: true },
      });
    },
    options,
  );
  bench(
    "model API (signed-in role)",
    async () => void (await modelApi().forIdentity(identity).chat.findMany({ filter, sort, first: 50 })),
    options,
  );
  bench("HTTP endpoint, in process", async () => void (await (await GET(new Request(url))).text()), options);
});

const rows = await modelApi().forIdentity(identity).chat.findMany({ filter, sort, first: 50 });
const body = JSON.stringify({ data: [...rows] });
const echo = route.with({ logger: pino({ level: "silent" }) })(({ reply }) =>
  reply.type("application/json").send(body),
);

describe("where the time goes, without the database", () => {
  bench("translate filter + sort + page", () => {
    const sorted = translateSort(sort, models.chat);
    translateFilter(filter, models.chat, models);
    if (sorted.ok) translatePagination({ first: 50 }, sorted.orderBy);
  });
  bench("JSON.stringify of the page", () => void JSON.stringify({ data: [...rows] }));
  bench(
    "SHA-256 ETag of the page",
    async () => void (await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body))),
  );
  bench("route() sending the same JSON (request id, logger, Response, reading it)", async () => {
    await (await echo(new Request(url))).text();
  });
});

process.on("beforeExit", () => void embedded?.stop());
