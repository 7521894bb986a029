"use client";

import { useSprocket } from "@sprocket/react";
import { type FormEvent, useState } from "react";
import { REDIRECT_TO_PARAM, safeRedirect } from "@/lib/safe-redirect";

/** Props of {@link AuthForm}. */
export interface AuthFormProps {
  /** Which better-auth endpoint the form posts to: `/sign-in/email` or `/sign-up/email`. */
  mode: "sign-in" | "sign-up";
}

const SUBMIT_LABEL = { "sign-in": "Sign in", "sign-up": "Create account" } as const;

/**
 * The email-and-password form of the sign-in and sign-up pages. On success better-auth has set the
 * session cookie, and the browser goes to the `redirect` parameter (a path on this site) or /chats
 * with a full page load, so every part of the page sees the new session.
 *
 * @example
 * <AuthForm mode="sign-in" />
 */
export function AuthForm({ mode }: AuthFormProps) {
  const { fetch, authPath } = useSprocket();
  const [error, setError] = useState<string>();
  const [isSubmitting, setSubmitting] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const fields = new FormData(event.currentTarget);
    const body = {
      email: String(fields.get("email") ?? ""),
      password: String(fields.get("password") ?? ""),
      ...(mode === "sign-up" ? { name: String(fields.get("name") ?? "") } : {}),
    };
    setError(undefined);
    setSubmitting(true);
    try {
      const response = await fetch(`${authPath}/${mode}/email`, {
        method: "POST",
        credentials: "include",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!response.ok) {
        setError(await failureMessage(response));
        setSubmitting(false);
        return;
      }
      window.location.assign(
        safeRedirect(new URLSearchParams(window.location.search).get(REDIRECT_TO_PARAM)),
      );
    } catch {
      setError("Could not reach the server. Check your connection and try again.");
      setSubmitting(false);
    }
  }

  return (
    <form className="auth-form" onSubmit={submit}>
      {mode === "sign-up" && (
        <label>
          Name <span className="optional">(optional)</span>
          <input name="name" type="text" autoComplete="name" />
        </label>
      )}
      <label>
        Email
        <input name="email" type="email" autoComplete="email" required />
      </label>
      <label>
        Password
        <input
          name="password"
          type="password"
          autoComplete={mode === "sign-up" ? "new-password" : "current-password"}
          minLength={mode === "sign-up" ? 8 : undefined}
          required
        />
      </label>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={isSubmitting}>
        {isSubmitting ? "Please wait…" : SUBMIT_LABEL[mode]}
      </button>
    </form>
  );
}

/** better-auth's `{ message }` for the failure, in words a visitor can act on. */
async function failureMessage(response: Response): Promise<string> {
  if (response.status === 429) return "Too many attempts. Wait a few seconds and try again.";
  const body = (await response.json().catch(() => null)) as { message?: unknown } | null;
  if (typeof body?.message === "string" && body.message && response.status < 500) return `${body.message}.`;
  return "Something went wrong on our side. Try again in a moment.";
}
