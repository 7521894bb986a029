/**
 * The signed-in user as better-auth's `get-session` sends it. Dates arrive as ISO strings (JSON);
 * fields added by the app's auth configuration are present at runtime too.
 */
export interface AuthUser {
  id: string;
  email: string;
  /** `null` when the user gave none. */
  name: string | null;
  emailVerified: boolean;
  image?: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The session a cookie names. Its token is never sent to the page's script (the cookie is httpOnly). */
export interface AuthSession {
  id: string;
  userId: string;
  expiresAt: string;
  createdAt: string;
  updatedAt: string;
  ipAddress?: string | null;
  userAgent?: string | null;
}

/** What `GET {authPath}/get-session` answers while signed in (signed out, it answers `null`). */
export interface SessionData {
  session: AuthSession;
  user: AuthUser;
}
