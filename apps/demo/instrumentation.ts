// Runs once when a server instance starts (`next start`, and each cold start on Vercel), before it
// answers requests; `next build` does not run it, so a build needs no environment. An invalid
// environment stops a production server here, with one message naming every variable that is
// missing or malformed, rather than failing request by request later.

/**
 * Next.js calls this at start-up: checks the environment (lib/check-environment.ts).
 *
 * @example
 * await register(); // exits 1 in production when the environment is invalid
 */
export async function register(): Promise<void> {
  // The Node.js server only (the demo has no Edge code): this branch is left out of Edge bundles.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkEnvironment } = await import("./lib/check-environment");
    checkEnvironment();
  }
}
