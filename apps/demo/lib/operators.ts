// The app's operators: signed-in users whose email is in ADMIN_EMAILS and verified. Only they see
// the webhook inbox page and may replay deliveries; to anyone else both answer as if they did not
// exist. Verified, because sign-up is open: whoever first registers a listed address would
// otherwise be an operator. `npm run operator -- <email>` marks an operator's address verified.
import { headers } from "next/headers";
import { identifyRequest } from "./auth";
import { config } from "./config";
import { db } from "./db";
import type { DemoIdentity } from "./permissions";
import { demoIdentity } from "./route";

/**
 * Whether this identity is one of the app's operators: its email is in ADMIN_EMAILS (compared
 * case-insensitively) and marked verified on its account.
 *
 * @example
 * if (!(await isOperator(identityOf(request.raw)))) throw new HttpError("NOT_FOUND");
 */
export async function isOperator(identity: DemoIdentity): Promise<boolean> {
  if (identity.role !== "signed-in") return false;
  if (!config().adminEmails.includes(identity.user.email.trim().toLowerCase())) return false;
  const user = await db().user.findUnique({
    where: { id: identity.user.id },
    select: { emailVerified: true },
  });
  return user?.emailVerified === true;
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
