// `npm test`: every layer of the suite, each timed, then a summary. Exits non-zero on any failure.
// Installs what the tests need (pnpm and dependencies; Debian's chromium and postgresql packages when
// missing and running as root). Under CI=true no layer may be skipped.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { bootstrap, PACKAGES } from "./lib/bootstrap.mjs";
import { buildDemo } from "./lib/demo-app.mjs";
import { root, run } from "./lib/process.mjs";
import { createDatabase, findChromium, findPostgres } from "./lib/system.mjs";

const isCI = process.env.CI === "true" || process.env.CI === "1";
const bin = (name) => join(root, "node_modules", ".bin", name);
const reportsDir = mkdtempSync(join(tmpdir(), "sprocket-test-"));
const results = [];

/** Runs one layer, recording its outcome, duration and (when it reports them) test counts. */
async function layer(name, body) {
  console.log(`\n━━ ${name} ━━`);
  const started = performance.now();
  const result = { name, status: "passed", seconds: 0, passed: 0, failed: 0, note: "", failures: [] };
  try {
    const outcome = await body();
    if (outcome?.skipped) Object.assign(result, { status: "skipped", note: outcome.skipped });
    if (outcome?.counts) Object.assign(result, outcome.counts);
  } catch (error) {
    result.status = "failed";
    result.note = error instanceof Error ? error.message.split("\n")[0] : String(error);
    if (error?.counts) Object.assign(result, error.counts);
    if (error?.output) console.error(error.output);
  }
  result.seconds = (performance.now() - started) / 1000;
  results.push(result);
  return result.status !== "failed";
}

/**
 * Runs a test runner that writes a JSON report, and returns (or attaches to its failure) the pass and
 * fail counts `readCounts` takes from that report. A missing report counts as nothing run.
 */
async function runReported(report, readCounts, command, args, options) {
  const counts = () => {
    try {
      return readCounts(JSON.parse(readFileSync(report, "utf8")));
    } catch {
      return { passed: 0, failed: 0 };
    }
  };
  try {
    await run(command, args, options);
  } catch (error) {
    error.counts = counts();
    throw error;
  }
  return { counts: counts() };
}

/** The first line of a failure message, without colour codes, for the summary. */
const firstLine = (message = "") =>
  stripVTControlCharacters(message)
    .split("\n")
    .find((line) => line.trim())
    ?.trim()
    .slice(0, 240) ?? "";

/** Runs vitest on the given projects and returns the test counts (and failed tests) from its JSON report. */
async function vitest(projects, env = {}) {
  const report = join(reportsDir, `vitest-${results.length}.json`);
  const args = ["run", ...projects.flatMap((project) => ["--project", project])];
  args.push("--reporter=default", "--reporter=json", `--outputFile.json=${report}`);
  const readCounts = (json) => ({
    passed: json.numPassedTests,
    failed: json.numFailedTests,
    failures: json.testResults.flatMap((file) => {
      const path = relative(root, file.name);
      const tests = file.assertionResults
        .filter((test) => test.status === "failed")
        .map((test) => `${path} › ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
      // A file that failed outside any test (an import error, a failing hook) has no failed test to name.
      return tests.length || file.status !== "failed" ? tests : [`${path}: ${firstLine(file.message)}`];
    }),
  });
  return runReported(report, readCounts, bin("vitest"), args, { env });
}

/** Names each Playwright test that did not pass cleanly, with its first error line. */
function playwrightFailures(suites = [], titles = []) {
  return suites.flatMap((suite) => {
    const path = [...titles, suite.title].filter(Boolean);
    const own = (suite.specs ?? []).flatMap((spec) =>
      spec.ok && spec.tests.every((test) => test.status === "expected")
        ? []
        : [
            `${[...path, spec.title].join(" › ")}: ${firstLine(
              spec.tests.flatMap((test) => test.results).find((result) => result.error)?.error?.message,
            )}`,
          ],
    );
    return [...own, ...playwrightFailures(suite.suites, path)];
  });
}

const installed = await layer("install", bootstrap);

if (installed) {
  await layer("lint (biome)", () => run(bin("biome"), ["ci", "."]));

  await layer("typecheck (tsc --noEmit)", () =>
    Promise.all(
      [...PACKAGES.map((name) => join("packages", name)), join("apps", "demo"), "e2e"].map((dir) =>
        run(bin("tsc"), ["--noEmit", "-p", join(dir, "tsconfig.json")]),
      ),
    ),
  );

  await layer("packages (build + publint)", async () => {
    const { publint } = await import(join(root, "node_modules", "publint", "src", "index-node.js"));
    const { formatMessage } = await import(join(root, "node_modules", "publint", "src", "utils.js"));
    const problems = [];
    for (const name of PACKAGES) {
      const pkgDir = join(root, "packages", name);
      const packageJson = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
      // npm packs exactly what would be published (respecting "files"), and every machine has it.
      const { messages } = await publint({ pkgDir, pack: "npm", strict: true });
      for (const message of messages)
        problems.push(`${packageJson.name}: ${formatMessage(message, packageJson)}`);
    }
    if (problems.length) throw new Error(`publint:\n${problems.join("\n")}`);
    console.log(`publint: ${PACKAGES.length} packages, no problems`);
  });

  await layer("unit", () => vitest(["server", "react", "dev"]));

  await layer("integration (embedded PostgreSQL)", () => vitest(["integration"], { TEST_DATABASE_URL: "" }));

  await layer("integration (PostgreSQL server)", async () => {
    const server = await findPostgres();
    if (!server) {
      const reason = "no PostgreSQL: set TEST_DATABASE_URL, or install Debian's postgresql package";
      if (isCI) throw new Error(reason);
      console.warn(`NOTICE: skipping the PostgreSQL leg (${reason})`);
      return { skipped: reason };
    }
    try {
      return await vitest(["integration"], { TEST_DATABASE_URL: server.url });
    } finally {
      await server.stop();
    }
  });

  // One `next build`, served twice: on the embedded database, then on a PostgreSQL server.
  let isBuilt = false;
  const e2e = async (name, env) => {
    const chromium = await findChromium();
    if (!chromium) {
      throw new Error("no Chromium: set CHROMIUM_PATH, or install Debian's chromium package (as root)");
    }
    if (!isBuilt) {
      await buildDemo();
      isBuilt = true;
    }
    const report = join(reportsDir, `playwright-${name}.json`);
    const readCounts = ({ stats, suites }) => ({
      passed: stats.expected,
      failed: stats.unexpected + stats.flaky,
      failures: playwrightFailures(suites),
    });
    return runReported(
      report,
      readCounts,
      join(root, "e2e", "node_modules", ".bin", "playwright"),
      ["test"],
      { cwd: join(root, "e2e"), env: { CHROMIUM_PATH: chromium, E2E_REPORT: report, ...env } },
    );
  };
  const e2ePort = Number(process.env.E2E_PORT || 3100);

  await layer("e2e (next build + Playwright)", () =>
    e2e("embedded", { E2E_PORT: String(e2ePort), E2E_DATA_DIR: join(reportsDir, "e2e-pglite") }),
  );

  await layer("e2e (PostgreSQL server)", async () => {
    const server = await findPostgres();
    if (!server) {
      const reason = "no PostgreSQL: set TEST_DATABASE_URL, or install Debian's postgresql package";
      if (isCI) throw new Error(reason);
      console.warn(`NOTICE: skipping the PostgreSQL e2e run (${reason})`);
      return { skipped: reason };
    }
    try {
      // A fresh database; the demo script applies the migrations before it starts the server.
      const database = await createDatabase(server.url, "sprocket_e2e");
      try {
        // Ports of their own (the demo and its stand-ins use E2E_PORT..+3), in case the first run's linger.
        return await e2e("postgresql", { E2E_PORT: String(e2ePort + 10), E2E_DATABASE_URL: database.url });
      } finally {
        await database.drop();
      }
    } finally {
      await server.stop();
    }
  });
}

rmSync(reportsDir, { recursive: true, force: true });

const total = results.reduce((sum, { seconds }) => sum + seconds, 0);
console.log("\n━━ summary ━━");
for (const { name, status, seconds, passed, failed, note } of results) {
  const counts = passed || failed ? `${passed} passed, ${failed} failed` : "";
  const mark = { passed: "✓", failed: "✗", skipped: "-" }[status];
  console.log(
    `${mark} ${name.padEnd(36)} ${`${seconds.toFixed(1)} s`.padStart(8)}  ${counts}${note ? `  ${note}` : ""}`,
  );
}
const passed = results.reduce((sum, result) => sum + result.passed, 0);
const failed = results.reduce((sum, result) => sum + result.failed, 0);
const failedLayers = results.filter((result) => result.status === "failed").length;
console.log(`total ${total.toFixed(1)} s`);
const failures = results.flatMap((result) => result.failures.map((failure) => `${result.name}: ${failure}`));
if (failures.length) console.log(`\nFailed:\n${failures.map((failure) => `  ✗ ${failure}`).join("\n")}`);
console.log(`Summary: ${passed} passed, ${failed} failed`);
process.exit(failedLayers || failed ? 1 : 0);
