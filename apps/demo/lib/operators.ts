// The app's operators: signed-in users whose email is in ADMIN_EMAILS. Only they see the webhook
// inbox page and may replay deliveries; to anyone else both answer as if they did not exist.
import { headers } from "next/headers";
import { identifyRequest } from "./auth";
import { config } from "./config";
import type { DemoIdentity } from "./permissions";
import { demoIdentity } from "./route";

/**
 * Whether this identity is one of the app's operators (ADMIN_EMAILS, compared case-insensitively).
 *
 * @example
 * if (!isOperator(identityOf(request.raw))) throw new HttpError("NOT_FOUND");
 */
export function isOperator(identity: DemoIdentity): boolean {
  if (identity.role !== "signed-in") return false;
  return config().adminEmails.includes(identity.user.email.trim().toLowerCase());
}

/**
 * Who is viewing a server-rendered page, from the request's session cookie.
 *
 * @example
 * const identity = await pageIdentity();
 */
export async function pageIdentity(): Promise<DemoIdentity> {
  // The session lookup reads only the headers; the URL is never fetched.
  const request = new Request("http://page.invalid/", { headers: await headers() });
  return demoIdentity(await identifyRequest(request));
}
