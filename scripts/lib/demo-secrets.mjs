// Secrets the demo needs when the environment does not give them. `npm run demo` serves a production
// build, which refuses to start without BETTER_AUTH_SECRET; the chat widget's routes answer 503
// without WIDGET_TOKEN_SECRET. A random secret kept beside the embedded database (git ignores .data/)
// keeps sessions and widget tokens valid across restarts without any setup.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DEFAULT_DATA_DIR } from "./demo-database.mjs";

/**
 * The variable `name` when set, else the secret stored in `file` next to `dataDir`, created on
 * first use. Returns `{ secret, source }`, where `source` is "environment" or the file's path
 * (never the value).
 *
 * @example
 * const { secret } = demoSecret({ name: "BETTER_AUTH_SECRET", file: "auth-secret" });
 */
export function demoSecret({ name, file, dataDir = DEFAULT_DATA_DIR }) {
  if (process.env[name]) return { secret: process.env[name], source: "environment" };
  const path = join(dirname(dataDir), file);
  const stored = readSecret(path);
  if (stored) return { secret: stored, source: path };
  mkdirSync(dirname(path), { recursive: true });
  try {
    // 32 random bytes, owner-readable only; "wx" so two starts at once keep the first one's.
    writeFileSync(path, `${randomBytes(32).toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if (error?.code !== "EEXIST") throw error;
  }
  return { secret: readSecret(path), source: path };
}

function readSecret(path) {
  try {
    return readFileSync(path, "utf8").trim();
  } catch (error) {
    if (error?.code === "ENOENT") return "";
    throw error;
  }
}
