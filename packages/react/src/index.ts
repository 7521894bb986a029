"use client";

export {
  type AuthSession,
  type AuthUser,
  REDIRECT_PARAM,
  type SessionData,
  SignedIn,
  SignedInOrRedirect,
  type SignedInOrRedirectProps,
  SignedOut,
  type UseSessionOptions,
  useSession,
  useSignOut,
  useUser,
} from "./auth/index.js";
export {
  createSprocketConfig,
  type SprocketConfig,
  SprocketProvider,
  type SprocketProviderProps,
  useSprocket,
} from "./provider.js";
