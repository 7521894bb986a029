"use client";

import { SignedIn, SignedOut, useSignOut, useUser } from "@sprocket/react";
import Link from "next/link";
import { useState } from "react";

/**
 * The header's account corner: a link to the signed-in user's chats, their email and a sign-out
 * button, or links to sign in and sign up. Empty until the session is known, so neither flashes for the wrong visitor.
 *
 * @example
 * <header><UserMenu /></header>
 */
export function UserMenu() {
  const user = useUser();
  const signOut = useSignOut();
  const [error, setError] = useState<string>();

  async function signOutClicked() {
    setError(undefined);
    try {
      await signOut();
    } catch {
      setError("Could not sign out. Try again.");
    }
  }

  return (
    <nav className="user-menu" aria-label="Account">
      <SignedIn>
        <Link href="/chats">Chats</Link>
        <span className="user-email" data-testid="user-email">
          {user?.email}
        </span>
        <button type="button" onClick={signOutClicked}>
          Sign out
        </button>
        {error && <span role="alert">{error}</span>}
      </SignedIn>
      <SignedOut>
        <a href="/sign-in">Sign in</a>
        <a href="/sign-up">Sign up</a>
      </SignedOut>
    </nav>
  );
}
