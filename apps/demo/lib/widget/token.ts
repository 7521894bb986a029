// The widget's tokens: short-lived bearer tokens that say whose conversations the embedded chat may
// read and write, and the long-lived visitor key that brings an anonymous visitor back to the same
// conversations. Both are HS256 JWTs signed with WIDGET_TOKEN_SECRET (jose), told apart by audience.
import { decodeJwt, errors, jwtVerify, SignJWT } from "jose";
import { z } from "zod";

/** How long a widget token is good for: the frame asks for a new one before it runs out. */
export const WIDGET_TOKEN_TTL_SECONDS = 5 * 60;
/** How long an anonymous visitor keeps their conversations on one browser: 30 days. */
export const VISITOR_KEY_TTL_SECONDS = 30 * 24 * 60 * 60;

const ISSUER = "sprocket-widget";
const TOKEN_AUDIENCE = "sprocket-widget:token";
const VISITOR_AUDIENCE = "sprocket-widget:visitor";
// Only HS256: a token naming another algorithm (or "none") is refused before its signature is read.
const ALGORITHMS = ["HS256"];
// Tokens cross clocks (the app's instances); a few seconds of skew must not log visitors out.
const CLOCK_TOLERANCE_SECONDS = 5;

/** Whose conversations a widget token reaches: an anonymous visitor's, or a storefront customer's. */
export type WidgetOwner =
  | { kind: "visitor"; visitorId: string; shop: string | null }
  | { kind: "customer"; customerId: string; shop: string };

/** A signed token and when it runs out (epoch ms), as the token endpoints answer. */
export interface IssuedWidgetToken {
  token: string;
  expiresAt: number;
  /** For anonymous visitors: the key to send with the next token request, to stay the same visitor. */
  visitorKey?: string;
}

const TokenClaims = z.union([
  z.object({ kind: z.literal("visitor"), sub: z.string().min(1), shop: z.string().min(1).nullable() }),
  z.object({ kind: z.literal("customer"), sub: z.string().min(1), shop: z.string().min(1) }),
]);

/** The verdict on a presented token; `reason` is for logs only. */
export type VerifyWidgetTokenResult =
  | { ok: true; owner: WidgetOwner }
  | { ok: false; reason: "EXPIRED" | "INVALID" };

/**
 * Signs a widget token for `owner`, and for a visitor a fresh visitor key.
 *
 * @example
 * const { token, expiresAt } = await issueWidgetToken({ kind: "visitor", visitorId, shop: null }, secret);
 */
export async function issueWidgetToken(
  owner: WidgetOwner,
  secret: string,
  now = Date.now(),
): Promise<IssuedWidgetToken> {
  const key = keyOf(secret);
  const issuedAt = Math.floor(now / 1000);
  const expiresAt = (issuedAt + WIDGET_TOKEN_TTL_SECONDS) * 1000;
  const subject = owner.kind === "visitor" ? owner.visitorId : owner.customerId;
  const token = await new SignJWT({ kind: owner.kind, shop: owner.shop })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setSubject(subject)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt / 1000)
    .sign(key);
  if (owner.kind !== "visitor") return { token, expiresAt };
  const visitorKey = await new SignJWT({})
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(ISSUER)
    .setAudience(VISITOR_AUDIENCE)
    .setSubject(owner.visitorId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + VISITOR_KEY_TTL_SECONDS)
    .sign(key);
  return { token, expiresAt, visitorKey };
}

/**
 * Checks a widget token's signature, algorithm, issuer, audience and expiry, and reads its owner.
 *
 * @example
 * const result = await verifyWidgetToken(bearer, secret);
 * if (result.ok) console.log(result.owner.kind);
 */
export async function verifyWidgetToken(token: string, secret: string): Promise<VerifyWidgetTokenResult> {
  try {
    const { payload } = await jwtVerify(token, keyOf(secret), {
      issuer: ISSUER,
      audience: TOKEN_AUDIENCE,
      algorithms: ALGORITHMS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ["exp", "sub"],
    });
    const claims = TokenClaims.safeParse(payload);
    if (!claims.success) return { ok: false, reason: "INVALID" };
    const claim = claims.data;
    if (claim.kind === "customer") {
      return { ok: true, owner: { kind: "customer", customerId: claim.sub, shop: claim.shop } };
    }
    return { ok: true, owner: { kind: "visitor", visitorId: claim.sub, shop: claim.shop } };
  } catch (error) {
    return { ok: false, reason: error instanceof errors.JWTExpired ? "EXPIRED" : "INVALID" };
  }
}

/**
 * Whether `token` says it is a widget token (its unverified issuer is the widget's), so a refused
 * one can be answered as the widget's own 401 rather than handed to the other sources. Only for
 * choosing the answer: it proves nothing.
 *
 * @example
 * if (!result.ok && claimsWidgetIssuer(token)) throw new Response(undefined, { status: 401 });
 */
export function claimsWidgetIssuer(token: string): boolean {
  try {
    return decodeJwt(token).iss === ISSUER;
  } catch {
    return false;
  }
}

/**
 * The visitor id a visitor key names, or `undefined` when the key is missing, forged or expired
 * (the caller then starts a new visitor).
 *
 * @example
 * const visitorId = (await visitorIdOf(body.visitorKey, secret)) ?? crypto.randomUUID();
 */
export async function visitorIdOf(
  visitorKey: string | undefined,
  secret: string,
): Promise<string | undefined> {
  if (!visitorKey) return undefined;
  try {
    const { payload } = await jwtVerify(visitorKey, keyOf(secret), {
      issuer: ISSUER,
      audience: VISITOR_AUDIENCE,
      algorithms: ALGORITHMS,
      requiredClaims: ["exp", "sub"],
    });
    return payload.sub || undefined;
  } catch {
    return undefined;
  }
}

function keyOf(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}
