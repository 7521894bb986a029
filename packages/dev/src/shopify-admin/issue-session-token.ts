import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";

/** A shop's admin domain, as Shopify names them. */
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
/** How long Shopify's session tokens live. */
export const SESSION_TOKEN_LIFETIME_SECONDS = 60;

export interface IssueSessionTokenOptions {
  /** The shop the token is for, `{name}.myshopify.com`. Required. */
  shop: string;
  /** The app's client id: the token's audience. Required. */
  apiKey: string;
  /** The app's client secret, which signs the token (HS256). Required. */
  secret: string;
  /** Seconds until `exp`, counted from `now`; negative for a token that has already expired. Default: 60. */
  expiresInSeconds?: number;
  /** The staff member's user id (`sub`). Default: "1". */
  userId?: string;
  /** The issue time, seconds since the epoch. Default: now. */
  now?: number;
}

/**
 * Issues a session token as App Bridge hands one to an embedded app's page: a JWT signed with the
 * app's secret (HS256), with Shopify's claims: `iss` https://{shop}/admin, `dest` https://{shop},
 * `aud` the client id, `sub`, `exp`, `nbf`, `iat`, `jti` and `sid`. For local runs and tests of
 * the server's verification, never for a real shop.
 *
 * @example
 * const token = await issueSessionToken({ shop: "dev.myshopify.com", apiKey, secret });
 * await fetch("/api/models/chat", { headers: { authorization: `Bearer ${token}` } });
 */
export async function issueSessionToken({
  shop,
  apiKey,
  secret,
  expiresInSeconds = SESSION_TOKEN_LIFETIME_SECONDS,
  userId = "1",
  now = Math.floor(Date.now() / 1000),
}: IssueSessionTokenOptions): Promise<string> {
  if (!SHOP_DOMAIN.test(shop))
    throw new TypeError(`issueSessionToken: "${shop}" is not a *.myshopify.com domain`);
  if (!apiKey || !secret) throw new TypeError("issueSessionToken: `apiKey` and `secret` are required");
  return new SignJWT({ dest: `https://${shop}`, sid: randomUUID() })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(`https://${shop}/admin`)
    .setAudience(apiKey)
    .setSubject(userId)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + expiresInSeconds)
    .setJti(randomUUID())
    .sign(new TextEncoder().encode(secret));
}
