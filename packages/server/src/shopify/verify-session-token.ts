import { errors, jwtVerify } from "jose";
import { isMyshopifyDomain } from "./myshopify-domain.js";

/**
 * Seconds a session token's `exp` and `nbf` may be off the server's clock. Shopify's tokens live
 * one minute, so a small allowance for clock skew between Shopify and the app is enough; Shopify's
 * own library allows 10 s.
 */
export const SESSION_TOKEN_CLOCK_TOLERANCE_SECONDS = 5;

/** The one algorithm Shopify signs session tokens with: HMAC-SHA256 with the app's client secret. */
export const SESSION_TOKEN_ALGORITHMS = ["HS256"] as const;

/** The claims of a Shopify session token (App Bridge's `shopify.idToken()`). */
export interface SessionTokenPayload {
  /** The shop's admin URL, `https://{shop}/admin`. */
  iss: string;
  /** The shop's URL, `https://{shop}`. */
  dest: string;
  /** The app's client id (API key). */
  aud: string;
  /** The staff member's user id. */
  sub?: string;
  exp: number;
  nbf: number;
  iat?: number;
  jti?: string;
  /** The admin session id. */
  sid?: string;
  [claim: string]: unknown;
}

/** Why a session token was refused; for logs only, never for the caller. */
export type SessionTokenFailureReason =
  | "malformed"
  | "disallowed-algorithm"
  | "invalid-signature"
  | "expired"
  | "not-yet-valid"
  | "invalid-audience"
  | "invalid-issuer"
  | "invalid-destination"
  | "shop-mismatch";

export type SessionTokenVerification =
  | { ok: true; shop: string; payload: SessionTokenPayload }
  | { ok: false; reason: SessionTokenFailureReason };

export interface VerifySessionTokenOptions {
  /** The app's client id: `aud` must equal it. */
  apiKey: string;
  /** The app's client secrets, newest first; a token signed with any of them is accepted. */
  secrets: readonly string[];
  /** Seconds `exp`/`nbf` may be off. Default: {@link SESSION_TOKEN_CLOCK_TOLERANCE_SECONDS}. */
  clockTolerance?: number;
}

const encoder = new TextEncoder();
const ISSUER = /^https:\/\/([^/]+)\/admin$/;
const DESTINATION = /^https:\/\/([^/]+)$/;

/**
 * Verifies a Shopify session token: HS256 only (the algorithm is pinned, so `alg: none`, RS256/ES256
 * headers and HS384/HS512 are refused before any key is used), signed with one of the secrets,
 * `aud` the API key, `iss` `https://{shop}/admin` and `dest` `https://{shop}` naming the same
 * `*.myshopify.com` shop, `exp`/`nbf` within the tolerance. Pure: returns a result, never throws.
 *
 * @example
 * const result = await verifySessionToken(token, { apiKey, secrets: [secret] });
 * if (result.ok) console.log(result.shop);
 */
export async function verifySessionToken(
  token: string,
  { apiKey, secrets, clockTolerance = SESSION_TOKEN_CLOCK_TOLERANCE_SECONDS }: VerifySessionTokenOptions,
): Promise<SessionTokenVerification> {
  let payload: SessionTokenPayload | undefined;
  for (const secret of secrets) {
    try {
      const verified = await jwtVerify(token, encoder.encode(secret), {
        algorithms: [...SESSION_TOKEN_ALGORITHMS],
        audience: apiKey,
        clockTolerance,
        requiredClaims: ["iss", "dest", "aud", "exp", "nbf"],
      });
      payload = verified.payload as SessionTokenPayload;
      break;
    } catch (error) {
      // Only a signature that does not match may be tried against the next (older) secret.
      if (error instanceof errors.JWSSignatureVerificationFailed) continue;
      return { ok: false, reason: reasonOf(error) };
    }
  }
  if (payload === undefined) return { ok: false, reason: "invalid-signature" };

  const issuerShop = typeof payload.iss === "string" ? ISSUER.exec(payload.iss)?.[1] : undefined;
  if (issuerShop === undefined || !isMyshopifyDomain(issuerShop))
    return { ok: false, reason: "invalid-issuer" };
  const shop = typeof payload.dest === "string" ? DESTINATION.exec(payload.dest)?.[1] : undefined;
  if (shop === undefined || !isMyshopifyDomain(shop)) return { ok: false, reason: "invalid-destination" };
  if (issuerShop !== shop) return { ok: false, reason: "shop-mismatch" };
  return { ok: true, shop, payload };
}

function reasonOf(error: unknown): SessionTokenFailureReason {
  if (error instanceof errors.JOSEAlgNotAllowed) return "disallowed-algorithm";
  if (error instanceof errors.JWTExpired) return "expired";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "nbf") return "not-yet-valid";
    if (error.claim === "aud") return "invalid-audience";
    if (error.claim === "iss") return "invalid-issuer";
    if (error.claim === "dest") return "invalid-destination";
  }
  // Bad encoding, a header jose does not support, a payload that is not a claims set.
  return "malformed";
}
