import { isHttpError } from "@sprocket/server";
import { type Identity, type IdentitySource, identify, UNAUTHENTICATED } from "@sprocket/server/auth";
import { describe, expect, it, vi } from "vitest";

const request = () => new Request("https://app.test/api/chats");
const admin: Identity = { role: "shop-admin" };
const signedIn: Identity = {
  role: "signed-in",
  user: { id: "u1", email: "ada@example.com", name: null },
  sessionId: "s1",
};

describe("identify", () => {
  it("is unauthenticated when there are no sources", async () => {
    expect(await identify(request(), [])).toBe(UNAUTHENTICATED);
  });

  it("returns the first identity, trying sources in order and skipping those that do not apply", async () => {
    const skipped = vi.fn(() => undefined);
    const later = vi.fn(() => admin);
    const identity = await identify(request(), [skipped, async () => signedIn, later]);
    expect(identity).toBe(signedIn);
    expect(skipped).toHaveBeenCalledOnce();
    expect(later).not.toHaveBeenCalled();
  });

  it("passes each source the request itself", async () => {
    const seen: Request[] = [];
    const input = request();
    await identify(input, [(received) => void seen.push(received)]);
    expect(seen).toEqual([input]);
  });

  it("is unauthenticated when no source applies", async () => {
    expect(await identify(request(), [() => undefined, async () => undefined])).toBe(UNAUTHENTICATED);
  });

  it("fails with a 500 that keeps the cause but does not quote it, when a source throws", async () => {
    const cause = new Error("connect ECONNREFUSED postgres://admin:hunter2@db");
    const later = vi.fn(() => admin);
    const failing: IdentitySource = async () => {
      throw cause;
    };
    const error = await identify(request(), [failing, later]).catch((thrown: unknown) => thrown);
    expect(isHttpError(error)).toBe(true);
    expect(error).toMatchObject({ status: 500, code: "INTERNAL_SERVER_ERROR", cause });
    expect((error as Error).message).not.toMatch(/hunter2|ECONNREFUSED/);
    // Never a downgrade: the next source (which might grant something) is not consulted.
    expect(later).not.toHaveBeenCalled();
  });

  it("fails the same way when a source throws synchronously or returns no role", async () => {
    const throwing: IdentitySource = () => {
      throw new Error("boom");
    };
    await expect(identify(request(), [throwing])).rejects.toMatchObject({ status: 500 });
    const roleless = (() => ({ user: signedIn.user })) as unknown as IdentitySource;
    await expect(identify(request(), [roleless])).rejects.toMatchObject({ status: 500 });
  });
});

describe("identify: a source that refuses the request", () => {
  it("rethrows a thrown Response as it is, without trying later sources", async () => {
    const refusal = new Response(undefined, { status: 401, headers: { "x-reason": "kept" } });
    const later = vi.fn(() => ({ role: "signed-in" }));
    const error = await identify(new Request("https://app.example/"), [
      () => {
        throw refusal;
      },
      later,
    ]).catch((thrown: unknown) => thrown);
    expect(error).toBe(refusal);
    expect(later).not.toHaveBeenCalled();
  });
});

describe("UNAUTHENTICATED", () => {
  it("has the unauthenticated role and cannot be changed", () => {
    expect(UNAUTHENTICATED).toEqual({ role: "unauthenticated" });
    expect(Object.isFrozen(UNAUTHENTICATED)).toBe(true);
    expect(() => {
      (UNAUTHENTICATED as { role: string }).role = "shop-admin";
    }).toThrow(TypeError);
  });
});
