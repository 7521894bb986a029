// A signed-up user's session cookie, through the demo's real auth route, for tests that act as one.
import { POST as authPost } from "@/app/api/auth/[...all]/route";

/** The origin test requests come from; better-auth checks it on every POST. */
export const APP = "http://demo.test";

/**
 * Signs up a new user with a unique email (or the one given) and returns the `Cookie` header a browser would send.
 *
 * @example
 * const { cookie, email } = await signUp("chat");
 */
export async function signUp(
  prefix = "user",
  email = `${prefix}-${Math.random().toString(36).slice(2)}@example.com`,
): Promise<{ cookie: string; email: string }> {
  const response = await authPost(
    new Request(`${APP}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: APP },
      body: JSON.stringify({ email, password: "correct horse battery staple", name: "" }),
    }),
  );
  if (response.status !== 200) throw new Error(`sign-up answered ${response.status}`);
  const cookie = response.headers
    .getSetCookie()
    .map((header) => header.split(";")[0])
    .join("; ");
  return { cookie, email };
}
