import { identify, type SessionAuth, type SessionLookup, sessionIdentity } from "@sprocket/server/auth";
import { describe, expect, it, vi } from "vitest";

const ada: SessionLookup = {
  session: { id: "session-1" },
  user: { id: "user-1", email: "ada@example.com", name: "Ada" },
};

/** A stand-in for better-auth: one valid session token, read from the cookie header. */
function fakeAuth(sessions: Record<string, SessionLookup>) {
  const getSession = vi.fn(async ({ headers }: { headers: Headers }) => {
    const token = /(?:^|;\s*)better-auth\.session_token=([^;]+)/.exec(headers.get("cookie") ?? "")?.[1];
    return (token && sessions[token]) || null;
  });
  return { auth: { api: { getSession } } satisfies SessionAuth, getSession };
}

const withCookie = (cookie?: string) =>
  new Request("https://app.test/api/chats", { headers: cookie ? { cookie } : {} });

describe("sessionIdentity", () => {
  it("identifies a request with a live session as signed-in, with the user and session id", async () => {
    const { auth } = fakeAuth({ "token-1": ada });
    const identity = await sessionIdentity(auth)(withCookie("theme=dark; better-auth.session_token=token-1"));
    expect(identity).toEqual({
      role: "signed-in",
      user: { id: "user-1", email: "ada@example.com", name: "Ada" },
      sessionId: "session-1",
    });
  });

  it("hands the lookup the request's own headers", async () => {
    const { auth, getSession } = fakeAuth({});
    const request = withCookie("better-auth.session_token=x");
    await sessionIdentity(auth)(request);
    expect(getSession).toHaveBeenCalledWith({ headers: request.headers });
  });

  it("does not apply without a session, so the next source is tried", async () => {
    const { auth } = fakeAuth({ "token-1": ada });
    const source = sessionIdentity(auth);
    expect(await source(withCookie())).toBeUndefined();
    expect(await source(withCookie("better-auth.session_token=ended"))).toBeUndefined();
    const identity = await identify(withCookie(), [source, () => ({ role: "storefront-customer" })]);
    expect(identity.role).toBe("storefront-customer");
  });

  it("gives a user without a name a null name", async () => {
    const nameless = { ...ada, user: { id: "user-2", email: "b@example.com" } };
    const { auth } = fakeAuth({ t: nameless });
    const identity = await sessionIdentity(auth)(withCookie("better-auth.session_token=t"));
    expect(identity?.user).toEqual({ id: "user-2", email: "b@example.com", name: null });
  });

  it("copies only the identity's fields, not whatever else the session carries", async () => {
    const rich = {
      session: { id: "s", token: "secret-token", ipAddress: "203.0.113.9" },
      user: { id: "u", email: "c@example.com", name: null, image: "x.png" },
    };
    const { auth } = fakeAuth({ t: rich });
    const identity = await sessionIdentity(auth)(withCookie("better-auth.session_token=t"));
    expect(JSON.stringify(identity)).not.toContain("secret-token");
    expect(identity).toEqual({
      role: "signed-in",
      user: { id: "u", email: "c@example.com", name: null },
      sessionId: "s",
    });
  });

  it("lets a failing lookup reach identify, which answers 500 instead of unauthenticated", async () => {
    const auth: SessionAuth = {
      api: { getSession: async () => Promise.reject(new Error("pool exhausted")) },
    };
    await expect(
      identify(withCookie("better-auth.session_token=t"), [sessionIdentity(auth)]),
    ).rejects.toMatchObject({
      status: 500,
      code: "INTERNAL_SERVER_ERROR",
    });
  });

  it("refuses something that is not a better-auth instance when configured", () => {
    expect(() => sessionIdentity({} as SessionAuth)).toThrow(/api\.getSession/);
  });
});
