export { SignedIn, SignedOut } from "./signed-in.js";
export {
  REDIRECT_PARAM,
  SignedInOrRedirect,
  type SignedInOrRedirectProps,
  SignedOutOrRedirect,
  type SignedOutOrRedirectProps,
} from "./signed-in-or-redirect.js";
export type { AuthSession, AuthUser, SessionData } from "./types.js";
export { type UseSessionOptions, useSession } from "./use-session.js";
export { type UseSignOutOptions, useSignOut } from "./use-sign-out.js";
export { useUser } from "./use-user.js";
