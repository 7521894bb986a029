// Session tokens for tests, made as App Bridge's are (HS256 over the app's client secret), plus the
// forgeries a verifier must refuse. Written apart from the code under test: jose's SignJWT for
// genuine tokens, node:crypto by hand for headers that lie about their algorithm.
import { createHmac } from "node:crypto";
import { SignJWT } from "jose";

export const API_KEY = "admin-app-key";

export interface TokenClaims {
  iss?: string;
  dest?: string;
  aud?: string;
  sub?: string;
  /** Seconds since the epoch. */
  exp?: number;
  nbf?: number;
  iat?: number;
  [claim: string]: unknown;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The claims Shopify puts in a session token for `shop`, valid for a minute from now. */
export function claimsFor(shop: string, overrides: TokenClaims = {}): TokenClaims {
  const now = nowSeconds();
  return {
    iss: `https://${shop}/admin`,
    dest: `https://${shop}`,
    aud: API_KEY,
    sub: "42",
    exp: now + 60,
    nbf: now,
    iat: now,
    jti: `jti-${shop}-${now}`,
    sid: "admin-session-id",
    ...overrides,
  };
}

/** A session token signed with `secret`, HS256 (or another HMAC algorithm, for refusal tests). */
export function sessionToken(
  claims: TokenClaims,
  secret: string,
  algorithm: "HS256" | "HS384" | "HS512" = "HS256",
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: algorithm, typ: "JWT" })
    .sign(new TextEncoder().encode(secret));
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

/** A token whose header says `alg` but whose signature is HMAC-SHA256 with `secret` (or none for "none"). */
export function forgedToken(claims: TokenClaims, secret: string, alg: string): string {
  const signingInput = `${base64url(JSON.stringify({ alg, typ: "JWT" }))}.${base64url(JSON.stringify(claims))}`;
  if (alg === "none") return `${signingInput}.`;
  return `${signingInput}.${createHmac("sha256", secret).update(signingInput).digest("base64url")}`;
}
