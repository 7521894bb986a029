// The built demo refuses to start in production with a bad environment: `next start` runs
// instrumentation.ts's check before serving, which exits 1 with one message naming every bad
// variable and quoting no secret.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";

const demoDir = fileURLToPath(new URL("../../apps/demo", import.meta.url));
const nextBin = fileURLToPath(new URL("../../apps/demo/node_modules/next/dist/bin/next", import.meta.url));

test("next start with a bad production environment exits 1, naming each bad variable", async ({
  baseURL,
}) => {
  // A port of its own, next to the ones the suite uses (E2E_PORT..+3), in case it did start.
  const port = Number(new URL(baseURL ?? "").port) + 5;
  const server = spawn(process.execPath, [nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: demoDir,
    env: {
      PATH: process.env.PATH,
      NEXT_TELEMETRY_DISABLED: "1",
      NODE_ENV: "production",
      DATABASE_URL: "mysql://app:hunter2-password@db.example.com/app",
      BETTER_AUTH_SECRET: "too-short-s3cret",
      CHAT_RATE_LIMIT: "lots",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  server.stdout.on("data", (chunk) => {
    output += chunk;
  });
  server.stderr.on("data", (chunk) => {
    output += chunk;
  });
  const exitCode = await new Promise<number | null>((resolve) => server.once("exit", resolve));

  expect(exitCode).toBe(1);
  expect(output).toContain("The demo's environment is invalid:");
  expect(output).toContain("- DATABASE_URL must be a postgresql:// URL.");
  expect(output).toContain("- BETTER_AUTH_SECRET must be at least 32 characters long.");
  expect(output).toContain(
    '- CHAT_RATE_LIMIT must be a positive whole number of messages per minute, got "lots".',
  );
  expect(output).not.toContain("hunter2-password");
  expect(output).not.toContain("too-short-s3cret");
});
