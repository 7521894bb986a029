// The start-up check of the environment, for instrumentation.ts (Node.js runtime only).
import { EnvironmentError, readConfig } from "./config";

/**
 * Validates `process.env` as the routes will read it. In production an invalid environment stops
 * the process (exit 1) after one message naming every variable that is missing or malformed and
 * what it must be, never a secret's value; elsewhere the message is printed and the server keeps
 * running (each route still refuses to use a bad setting).
 *
 * @example
 * checkEnvironment(); // exits 1 in production when the environment is invalid
 */
export function checkEnvironment(): void {
  try {
    readConfig(process.env);
  } catch (error) {
    if (!(error instanceof EnvironmentError)) throw error;
    console.error(`[sprocket] ${error.message}`);
    if (process.env.NODE_ENV === "production") process.exit(1);
  }
}
