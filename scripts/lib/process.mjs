// Child-process helpers shared by the scripts: run to completion, or start and stop a server.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * Runs a command with inherited stdio and resolves when it exits 0; rejects otherwise.
 * `env` is merged over the current environment; `input` is written to its standard input.
 */
export function run(command, args, { cwd = root, env = {}, quiet = false, input } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: [
        input === undefined ? (quiet ? "ignore" : "inherit") : "pipe",
        quiet ? "pipe" : "inherit",
        quiet ? "pipe" : "inherit",
      ],
    });
    if (input !== undefined) child.stdin.end(input);
    let output = "";
    if (quiet) {
      child.stdout.on("data", (chunk) => (output += chunk));
      child.stderr.on("data", (chunk) => (output += chunk));
    }
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (code === 0) resolve(output);
      else {
        const error = new Error(`${command} ${args.join(" ")} failed (${signal ?? `exit ${code}`})`);
        error.output = output;
        reject(error);
      }
    });
  });
}
