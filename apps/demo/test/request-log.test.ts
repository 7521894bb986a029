// The request log of the model endpoint (`serveModels` on the demo's models and database): one
// line per request with its id, method, path without the query, status and duration.
import { route } from "@sprocket/server";
import { serveModels } from "@sprocket/server/models";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelApi } from "@/lib/api";
import { db } from "@/lib/db";
import { models } from "@/lib/models";
import { databaseKind } from "./database";

const prisma = db();
const email = `request-log-${Math.random().toString(36).slice(2, 8)}@example.com`;
let user: { id: string; email: string; name: string | null };

const lines: Record<string, unknown>[] = [];
const logger = pino({ level: "debug" }, { write: (line: string) => lines.push(JSON.parse(line)) });
const completed = () => lines.filter((line) => line.msg === "request completed");

const handlers = serveModels({
  models,
  route: route.with({
    logger,
    context: () => ({ api: modelApi().forIdentity({ role: "signed-in", user }) }),
  }),
  endpoint: "/api/models",
});

beforeAll(async () => {
  const created = await prisma.user.create({ data: { email, name: "log" } });
  user = { id: created.id, email: created.email, name: created.name };
});
afterAll(async () => {
  await prisma.user.deleteMany({ where: { email } });
  await prisma.$disconnect();
});

describe(`the model endpoint's request log (${databaseKind})`, () => {
  it("writes one line per request, whatever the outcome, without the query string", async () => {
    const created = await handlers.POST(
      new Request("http://demo.test/api/models/chat", {
        method: "POST",
        headers: { host: "demo.test", "content-type": "application/json", cookie: "session=c00kie" },
        body: JSON.stringify({ data: { title: "logged" } }),
      }),
    );
    expect(created.status).toBe(201);
    const filter = encodeURIComponent(JSON.stringify({ filter: { title: { equals: "s3cr3t-title" } } }));
    const listed = await handlers.GET(new Request(`http://demo.test/api/models/chat?query=${filter}`));
    const missing = await handlers.GET(new Request("http://demo.test/api/models/chat/no-such-id"));
    expect([listed.status, missing.status]).toEqual([200, 404]);

    expect(completed()).toEqual(
      [
        [created, "POST", "/api/models/chat", 201],
        [listed, "GET", "/api/models/chat", 200],
        [missing, "GET", "/api/models/chat/no-such-id", 404],
      ].map(([response, method, path, status]) =>
        expect.objectContaining({
          requestId: (response as Response).headers.get("x-request-id"),
          method,
          path,
          status,
          durationMs: expect.any(Number),
        }),
      ),
    );
    const output = JSON.stringify(lines);
    expect(output).not.toContain("s3cr3t-title");
    expect(output).not.toContain("c00kie");
  });
});
