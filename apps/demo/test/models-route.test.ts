// The demo's own /api/models route, as the browser reaches it: identity from the better-auth
// session cookie, the model API scoped to it. Runs on both database legs.
import { afterAll, describe, expect, it } from "vitest";
import { POST as authPost } from "@/app/api/auth/[...all]/route";
import { GET, POST } from "@/app/api/models/[...path]/route";
import { db } from "@/lib/db";
import { databaseKind } from "./database";

const APP = "http://demo.test";
const prisma = db();
const emails: string[] = [];
afterAll(async () => {
  await prisma.user.deleteMany({ where: { email: { in: emails } } });
  await prisma.$disconnect();
});

async function signUp(): Promise<string> {
  const email = `models-${Math.random().toString(36).slice(2)}@example.com`;
  emails.push(email);
  const response = await authPost(
    new Request(`${APP}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: APP },
      body: JSON.stringify({ email, password: "correct horse battery staple", name: "" }),
    }),
  );
  expect(response.status).toBe(200);
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}

describe(`/api/models with the session cookie (${databaseKind})`, () => {
  it("scopes every read and write to the signed-in user", async () => {
    const [alice, bob] = [await signUp(), await signUp()];
    const created = await POST(
      new Request(`${APP}/api/models/chat`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie: alice, origin: APP },
        body: JSON.stringify({ data: { title: "Alice's plans" } }),
      }),
    );
    expect(created.status).toBe(201);
    const chat = (await created.json()).data;

    const own = await GET(new Request(`${APP}/api/models/chat`, { headers: { cookie: alice } }));
    expect((await own.json()).data.map((row: { id: string }) => row.id)).toEqual([chat.id]);

    const others = await GET(new Request(`${APP}/api/models/chat`, { headers: { cookie: bob } }));
    expect((await others.json()).data).toEqual([]);
    expect(
      (await GET(new Request(`${APP}/api/models/chat/${chat.id}`, { headers: { cookie: bob } }))).status,
    ).toBe(404);

    const anonymous = await GET(new Request(`${APP}/api/models/chat/${chat.id}`));
    expect(anonymous.status).toBe(403);
  });
});
