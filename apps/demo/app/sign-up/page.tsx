"use client";

import { AuthForm } from "../auth-form";

export default function SignUpPage() {
  return (
    <section className="auth-page">
      <h1>Create an account</h1>
      <AuthForm mode="sign-up" />
      <p className="auth-switch">
        Already have an account? <a href="/sign-in">Sign in</a>
      </p>
    </section>
  );
}
