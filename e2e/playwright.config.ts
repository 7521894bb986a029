import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "@playwright/test";
import { E2E_SHOPIFY, e2eShopifyPorts } from "./shopify";
import { GITHUB_WEBHOOK_SECRET, OPERATOR_EMAIL } from "./tests/inbox-settings";
import { allowedHostOrigin, WIDGET_TOKEN_SECRET } from "./tests/widget-settings";

// The demo is served by the same script as `npm run demo`, already built by the test command,
// against a fresh embedded database in a temporary folder, or, when E2E_DATABASE_URL names one
// (`npm test`'s PostgreSQL-server layer), a fresh database on a PostgreSQL server, which the script
// migrates before it starts the demo.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
// Set once in the main process (workers inherit it), so a run makes one folder; `npm test` passes
// its own and removes it afterwards.
process.env.E2E_DATA_DIR ??= join(mkdtempSync(join(tmpdir(), "sprocket-e2e-")), "pglite");
const dataDir = process.env.E2E_DATA_DIR;
const databaseUrl = process.env.E2E_DATABASE_URL || undefined;
// The Admin GraphQL stand-in and the embedded database on fixed ports next to the demo's (./shopify.ts).
const shopifyPorts = e2eShopifyPorts(baseURL);

export default defineConfig({
  testDir: "tests",
  outputDir: "test-results",
  fullyParallel: true,
  forbidOnly: true,
  retries: 0,
  workers: 2,
  // After the demo is up: the Admin stand-in, and the shop's offline session in the database.
  globalSetup: "./shopify-setup.ts",
  reporter: process.env.E2E_REPORT ? [["list"], ["json", { outputFile: process.env.E2E_REPORT }]] : "list",
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      // Never a downloaded browser: the one the test command found (Debian's chromium by default).
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      // Without the background-networking flags Chromium floods a closed network with requests.
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command:
      databaseUrl === undefined
        ? `node ../scripts/demo.mjs --no-install --no-build --data-dir ${JSON.stringify(dataDir)} --db-port ${shopifyPorts.database}`
        : "node ../scripts/demo.mjs --no-install --no-build",
    url: `${baseURL}/api/health`,
    // Production, except for the auth rate limits: every browser here signs up and in from
    // 127.0.0.1, which production allows 3 times per 10 s. README, "Environment variables".
    env: {
      SHOPIFY_API_KEY: E2E_SHOPIFY.apiKey,
      SHOPIFY_API_SECRET: E2E_SHOPIFY.secret,
      SHOPIFY_ADMIN_ORIGIN: `http://127.0.0.1:${shopifyPorts.admin}`,
      PORT: String(port),
      HOST: "127.0.0.1",
      // Empty: the embedded database. A server's database is migrated by the script (DIRECT_DATABASE_URL unset).
      DATABASE_URL: databaseUrl ?? "",
      DIRECT_DATABASE_URL: "",
      NODE_ENV: "production",
      AUTH_RATE_LIMIT: "off",
      // The webhook inbox spec: its operator, and the secret it signs GitHub deliveries with.
      ADMIN_EMAILS: OPERATOR_EMAIL,
      GITHUB_WEBHOOK_SECRET,
      // The chat widget spec: its host page's origin (E2E_PORT+4, served by the spec) and token secret.
      WIDGET_ALLOWED_ORIGINS: allowedHostOrigin(baseURL),
      WIDGET_TOKEN_SECRET,
    },
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
  },
});
