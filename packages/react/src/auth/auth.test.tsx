import {
  createSprocketConfig,
  type SessionData,
  SignedIn,
  SignedInOrRedirect,
  SignedOut,
  SignedOutOrRedirect,
  SprocketProvider,
  useSession,
  useSignOut,
  useUser,
} from "@sprocket/react";
import { act, cleanup, render, renderHook, screen, waitFor } from "@testing-library/react";
import { type ReactNode, Suspense } from "react";
import { SWRConfig } from "swr";
import { afterEach, describe, expect, it, vi } from "vitest";

const ada: SessionData = {
  session: {
    id: "session-1",
    userId: "user-1",
    expiresAt: "2030-01-01T00:00:00.000Z",
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
  },
  user: {
    id: "user-1",
    email: "ada@example.com",
    name: null,
    emailVerified: false,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
  },
};

/**
 * A stand-in for better-auth's endpoints behind `fetch`: `get-session` answers the session or JSON
 * null, `sign-out` ends it. Each answer waits for `release()` when `isHeld`, to observe the states
 * in between.
 */
function fakeAuthServer({ signedIn = true, base = "" } = {}) {
  const state = { signedIn, failGetSession: false, failSignOut: false };
  const calls: { url: string; method: string; credentials: RequestCredentials | undefined }[] = [];
  let held: (() => void)[] | undefined;
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const method = init?.method ?? "GET";
    calls.push({ url, method, credentials: init?.credentials });
    if (held) await new Promise<void>((resolve) => held?.push(resolve));
    if (method === "GET" && url === `${base}/api/auth/get-session`) {
      if (state.failGetSession) return new Response("upstream down", { status: 502 });
      return Response.json(state.signedIn ? ada : null);
    }
    if (method === "POST" && url === `${base}/api/auth/sign-out`) {
      if (state.failSignOut) return Response.json({ message: "Forbidden" }, { status: 403 });
      state.signedIn = false;
      return Response.json({ success: true });
    }
    return new Response("not found", { status: 404 });
  });
  return {
    state,
    calls,
    fetch: fetch as unknown as typeof globalThis.fetch,
    sessionFetches: () => calls.filter((call) => call.url.endsWith("/get-session")).length,
    hold: () => {
      held = [];
    },
    release: () => {
      const waiting = held ?? [];
      held = undefined;
      for (const resolve of waiting) resolve();
    },
  };
}

/** A fresh SWR cache per test, and the provider with the fake server's fetch. */
function wrapperFor(
  server: ReturnType<typeof fakeAuthServer>,
  props: { baseUrl?: string; authPath?: string } = {},
) {
  return ({ children }: { children: ReactNode }) => (
    <SWRConfig value={{ provider: () => new Map(), dedupingInterval: 0 }}>
      <SprocketProvider fetch={server.fetch} {...props}>
        {children}
      </SprocketProvider>
    </SWRConfig>
  );
}

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe("useSession", () => {
  it("loads the session from GET /api/auth/get-session with credentials included", async () => {
    const server = fakeAuthServer();
    const { result } = renderHook(() => useSession(), { wrapper: wrapperFor(server) });
    expect(result.current.data).toBeUndefined();
    expect(result.current.isLoading).toBe(true);
    await waitFor(() => expect(result.current.data).toEqual(ada));
    expect(result.current.isLoading).toBe(false);
    expect(server.calls).toEqual([{ url: "/api/auth/get-session", method: "GET", credentials: "include" }]);
  });

  it("is null when better-auth answers null (signed out)", async () => {
    const server = fakeAuthServer({ signedIn: false });
    const { result } = renderHook(() => useSession(), { wrapper: wrapperFor(server) });
    await waitFor(() => expect(result.current.data).toBeNull());
  });

  it("goes through the provider's baseUrl and authPath", async () => {
    const server = fakeAuthServer({ base: "https://app.example.com" });
    const { result } = renderHook(() => useSession(), {
      wrapper: wrapperFor(server, { baseUrl: "https://app.example.com", authPath: "/api/auth/" }),
    });
    await waitFor(() => expect(result.current.data).toEqual(ada));
    expect(server.calls[0]?.url).toBe("https://app.example.com/api/auth/get-session");
  });

  it("reports a failed lookup as an error, not as signed out", async () => {
    const server = fakeAuthServer();
    server.state.failGetSession = true;
    const { result } = renderHook(() => ({ session: useSession(), user: useUser() }), {
      wrapper: wrapperFor(server),
    });
    await waitFor(() => expect(result.current.session.error?.message).toMatch(/answered 502/));
    expect(result.current.session.data).toBeUndefined();
    expect(result.current.user).toBeUndefined();
  });
});

describe("useUser", () => {
  it("is undefined while unknown, then the user", async () => {
    const server = fakeAuthServer();
    server.hold();
    const { result } = renderHook(() => ({ user: useUser(), session: useSession() }), {
      wrapper: wrapperFor(server),
    });
    expect(result.current.user).toBeUndefined();
    expect(result.current.session.isLoading).toBe(true);
    act(() => server.release());
    await waitFor(() => expect(result.current.user).toEqual(ada.user));
    // Both hooks read one request.
    expect(server.sessionFetches()).toBe(1);
  });

  it("is null when signed out", async () => {
    const server = fakeAuthServer({ signedIn: false });
    const { result } = renderHook(() => useUser(), { wrapper: wrapperFor(server) });
    await waitFor(() => expect(result.current).toBeNull());
  });

  it("suspends until known with { suspense: true }", async () => {
    const server = fakeAuthServer();
    server.hold();
    const Wrapper = wrapperFor(server);
    // React 19 retries suspended trees inside an awaited act scope, not after a synchronous one.
    await act(async () => {
      render(
        <Wrapper>
          <Suspense fallback={<p>loading</p>}>
            <Email />
          </Suspense>
        </Wrapper>,
      );
    });
    expect(screen.getByText("loading")).toBeTruthy();
    await act(async () => server.release());
    expect(await screen.findByText("ada@example.com")).toBeTruthy();
  });
});

function Email() {
  const user = useUser({ suspense: true });
  return <p>{user ? user.email : "nobody"}</p>;
}

function Header() {
  const signOut = useSignOut();
  return (
    <>
      <SignedIn>
        <button type="button" onClick={() => signOut()}>
          Sign out
        </button>
      </SignedIn>
      <SignedOut>
        <p>signed out</p>
      </SignedOut>
    </>
  );
}

/** Renders SignedIn/SignedOut markers under the fake server. */
function renderGates(server: ReturnType<typeof fakeAuthServer>) {
  const Wrapper = wrapperFor(server);
  return render(
    <Wrapper>
      <SignedIn>
        <p>member area</p>
      </SignedIn>
      <SignedOut>
        <p>please sign in</p>
      </SignedOut>
    </Wrapper>,
  );
}

describe("<SignedIn> and <SignedOut>", () => {
  it("render nothing while the session is unknown", async () => {
    const server = fakeAuthServer();
    server.hold();
    const { container } = renderGates(server);
    expect(container.textContent).toBe("");
    act(() => server.release());
    expect(await screen.findByText("member area")).toBeTruthy();
    expect(screen.queryByText("please sign in")).toBeNull();
  });

  it("show only the signed-out children when signed out", async () => {
    const server = fakeAuthServer({ signedIn: false });
    renderGates(server);
    expect(await screen.findByText("please sign in")).toBeTruthy();
    expect(screen.queryByText("member area")).toBeNull();
  });

  it("show neither when the session cannot be loaded", async () => {
    const server = fakeAuthServer();
    server.state.failGetSession = true;
    const { container } = renderGates(server);
    await waitFor(() => expect(server.sessionFetches()).toBeGreaterThan(0));
    // Let SWR settle the failed request before looking.
    await act(async () => {});
    expect(container.textContent).toBe("");
  });
});

describe("<SignedInOrRedirect>", () => {
  function renderGuarded(server: ReturnType<typeof fakeAuthServer>, path?: string) {
    const Wrapper = wrapperFor(server);
    return render(
      <Wrapper>
        <SignedInOrRedirect path={path}>
          <p>chats</p>
        </SignedInOrRedirect>
      </Wrapper>,
    );
  }

  function spyOnAssign() {
    const assign = vi.fn();
    vi.spyOn(window, "location", "get").mockReturnValue({
      ...window.location,
      href: "http://localhost:3000/chats?tab=2#latest",
      origin: "http://localhost:3000",
      pathname: "/chats",
      search: "?tab=2",
      hash: "#latest",
      assign,
    });
    return assign;
  }

  it("sends a signed-out visitor to the sign-in page with the way back", async () => {
    const assign = spyOnAssign();
    const server = fakeAuthServer({ signedIn: false });
    const { container } = renderGuarded(server);
    await waitFor(() => expect(assign).toHaveBeenCalledOnce());
    expect(assign).toHaveBeenCalledWith("/sign-in?redirectTo=%2Fchats%3Ftab%3D2%23latest");
    expect(container.textContent).toBe("");
  });

  it("keeps a query the sign-in path already has", async () => {
    const assign = spyOnAssign();
    renderGuarded(fakeAuthServer({ signedIn: false }), "/login?source=guard");
    await waitFor(() =>
      expect(assign).toHaveBeenCalledWith("/login?source=guard&redirectTo=%2Fchats%3Ftab%3D2%23latest"),
    );
  });

  it("renders the children for a signed-in user, without redirecting", async () => {
    const assign = spyOnAssign();
    renderGuarded(fakeAuthServer());
    expect(await screen.findByText("chats")).toBeTruthy();
    expect(assign).not.toHaveBeenCalled();
  });

  it("neither renders nor redirects while unknown or when the lookup fails", async () => {
    const assign = spyOnAssign();
    const server = fakeAuthServer();
    server.state.failGetSession = true;
    const { container } = renderGuarded(server);
    await waitFor(() => expect(server.sessionFetches()).toBeGreaterThan(0));
    await act(async () => {});
    expect(container.textContent).toBe("");
    expect(assign).not.toHaveBeenCalled();
  });
});

describe("<SignedOutOrRedirect>", () => {
  function renderSignInPage(server: ReturnType<typeof fakeAuthServer>, search: string, path?: string) {
    const assign = vi.fn();
    vi.spyOn(window, "location", "get").mockReturnValue({
      ...window.location,
      href: `http://localhost:3000/sign-in${search}`,
      origin: "http://localhost:3000",
      pathname: "/sign-in",
      search,
      hash: "",
      assign,
    });
    const Wrapper = wrapperFor(server);
    const view = render(
      <Wrapper>
        <SignedOutOrRedirect path={path}>
          <p>sign-in form</p>
        </SignedOutOrRedirect>
      </Wrapper>,
    );
    return { assign, ...view };
  }

  it("renders the children while nobody is signed in", async () => {
    const { assign } = renderSignInPage(fakeAuthServer({ signedIn: false }), "");
    expect(await screen.findByText("sign-in form")).toBeTruthy();
    expect(assign).not.toHaveBeenCalled();
  });

  it("sends a signed-in visitor to redirectTo when it is a path on this site, else to path", async () => {
    const back = renderSignInPage(fakeAuthServer(), "?redirectTo=%2Fchats%3Ftab%3D2", "/home");
    await waitFor(() => expect(back.assign).toHaveBeenCalledWith("/chats?tab=2"));
    expect(back.container.textContent).toBe("");
    cleanup();
    for (const elsewhere of [
      "https%3A%2F%2Fevil.example%2F",
      "%2F%2Fevil.example",
      "%2F%5Cevil.example",
      "%2F.%2F%2Fevil.example",
      "%2F%252e%2F%2Fevil.example",
      "%2Fa%2F..%2F%2Fevil.example",
    ]) {
      const away = renderSignInPage(fakeAuthServer(), `?redirectTo=${elsewhere}`, "/home");
      await waitFor(() => expect(away.assign).toHaveBeenCalledWith("/home"));
      cleanup();
    }
    const plain = renderSignInPage(fakeAuthServer(), "");
    await waitFor(() => expect(plain.assign).toHaveBeenCalledWith("/"));
  });
});

describe("useSignOut", () => {
  it("POSTs sign-out with credentials, then revalidates so the page shows the signed-out state", async () => {
    const server = fakeAuthServer();
    const { result } = renderHook(() => ({ user: useUser(), signOut: useSignOut() }), {
      wrapper: wrapperFor(server),
    });
    await waitFor(() => expect(result.current.user).toEqual(ada.user));
    const fetchesBefore = server.sessionFetches();

    await act(() => result.current.signOut());

    expect(server.calls).toContainEqual({
      url: "/api/auth/sign-out",
      method: "POST",
      credentials: "include",
    });
    expect(result.current.user).toBeNull();
    // The server was asked again, after the sign-out.
    await waitFor(() => expect(server.sessionFetches()).toBe(fetchesBefore + 1));
    const signOutIndex = server.calls.findIndex((call) => call.url.endsWith("/sign-out"));
    expect(server.calls.slice(signOutIndex + 1).map((call) => call.url)).toEqual(["/api/auth/get-session"]);
    expect(result.current.user).toBeNull();
  });

  it("goes to redirectToPath once signed out when asked, as Gadget's does, and stays otherwise", async () => {
    const assign = vi.fn();
    vi.spyOn(window, "location", "get").mockReturnValue({ ...window.location, assign });
    const server = fakeAuthServer();
    const { result } = renderHook(
      () => ({
        user: useUser(),
        stay: useSignOut(),
        leave: useSignOut({ redirectOnSuccess: true, redirectToPath: "/sign-in" }),
      }),
      { wrapper: wrapperFor(server) },
    );
    await waitFor(() => expect(result.current.user).toEqual(ada.user));
    await act(() => result.current.stay());
    expect(assign).not.toHaveBeenCalled();
    await act(() => result.current.leave());
    expect(assign).toHaveBeenCalledWith("/sign-in");
  });

  it("switches <SignedIn> off and <SignedOut> on", async () => {
    const server = fakeAuthServer();
    const Wrapper = wrapperFor(server);
    render(
      <Wrapper>
        <Header />
      </Wrapper>,
    );
    const button = await screen.findByRole("button", { name: "Sign out" });
    act(() => button.click());
    expect(await screen.findByText("signed out")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Sign out" })).toBeNull();
  });

  it("rejects when the server refuses, and shows what the server then says", async () => {
    const server = fakeAuthServer();
    server.state.failSignOut = true;
    const { result } = renderHook(() => ({ user: useUser(), signOut: useSignOut() }), {
      wrapper: wrapperFor(server),
    });
    await waitFor(() => expect(result.current.user).toEqual(ada.user));
    const fetchesBefore = server.sessionFetches();
    await act(() => expect(result.current.signOut()).rejects.toThrow(/answered 403/));
    await waitFor(() => expect(server.sessionFetches()).toBe(fetchesBefore + 1));
    expect(result.current.user).toEqual(ada.user);
  });
});

describe("authPath", () => {
  it("defaults to /api/auth, where better-auth is mounted in a Next.js app", () => {
    expect(createSprocketConfig({}).authPath).toBe("/api/auth");
    expect(createSprocketConfig({ authPath: "/auth/" }).authPath).toBe("/auth");
  });

  it("must be a path from the root", () => {
    expect(() => createSprocketConfig({ authPath: "api/auth" })).toThrow(/authPath must start with "\/"/);
  });
});
