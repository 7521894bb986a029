"use client";

import { createContext, type ReactNode, useContext, useMemo } from "react";
import { createFetchEventSource } from "./models/fetch-event-source.js";
import type { EventSourceConstructor } from "./models/live-connection.js";

export interface SprocketConfig {
  /**
   * Origin (and optional path prefix) of the Sprocket app the hooks talk to, for pages served from
   * another origin such as an embedded widget or a storefront. Default: "" (same origin).
   */
  baseUrl: string;
  /** The fetch the hooks use; resolves relative paths against `baseUrl`. */
  fetch: (path: string, init?: RequestInit) => Promise<Response>;
  /** Path of the auth endpoints (better-auth's basePath), without a trailing slash. Default: "/api/auth". */
  authPath: string;
  /**
   * The `EventSource` live hooks open, when the auth source adds headers: the browser's cannot send
   * any, so this one reads the stream through `fetch` (see `createFetchEventSource`). Default: none,
   * the client's or the global `EventSource`.
   */
  EventSource?: EventSourceConstructor;
}

export interface SprocketProviderProps {
  /** Origin of the Sprocket app. Default: "" (the page's own origin). */
  baseUrl?: string;
  /** Replaces the global fetch, e.g. to add instrumentation. Default: `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Path of the auth endpoints the identity hooks call. Default: "/api/auth". */
  authPath?: string;
  /**
   * How requests prove who is asking. Default: the browser's cookies, see {@link SprocketAuth}.
   * Pass a stable object (a module constant or memoized): a new one rebuilds the configuration.
   */
  auth?: SprocketAuth;
  children?: ReactNode;
}

/**
 * The identity requests carry. Cookies are always sent to the app's own origin; to another origin
 * (`baseUrl`) they are sent with `credentials: "include"`, which the app's CORS must allow.
 */
export interface SprocketAuth {
  /** Headers added to every request to the app (not to absolute URLs), e.g. `{ authorization: \`Bearer ${token}\` }`. Read per request. */
  headers?(): Promise<Record<string, string>> | Record<string, string>;
  /**
   * Called on a 401 with the answer and the request as it was sent (its headers show which
   * credentials were refused). Resolve `true` once the credentials are renewed to send the request
   * once more with fresh `headers()`; `false` hands the 401 to the caller. Called at most once per
   * request: a second 401 goes to the caller. Requests with a stream body are not sent again.
   */
  onUnauthorized?(response: Response, request: RequestInit): Promise<boolean> | boolean;
  /** Overrides the computed credentials mode. Default: "include" for another origin, else "same-origin". */
  credentials?: RequestCredentials;
}

/** Where better-auth's endpoints are mounted in a Next.js app: `app/api/auth/[...all]/route.ts`. */
const DEFAULT_AUTH_PATH = "/api/auth";

const SprocketContext = createContext<SprocketConfig | undefined>(undefined);

/**
 * Configures the Sprocket hooks below it.
 *
 * @example
 * <SprocketProvider baseUrl="https://my-app.example.com">
 *   <Chat />
 * </SprocketProvider>
 */
export function SprocketProvider({
  baseUrl = "",
  fetch: fetchImpl,
  authPath,
  auth,
  children,
}: SprocketProviderProps) {
  const value = useMemo(
    () => createSprocketConfig({ baseUrl, fetch: fetchImpl, authPath, auth }),
    [baseUrl, fetchImpl, authPath, auth],
  );
  return <SprocketContext.Provider value={value}>{children}</SprocketContext.Provider>;
}

/**
 * The configuration of the nearest `SprocketProvider`, or same-origin defaults without one.
 *
 * @example
 * const { fetch } = useSprocket();
 * const response = await fetch("/api/health");
 */
export function useSprocket(): SprocketConfig {
  return useContext(SprocketContext) ?? defaultConfig;
}

/**
 * The nearest provider's configuration, or undefined without one, for callers with a fallback.
 *
 * @example
 * const config = useOptionalSprocket() ?? clientConfig;
 */
export function useOptionalSprocket(): SprocketConfig | undefined {
  return useContext(SprocketContext);
}

/** Builds the configuration the provider shares; exported for framework-free use. */
export function createSprocketConfig({
  baseUrl = "",
  fetch: fetchImpl,
  authPath = DEFAULT_AUTH_PATH,
  auth,
}: Omit<SprocketProviderProps, "children">): SprocketConfig {
  const base = baseUrl.replace(/\/+$/, "");
  if (base && !/^https?:\/\//.test(base)) {
    throw new Error(`SprocketProvider: baseUrl must be an absolute http(s) URL, got "${baseUrl}"`);
  }
  if (!authPath.startsWith("/")) {
    throw new Error(`SprocketProvider: authPath must start with "/", got "${authPath}"`);
  }
  // Read the global at call time, not at creation, so test and polyfill replacements are seen.
  const fetch: SprocketConfig["fetch"] = (path, init) => {
    const send = (request?: RequestInit) => (fetchImpl ?? globalThis.fetch)(resolvePath(base, path), request);
    // Credentials go to the app only: an absolute URL may name anyone.
    const isToApp = !isAbsolute(path);
    return isToApp && (auth || isCrossOrigin(base)) ? fetchWithAuth(send, init, base, auth) : send(init);
  };
  return {
    authPath: authPath.replace(/\/+$/, ""),
    baseUrl: base,
    fetch,
    ...(auth?.headers ? { EventSource: createFetchEventSource(fetch, base) } : {}),
  };
}

/**
 * Whether `baseUrl` names another origin than the page's, so cookies need `credentials: "include"`.
 *
 * @example
 * isCrossOrigin("https://app.example.com"); // true on a storefront page
 */
export function isCrossOrigin(baseUrl: string): boolean {
  if (!baseUrl) return false;
  const pageOrigin = globalThis.location?.origin;
  return pageOrigin === undefined || new URL(baseUrl).origin !== pageOrigin;
}

async function fetchWithAuth(
  send: (init?: RequestInit) => Promise<Response>,
  init: RequestInit | undefined,
  base: string,
  auth: SprocketAuth | undefined,
): Promise<Response> {
  const credentials = init?.credentials ?? auth?.credentials ?? (isCrossOrigin(base) ? "include" : undefined);
  const withAuth = async (): Promise<RequestInit> => {
    const request: RequestInit = { ...init, ...(credentials ? { credentials } : {}) };
    if (!auth?.headers) return request;
    const headers = new Headers(init?.headers);
    // Headers set by the caller win: a request may carry its own authorization on purpose.
    for (const [name, value] of Object.entries(await auth.headers())) {
      if (!headers.has(name)) headers.set(name, value);
    }
    return { ...request, headers };
  };
  const sent = await withAuth();
  const response = await send(sent);
  // A stream body was consumed by the first attempt and cannot be sent again.
  const canResend = !(init?.body instanceof ReadableStream);
  if (response.status !== 401 || !auth?.onUnauthorized || !canResend) return response;
  // One renewal per request, never a loop: the retry's answer, 401 or not, goes to the caller.
  return (await auth.onUnauthorized(response, sent)) ? send(await withAuth()) : response;
}

function isAbsolute(path: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(path);
}

function resolvePath(base: string, path: string): string {
  if (isAbsolute(path) || !base) return path;
  return `${base}${path.startsWith("/") ? "" : "/"}${path}`;
}

/**
 * `createSprocketConfig({})` written out: same origin and no auth source leave nothing to add to a
 * request. Spelled as a literal so a bundle that only uses hooks leaves the factory out.
 */
const defaultConfig: SprocketConfig = {
  authPath: DEFAULT_AUTH_PATH,
  baseUrl: "",
  // Read the global at call time, not at creation, so test and polyfill replacements are seen.
  fetch: (path, init) => globalThis.fetch(path, init),
};
