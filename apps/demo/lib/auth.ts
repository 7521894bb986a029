import { type Identity, identify, sessionIdentity } from "@sprocket/server/auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
// The minimal build leaves Kysely out: the Prisma adapter is the only database access used here.
import { betterAuth } from "better-auth/minimal";
import { config } from "./config";
import { db } from "./db";
import type { PrismaClient } from "./generated/prisma/client";
import { shopify } from "./shopify";
import { widgetIdentity } from "./widget/identity";

/** Where the auth endpoints are mounted: `app/api/auth/[...all]/route.ts`. */
export const AUTH_BASE_PATH = "/api/auth";

/** What {@link createAuth} needs: the demo's settings and its database. */
export interface CreateAuthOptions {
  prisma: PrismaClient;
  /** Signs and encrypts session cookies (BETTER_AUTH_SECRET). */
  secret: string;
  /** The app's public URL; `undefined` takes it from each request. */
  baseUrl: string | undefined;
  /** Production sends cookies with `Secure`. */
  isProduction: boolean;
  /**
   * Turns off better-auth's rate limits, which are on in production. For end-to-end tests only
   * (AUTH_RATE_LIMIT=off, see lib/config.ts). Default: false.
   */
  isRateLimitDisabled?: boolean;
}

/**
 * Email-and-password accounts with sessions in the demo's database.
 *
 * - Passwords: better-auth's default hash, scrypt (N=16384, r=16, p=1: 32 MiB per hash, with a
 *   random 16-byte salt), a memory-hard function, so a leaked table is slow to brute-force even on
 *   GPUs. test/auth.test.ts checks the stored form.
 * - Sessions: rows in `Session`; the cookie holds a signed token. Signing out deletes the row.
 * - Cookies: httpOnly and SameSite=Lax (better-auth's defaults, stated here so they are not lost),
 *   Secure in production.
 * - Rate limits: better-auth's, on in production only: sign-in and sign-up take 3 requests per 10 s
 *   from one client address (read from X-Forwarded-For), other auth endpoints 100.
 * - CSRF: state-changing requests that carry cookies, and sign-in/sign-up, must come from a trusted
 *   origin (the base URL's). better-auth turns that check off when NODE_ENV is "test", so it is
 *   switched on explicitly: tests then exercise the check production runs.
 *
 * @example
 * const auth = createAuth({ prisma: db(), secret, baseUrl: undefined, isProduction: false });
 * const response = await auth.handler(request);
 */
export function createAuth({
  prisma,
  secret,
  baseUrl,
  isProduction,
  isRateLimitDisabled = false,
}: CreateAuthOptions) {
  return betterAuth({
    appName: "Sprocket demo",
    secret,
    baseURL: baseUrl,
    basePath: AUTH_BASE_PATH,
    database: prismaAdapter(prisma, { provider: "postgresql" }),
    emailAndPassword: { enabled: true },
    // better-auth's default (on in production) made explicit, so tests can check what production runs.
    rateLimit: { enabled: isProduction && !isRateLimitDisabled },
    databaseHooks: {
      user: {
        // The form's name is optional; "not given" is stored as NULL, as the schema means it, by
        // leaving the column out.
        create: { before: async (user) => ({ data: { ...user, name: user.name?.trim() || undefined } }) },
      },
    },
    advanced: {
      // The schema's @default(uuid(7)) gives every auth row the same kind of id as the rest.
      database: { generateId: false },
      useSecureCookies: isProduction,
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
      disableOriginCheck: false,
      disableCSRFCheck: false,
      // Without BETTER_AUTH_URL, the base URL (and so the one trusted origin) is where the browser
      // sent the request. Next.js passes that in x-forwarded-host/-proto: its request.url names the
      // address the server bound (http://localhost:3000 for 127.0.0.1:3000), which a browser on
      // 127.0.0.1 or another machine does not send as its Origin. A forged x-forwarded-host cannot
      // help a cross-site attack: a page cannot add it to a request without a CORS preflight.
      trustedProxyHeaders: baseUrl === undefined,
    },
    telemetry: { enabled: false },
  });
}

/** The demo's better-auth instance. */
export type Auth = ReturnType<typeof createAuth>;

// Created on first use, like db(): `next build` imports this module without any environment.
const globalForAuth = globalThis as { sprocketAuth?: Auth };

/**
 * The demo's auth, configured from the environment (see lib/config.ts).
 *
 * @example
 * export const POST = (request: Request) => auth().handler(request);
 */
export function auth(): Auth {
  if (!globalForAuth.sprocketAuth) {
    const { auth: settings, isProduction } = config();
    globalForAuth.sprocketAuth = createAuth({
      prisma: db(),
      secret: settings.secret,
      baseUrl: settings.baseUrl,
      isProduction,
      isRateLimitDisabled: settings.isRateLimitDisabled,
    });
  }
  return globalForAuth.sprocketAuth;
}

/**
 * Who made a request: the widget visitor of a widget token in `Authorization: Bearer` (an explicit
 * credential wins over an ambient cookie); else, with the Shopify app configured, a session token
 * (the app's page in the Shopify admin) is the "shopify-admin" role of its shop, and any other Bearer
 * value is a 401 App Bridge retries; else the signed-in user of its session cookie, else
 * unauthenticated. Routes use it to scope what they read and write.
 *
 * @example
 * const identity = await identifyRequest(request.raw);
 * if (identity.role !== "signed-in") throw new HttpError("UNAUTHORIZED");
 */
export function identifyRequest(request: Request): Promise<Identity> {
  // The widget's source only claims tokens it signed, so it goes before the admin source, which
  // refuses every other Bearer value.
  const cookie = sessionIdentity(auth());
  const admin = config().shopify ? [shopify().adminIdentity] : [];
  return identify(request, [widgetIdentity(), ...admin, cookie]);
}
