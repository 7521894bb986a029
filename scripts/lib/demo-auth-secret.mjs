// The secret that signs the demo's session cookies when BETTER_AUTH_SECRET is not given. `npm run demo`
// serves a production build, which refuses to start without one; a random secret kept beside the
// embedded database (git ignores .data/) keeps sessions valid across restarts without any setup.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DEFAULT_DATA_DIR } from "./demo-database.mjs";

/**
 * BETTER_AUTH_SECRET when set, else the secret stored next to `dataDir`, created on first use.
 * Returns `{ secret, source }`, where `source` is "environment" or the file's path (never the value).
 */
export function demoAuthSecret({ dataDir = DEFAULT_DATA_DIR } = {}) {
  if (process.env.BETTER_AUTH_SECRET)
    return { secret: process.env.BETTER_AUTH_SECRET, source: "environment" };
  const file = join(dirname(dataDir), "auth-secret");
  const stored = readSecret(file);
  if (stored) return { secret: stored, source: file };
  mkdirSync(dirname(file), { recursive: true });
  try {
    // 32 random bytes, owner-readable only; "wx" so two starts at once keep the first one's.
    writeFileSync(file, `${randomBytes(32).toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if (error?.code !== "EEXIST") throw error;
  }
  return { secret: readSecret(file), source: file };
}

function readSecret(file) {
  try {
    return readFileSync(file, "utf8").trim();
  } catch (error) {
    if (error?.code === "ENOENT") return "";
    throw error;
  }
}
