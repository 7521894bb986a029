// `npm run demo`: install what is missing, start the database, migrate, build and serve the demo.
// Ctrl-C stops everything this started; the embedded database's data stays in .data/ for next time.
//
// Flags (for development and the e2e suite): --dev (next dev instead of build + start),
// --no-install, --no-build, --data-dir DIR (embedded database folder), --db-port PORT (the embedded
// database's port, exactly: no fallback to a free port, so another process can reach it there).
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { bootstrap } from "./lib/bootstrap.mjs";
import { buildDemo, buildWidget, DEMO_DIR, NEXT_BIN, NEXT_ENV } from "./lib/demo-app.mjs";
import { startDemoDatabase } from "./lib/demo-database.mjs";
import { demoSecret } from "./lib/demo-secrets.mjs";
import { startWidgetHostPage } from "./lib/widget-host-page.mjs";

const { values } = parseArgs({
  options: {
    dev: { type: "boolean", default: false },
    "no-install": { type: "boolean", default: false },
    "no-build": { type: "boolean", default: false },
    "data-dir": { type: "string" },
    "db-port": { type: "string" },
  },
});
const port = process.env.PORT || "3000";
const host = process.env.HOST || "127.0.0.1";
if (!values["no-install"]) await bootstrap();
if (!values.dev && !values["no-build"]) await buildDemo();
// `next dev` serves the widget's bundles as files too.
if (values.dev && !values["no-build"]) await buildWidget();

const secretOf = (name, file) => {
  const found = demoSecret({ name, file, dataDir: values["data-dir"] });
  console.log(
    `[sprocket] ${name}: ${found.source === "environment" ? "from the environment" : found.source}`,
  );
  return found.secret;
};
const authSecret = secretOf("BETTER_AUTH_SECRET", "auth-secret");
const widgetSecret = secretOf("WIDGET_TOKEN_SECRET", "widget-secret");

// Without WIDGET_ALLOWED_ORIGINS, a page on the next port embeds the widget, and is its one allowed
// origin, so the widget works across origins out of the box.
let widgetHost;
let widgetOrigins = process.env.WIDGET_ALLOWED_ORIGINS;
if (widgetOrigins === undefined) {
  const hostPort = Number(port) + 1;
  widgetHost = await startWidgetHostPage({ host, port: hostPort, appOrigin: `http://localhost:${port}` });
  if (widgetHost) {
    widgetOrigins = `http://localhost:${hostPort},http://127.0.0.1:${hostPort}`;
    console.log(`[sprocket] chat widget on a page of another origin: http://localhost:${hostPort}`);
  }
}

const database = await startDemoDatabase({
  dataDir: values["data-dir"],
  ...(values["db-port"] ? { port: Number(values["db-port"]), exactPort: true } : {}),
});
console.log(
  `[sprocket] database: ${database.isEmbedded ? `embedded PostgreSQL at ${database.url}` : "DATABASE_URL"}`,
);

const server = spawn(process.execPath, [NEXT_BIN, values.dev ? "dev" : "start", "-p", port, "-H", host], {
  cwd: DEMO_DIR,
  env: {
    ...process.env,
    ...NEXT_ENV,
    DATABASE_URL: database.url,
    BETTER_AUTH_SECRET: authSecret,
    WIDGET_TOKEN_SECRET: widgetSecret,
    ...(widgetOrigins === undefined ? {} : { WIDGET_ALLOWED_ORIGINS: widgetOrigins }),
    // The embedded database's socket server can interleave the protocol messages of concurrent
    // connections (a query then fails with another's portal or parameters): one connection it is.
    ...(database.isEmbedded && !process.env.DATABASE_POOL_MAX ? { DATABASE_POOL_MAX: "1" } : {}),
  },
  stdio: "inherit",
});
// Created at spawn, so a server that already died (even by a signal) is never waited for again.
const serverExited = new Promise((resolve) => server.once("exit", resolve));
console.log(`[sprocket] demo: http://localhost:${port}`);

let isStopping = false;
async function stop(exitCode) {
  if (isStopping) return;
  isStopping = true;
  if (server.exitCode === null && server.signalCode === null) server.kill("SIGTERM");
  await serverExited;
  widgetHost?.close();
  await database.stop();
  process.exit(exitCode);
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));
server.on("exit", (code, signal) => {
  if (!isStopping) {
    console.error(`[sprocket] the demo server exited (${signal ?? `exit ${code}`})`);
    stop(code || 1);
  }
});
