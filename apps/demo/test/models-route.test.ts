// The demo's own /api/models route, as the browser reaches it: identity from the better-auth
// session cookie, the model API scoped to it. Runs on both database legs.
import { afterAll, describe, expect, it } from "vitest";
import { GET, POST } from "@/app/api/models/[...path]/route";
import { db } from "@/lib/db";
import { databaseKind } from "./database";
import { APP, signUp } from "./session";

const prisma = db();
const emails: string[] = [];
afterAll(async () => {
  await prisma.user.deleteMany({ where: { email: { in: emails } } });
  await prisma.$disconnect();
});

async function signUpAs(): Promise<string> {
  const { cookie, email } = await signUp("models");
  emails.push(email);
  return cookie;
}

describe(`/api/models with the session cookie (${databaseKind})`, () => {
  it("scopes every read and write to the signed-in user", async () => {
    const [alice, bob] = [await signUpAs(), await signUpAs()];
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
