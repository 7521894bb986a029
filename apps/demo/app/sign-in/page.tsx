"use client";

import { AuthForm } from "../auth-form";

export default function SignInPage() {
  return (
    <section className="auth-page">
      <h1>Sign in</h1>
      <AuthForm mode="sign-in" />
      <p className="auth-switch">
        New here? <a href="/sign-up">Create an account</a>
      </p>
    </section>
  );
}
