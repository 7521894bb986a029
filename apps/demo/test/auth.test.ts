// Email-and-password identity end to end below the browser: real Requests through the mounted
// better-auth handler (app/api/auth/[...all]/route.ts), sessions in the real database, and
// identifyRequest() as routes use it.
import { scrypt } from "node:crypto";
import { promisify } from "node:util";
import { UNAUTHENTICATED } from "@sprocket/server/auth";
import { afterAll, describe, expect, it } from "vitest";
import { GET, POST } from "@/app/api/auth/[...all]/route";
import { createAuth, identifyRequest } from "@/lib/auth";
import { db } from "@/lib/db";
import { databaseKind } from "./database";

const prisma = db();
afterAll(() => prisma.$disconnect());

const APP = "http://demo.test";
const PASSWORD = "correct horse battery staple";
const uniqueEmail = () => `user-${Math.random().toString(36).slice(2)}@example.com`;

/** A request as a same-origin page sends it (browsers add Origin to every POST). */
function post(
  path: string,
  body: unknown,
  { origin = APP, cookie }: { origin?: string; cookie?: string } = {},
) {
  const headers = new Headers({ "content-type": "application/json", origin });
  if (cookie) headers.set("cookie", cookie);
  return new Request(`${APP}/api/auth${path}`, { method: "POST", headers, body: JSON.stringify(body) });
}

/** The `name=value` pairs a browser would send back for the response's cookies. */
function cookieHeader(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}

function sessionCookie(response: Response): string | undefined {
  return response.headers
    .getSetCookie()
    .find((cookie) => /^(__Secure-)?better-auth\.session_token=/.test(cookie));
}

const withCookie = (cookie: string) => new Request(`${APP}/api/chats`, { headers: { cookie } });

async function signUp(email: string, name = "") {
  const response = await POST(post("/sign-up/email", { email, password: PASSWORD, name }));
  expect(response.status).toBe(200);
  return response;
}

describe(`email and password sign-in (${databaseKind})`, () => {
  it("signs up, stores the user, and signs the new user in with an httpOnly, SameSite=Lax cookie", async () => {
    const email = uniqueEmail();
    const response = await signUp(email, "Ada");
    expect((await response.json()).user).toMatchObject({ email, name: "Ada" });
    const cookie = sessionCookie(response);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    // Not production: no Secure flag, so http://localhost works in development.
    expect(cookie).not.toMatch(/;\s*Secure/i);
    const user = await prisma.user.findUniqueOrThrow({ where: { email } });
    expect(user).toMatchObject({ name: "Ada", emailVerified: false });
    // Same kind of id as every other table (the schema's uuid(7)), not better-auth's own.
    expect(user.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
  });

  it("stores a blank name as null", async () => {
    const email = uniqueEmail();
    await signUp(email, "  ");
    expect(await prisma.user.findUniqueOrThrow({ where: { email } })).toMatchObject({ name: null });
  });

  it("signs in, and identifyRequest() with that cookie gives the signed-in user and session", async () => {
    const email = uniqueEmail();
    await signUp(email);
    const response = await POST(post("/sign-in/email", { email, password: PASSWORD }));
    expect(response.status).toBe(200);
    expect(sessionCookie(response)).toMatch(/;\s*HttpOnly/i);
    expect(sessionCookie(response)).toMatch(/;\s*SameSite=Lax/i);

    const identity = await identifyRequest(withCookie(cookieHeader(response)));
    const user = await prisma.user.findUniqueOrThrow({ where: { email } });
    expect(identity).toEqual({
      role: "signed-in",
      user: { id: user.id, email, name: null },
      sessionId: expect.any(String),
    });
    const session = await prisma.session.findUniqueOrThrow({ where: { id: identity.sessionId } });
    expect(session.userId).toBe(user.id);

    const current = await GET(
      new Request(`${APP}/api/auth/get-session`, { headers: { cookie: cookieHeader(response) } }),
    );
    expect((await current.json()).user).toMatchObject({ id: user.id, email });
  });

  it("refuses a wrong password, without a session", async () => {
    const email = uniqueEmail();
    await signUp(email);
    const response = await POST(post("/sign-in/email", { email, password: "not the password" }));
    expect(response.status).toBe(401);
    expect(sessionCookie(response)).toBeUndefined();
    const unknownUser = await POST(post("/sign-in/email", { email: uniqueEmail(), password: PASSWORD }));
    expect(unknownUser.status).toBe(401);
    // The same answer either way: the response does not tell which accounts exist.
    expect(await unknownUser.json()).toEqual(await response.json());
  });

  it("signs out: the session is gone and the old cookie no longer identifies anyone", async () => {
    const email = uniqueEmail();
    const cookie = cookieHeader(await signUp(email));
    const before = await identifyRequest(withCookie(cookie));
    expect(before.role).toBe("signed-in");

    const response = await POST(post("/sign-out", {}, { cookie }));
    expect(response.status).toBe(200);
    expect(await identifyRequest(withCookie(cookie))).toBe(UNAUTHENTICATED);
    expect(await prisma.session.findUnique({ where: { id: before.sessionId } })).toBeNull();
  });

  it("is unauthenticated without a cookie or with a forged one", async () => {
    expect(await identifyRequest(new Request(`${APP}/api/chats`))).toBe(UNAUTHENTICATED);
    expect(await identifyRequest(withCookie("better-auth.session_token=forged.signature"))).toBe(
      UNAUTHENTICATED,
    );
    // A real token with the signature of another secret.
    const cookie = cookieHeader(await signUp(uniqueEmail()));
    const tampered = cookie.replace(
      /(session_token=[^.]+\.)[^;]+/,
      "$1AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%3D",
    );
    expect(tampered).not.toBe(cookie);
    expect(await identifyRequest(withCookie(tampered))).toBe(UNAUTHENTICATED);
  });

  it("refuses state-changing requests from another origin (CSRF)", async () => {
    const evil = "https://evil.example";
    const email = uniqueEmail();
    const cookie = cookieHeader(await signUp(email));

    const signOut = await POST(post("/sign-out", {}, { origin: evil, cookie }));
    expect(signOut.status).toBe(403);
    expect((await identifyRequest(withCookie(cookie))).role).toBe("signed-in");

    const signIn = await POST(post("/sign-in/email", { email, password: PASSWORD }, { origin: evil }));
    expect(signIn.status).toBe(403);
    expect(sessionCookie(signIn)).toBeUndefined();

    const other = uniqueEmail();
    const signUpElsewhere = await POST(
      post("/sign-up/email", { email: other, password: PASSWORD, name: "" }, { origin: evil }),
    );
    expect(signUpElsewhere.status).toBe(403);
    expect(await prisma.user.findUnique({ where: { email: other } })).toBeNull();
  });

  it("trusts the origin the browser used, which Next.js passes in x-forwarded-host, and no other", async () => {
    // `next start -H 127.0.0.1` hands route handlers http://localhost:3000 URLs.
    const proxied = (origin: string) =>
      new Request("http://localhost:3000/api/auth/sign-up/email", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          origin,
          "x-forwarded-host": "127.0.0.1:3000",
          "x-forwarded-proto": "http",
        },
        body: JSON.stringify({ email: uniqueEmail(), password: PASSWORD, name: "" }),
      });
    expect((await POST(proxied("http://127.0.0.1:3000"))).status).toBe(200);
    expect((await POST(proxied("http://localhost:3000"))).status).toBe(403);
    expect((await POST(proxied("https://evil.example"))).status).toBe(403);
  });

  it("stores the password as a salted scrypt hash with memory-hard parameters, never as itself", async () => {
    const email = uniqueEmail();
    await signUp(email);
    const account = await prisma.account.findFirstOrThrow({
      where: { providerId: "credential", user: { email } },
    });
    const stored = account.password ?? "";
    expect(stored).not.toContain(PASSWORD);
    // salt:key in hex; a fast hash (md5, sha-1, sha-256, bcrypt's $2b$) has another shape.
    const [salt = "", key = ""] = stored.split(":");
    expect(salt).toMatch(/^[0-9a-f]{32}$/);
    expect(key).toMatch(/^[0-9a-f]{128}$/);
    // Recomputing it with scrypt at N=2^14, r=16 (128 * N * r = 32 MiB per guess) gives the key,
    // so this is the memory-hard function with those costs, not a renamed fast hash.
    const derive = promisify(scrypt) as (
      password: string,
      salt: string,
      length: number,
      options: { N: number; r: number; p: number; maxmem: number },
    ) => Promise<Buffer>;
    const recomputed = await derive(PASSWORD, salt, 64, { N: 16384, r: 16, p: 1, maxmem: 64 * 1024 * 1024 });
    expect(recomputed.toString("hex")).toBe(key);
    // And another user with the same password gets another salt, so another hash.
    const twin = uniqueEmail();
    await signUp(twin);
    const twinAccount = await prisma.account.findFirstOrThrow({
      where: { providerId: "credential", user: { email: twin } },
    });
    expect(twinAccount.password).not.toBe(stored);
  });

  it("marks cookies Secure (with the __Secure- prefix) in production", async () => {
    const production = createAuth({
      prisma,
      secret: "a-test-secret-that-is-at-least-32-characters",
      baseUrl: "https://demo.test",
      isProduction: true,
    });
    const response = await production.handler(
      new Request("https://demo.test/api/auth/sign-up/email", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "https://demo.test" },
        body: JSON.stringify({ email: uniqueEmail(), password: PASSWORD, name: "" }),
      }),
    );
    expect(response.status).toBe(200);
    const cookie = sessionCookie(response);
    expect(cookie).toMatch(/^__Secure-better-auth\.session_token=/);
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
  });

  it("limits sign-ups in production to 3 per 10 s from one address, unless turned off for e2e tests", async () => {
    const productionAuth = (isRateLimitDisabled: boolean) =>
      createAuth({
        prisma,
        secret: "a-test-secret-that-is-at-least-32-characters",
        baseUrl: "https://demo.test",
        isProduction: true,
        isRateLimitDisabled,
      });
    // better-auth keeps the counts in one process-wide map: each case gets its own address.
    const signUpsFrom = async (auth: ReturnType<typeof productionAuth>, address: string) => {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 4; attempt++) {
        const response = await auth.handler(
          new Request("https://demo.test/api/auth/sign-up/email", {
            method: "POST",
            headers: {
              "content-type": "application/json",
              origin: "https://demo.test",
              "x-forwarded-for": address,
            },
            body: JSON.stringify({ email: uniqueEmail(), password: PASSWORD, name: "" }),
          }),
        );
        statuses.push(response.status);
      }
      return statuses;
    };
    expect(await signUpsFrom(productionAuth(false), "203.0.113.10")).toEqual([200, 200, 200, 429]);
    expect(await signUpsFrom(productionAuth(true), "203.0.113.11")).toEqual([200, 200, 200, 200]);
  });
});
