// Finding, and where allowed installing, the machine-level tools the tests use: a PostgreSQL server
// and a Chromium. Packages come from Debian's (or Ubuntu's) apt, only with root rights; nothing is
// ever downloaded outside a package manager (no `playwright install`).
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root, run } from "./process.mjs";

const isRoot = process.getuid?.() === 0;
/** The role the integration tests use on the machine's PostgreSQL: CREATEDB, nothing more. */
const TEST_ROLE = "sprocket_test";
const hasApt = existsSync("/usr/bin/apt-get");

let aptUpdated = false;
async function aptInstall(packageName) {
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  console.log(`[sprocket] installing Debian's ${packageName} package`);
  try {
    await run("apt-get", ["install", "-y", packageName], { env, quiet: true });
  } catch {
    if (aptUpdated) throw new Error(`apt-get could not install ${packageName}`);
    aptUpdated = true;
    await run("apt-get", ["update"], { env, quiet: true });
    await run("apt-get", ["install", "-y", packageName], { env, quiet: true });
  }
}

/** Where Chromium is: CHROMIUM_PATH, Playwright's own browsers, or the system's; else installs it. */
export async function findChromium() {
  if (process.env.CHROMIUM_PATH) {
    if (!existsSync(process.env.CHROMIUM_PATH))
      throw new Error(`CHROMIUM_PATH does not exist: ${process.env.CHROMIUM_PATH}`);
    return process.env.CHROMIUM_PATH;
  }
  const playwrightBrowser = await playwrightChromium();
  if (playwrightBrowser) return playwrightBrowser;
  const candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
  const found = candidates.find((path) => existsSync(path));
  if (found) return found;
  if (isRoot && hasApt) {
    await aptInstall("chromium");
    if (existsSync("/usr/bin/chromium")) return "/usr/bin/chromium";
  }
  return undefined;
}

async function playwrightChromium() {
  try {
    const { chromium } = await import(join(root, "e2e", "node_modules", "@playwright", "test", "index.mjs"));
    const path = chromium.executablePath();
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function postgresBinDir() {
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((version) => existsSync(join(base, version, "bin", "postgres")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], "bin") : undefined;
}

/**
 * A PostgreSQL server for the integration tests: TEST_DATABASE_URL, or Debian's server (installed and
 * started when missing, with root rights), or a throwaway cluster of the user's own when the
 * binaries exist without root. Resolves to `{ url, stop }`, or undefined when none can be had.
 */
export async function findPostgres() {
  if (process.env.TEST_DATABASE_URL) return { url: process.env.TEST_DATABASE_URL, stop: async () => {} };
  let binDir = postgresBinDir();
  if (!binDir && isRoot && hasApt) {
    await aptInstall("postgresql");
    binDir = postgresBinDir();
  }
  if (!binDir) return undefined;
  return isRoot ? startSystemCluster(binDir) : startOwnCluster(binDir);
}

// As root, PostgreSQL refuses to run as the current user, so Debian's cluster (owned by the
// postgres user) is started. The tests connect over TCP with scram, as in production, as a role of
// their own that may only create databases, with a fresh random password each run: the machine's
// superuser keeps its settings.
async function startSystemCluster(binDir) {
  const version = binDir.split("/").at(-2);
  const clusters = await run("pg_lsclusters", ["--no-header"], { quiet: true });
  let line = clusters.split("\n").find((row) => row.startsWith(`${version} `));
  if (!line) {
    await run("pg_createcluster", [version, "main"], { quiet: true });
    line = (await run("pg_lsclusters", ["--no-header"], { quiet: true }))
      .split("\n")
      .find((row) => row.startsWith(`${version} `));
  }
  const [, name, port, status] = line.trim().split(/\s+/);
  if (status !== "online") await run("pg_ctlcluster", [version, name, "start"], { quiet: true });
  const password = randomBytes(18).toString("hex");
  const sql = `DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${TEST_ROLE}') THEN
      CREATE ROLE ${TEST_ROLE} LOGIN CREATEDB PASSWORD '${password}';
    ELSE
      ALTER ROLE ${TEST_ROLE} LOGIN CREATEDB PASSWORD '${password}';
    END IF;
  END $$;`;
  await run("su", ["postgres", "-c", `psql -p ${port} -qv ON_ERROR_STOP=1`], { quiet: true, input: sql });
  // Left running: it is the machine's server, and the next run reuses it.
  return { url: `postgresql://${TEST_ROLE}:${password}@127.0.0.1:${port}/postgres`, stop: async () => {} };
}

async function startOwnCluster(binDir) {
  const dir = mkdtempSync(join(tmpdir(), "sprocket-pg-"));
  const port = 55000 + Math.floor(Math.random() * 5000);
  await run(join(binDir, "initdb"), ["-D", join(dir, "data"), "-U", "postgres", "-A", "trust"], {
    quiet: true,
  });
  await run(
    join(binDir, "pg_ctl"),
    [
      "-D",
      join(dir, "data"),
      "-l",
      join(dir, "log"),
      "-w",
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
      "start",
    ],
    { quiet: true },
  );
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await run(join(binDir, "pg_ctl"), ["-D", join(dir, "data"), "-m", "fast", "stop"], {
        quiet: true,
      }).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A new, empty database named `{prefix}_{random}` on the server at `serverUrl` (a URL from
 * `findPostgres`), through the demo's `pg`. Resolves to `{ url, drop }`; `drop` removes it, closing
 * any connection still open.
 */
export async function createDatabase(serverUrl, prefix) {
  const { default: pg } = await import(
    createRequire(join(root, "apps", "demo", "package.json")).resolve("pg")
  );
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const onServer = async (sql) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await onServer(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
