"use client";

import { createContext, type ReactNode, useContext, useMemo } from "react";

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
}

export interface SprocketProviderProps {
  /** Origin of the Sprocket app. Default: "" (the page's own origin). */
  baseUrl?: string;
  /** Replaces the global fetch, e.g. to add instrumentation. Default: `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Path of the auth endpoints the identity hooks call. Default: "/api/auth". */
  authPath?: string;
  children?: ReactNode;
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
  children,
}: SprocketProviderProps) {
  const value = useMemo(
    () => createSprocketConfig({ baseUrl, fetch: fetchImpl, authPath }),
    [baseUrl, fetchImpl, authPath],
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

/** Builds the configuration the provider shares; exported for framework-free use. */
export function createSprocketConfig({
  baseUrl = "",
  fetch: fetchImpl,
  authPath = DEFAULT_AUTH_PATH,
}: Omit<SprocketProviderProps, "children">): SprocketConfig {
  const base = baseUrl.replace(/\/+$/, "");
  if (base && !/^https?:\/\//.test(base)) {
    throw new Error(`SprocketProvider: baseUrl must be an absolute http(s) URL, got "${baseUrl}"`);
  }
  if (!authPath.startsWith("/")) {
    throw new Error(`SprocketProvider: authPath must start with "/", got "${authPath}"`);
  }
  return {
    authPath: authPath.replace(/\/+$/, ""),
    baseUrl: base,
    // Read the global at call time, not at creation, so test and polyfill replacements are seen.
    fetch: (path, init) => (fetchImpl ?? globalThis.fetch)(resolvePath(base, path), init),
  };
}

function resolvePath(base: string, path: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) || !base) return path;
  return `${base}${path.startsWith("/") ? "" : "/"}${path}`;
}

const defaultConfig = createSprocketConfig({});
