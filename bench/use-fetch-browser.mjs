// Streams a 10,000-token answer into a React page in Chromium through each hook and prints the
// main-thread time (Chrome's TaskDuration), React commits and long tasks. Not a test: run by hand,
//   node bench/use-fetch-browser.mjs [--runs 3] [--slow-runs 1] [--paces fast,100/s]
//     [--variants useFetch,naive,...] [--tokens 10000] [--cpu-throttle 4] [--trace <file prefix>]
// Results and the machine they came from are in bench/README.md.
import { readFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { chromium } from "playwright-core";

const { values: flags } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    paces: { type: "string", default: "fast,100/s" },
    variants: { type: "string", default: "useFetch,naive,gadget,aiSdk,aiSdkThrottled" },
    "slow-runs": { type: "string", default: "1" },
    tokens: { type: "string", default: "10000" },
    // Chrome's CPU throttling (CDP Emulation.setCPUThrottlingRate): the page runs this many times
    // slower, as on a busy machine, but with the same slowdown for every run.
    "cpu-throttle": { type: "string", default: "1" },
    // A Chrome trace of each run, to see what the long tasks are: <prefix>-<variant>-<pace>.json
    trace: { type: "string" },
  },
});
const tokens = Number(flags.tokens);
const source = (path) => fileURLToPath(new URL(path, import.meta.url));

// Production React (its profiling build), minified, as an app would ship it.
const bundle = await build({
  entryPoints: [source("./use-fetch-browser.page.tsx")],
  bundle: true,
  minify: true,
  format: "iife",
  write: false,
  logLevel: "warning",
  jsx: "automatic",
  define: { "process.env.NODE_ENV": '"production"' },
  alias: { "@sprocket/react": source("../packages/react/src/index.ts") },
});
const script = bundle.outputFiles[0].text;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
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
});

async function measure(variant, pace) {
  const page = await browser.newPage();
  page.on("pageerror", (error) => console.error(`${variant}: ${error.message}`));
  await page.setContent('<!doctype html><html><body><div id="root"></div></body></html>');
  await page.addScriptTag({ content: script });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable", { timeDomain: "threadTicks" });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: Number(flags["cpu-throttle"]) });
  const metrics = async () =>
    Object.fromEntries(
      (await cdp.send("Performance.getMetrics")).metrics.map(({ name, value }) => [name, value]),
    );
  const tracePath = flags.trace && `${flags.trace}-${variant}-${pace.replace("/", "per")}.json`;
  if (tracePath) {
    await browser.startTracing(page, {
      path: tracePath,
      categories: [
        "devtools.timeline",
        "disabled-by-default-devtools.timeline",
        "v8",
        "v8.gc",
        "blink.user_timing",
      ],
    });
  }
  const before = await metrics();
  const result = await page.evaluate(([v, p, t]) => globalThis.runBench(v, p, t), [variant, pace, tokens]);
  const after = await metrics();
  if (tracePath) {
    await browser.stopTracing();
    Object.assign(result, threadTimeLongTasks(JSON.parse(readFileSync(tracePath, "utf8"))));
  }
  await page.close();
  const seconds = (name) => (after[name] - before[name]) * 1000;
  return {
    ...result,
    taskMs: seconds("TaskDuration"),
    scriptMs: seconds("ScriptDuration"),
    layoutMs: seconds("LayoutDuration") + seconds("RecalcStyleDuration"),
  };
}

/**
 * The page's main-thread tasks longer than 50 ms by the thread's own time (a trace event's `tdur`):
 * on a machine with more runnable threads than cores, a task's wall time (what the `longtask`
 * observer reports) also counts the time the thread waited for a core.
 */
function threadTimeLongTasks(trace) {
  const events = trace.traceEvents ?? trace;
  const main = events.find(
    (event) => event.ph === "M" && event.name === "thread_name" && event.args?.name === "CrRendererMain",
  );
  const tasks = events.filter(
    (event) =>
      event.ph === "X" && event.name === "RunTask" && event.pid === main?.pid && event.tid === main?.tid,
  );
  const threadMs = tasks.map((task) => (task.tdur ?? 0) / 1000);
  return {
    threadLongTasks: threadMs.filter((ms) => ms > 50).length,
    longestThreadTaskMs: Math.max(0, ...threadMs),
  };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (value) => Math.round(value);

for (const pace of flags.paces.split(",")) {
  // A rate-limited answer takes 100 s: measured once unless --slow-runs says otherwise.
  const runs = pace === "fast" ? Number(flags.runs) : Number(flags["slow-runs"]);
  const variants = flags.variants.split(",");
  // Round robin, so that a change in the machine's load during the runs weighs on every variant.
  const samplesOf = new Map(variants.map((variant) => [variant, []]));
  for (let run = 0; run < runs; run++) {
    for (const variant of variants) samplesOf.get(variant).push(await measure(variant, pace));
  }
  const rows = [];
  for (const variant of variants) {
    const samples = samplesOf.get(variant);
    const pick = (key) => median(samples.map((sample) => sample[key]));
    rows.push({
      variant,
      "main thread ms": round(pick("taskMs")),
      "script ms": round(pick("scriptMs")),
      "style+layout ms": round(pick("layoutMs")),
      commits: pick("commits"),
      "max commits/s": pick("maxCommitsPerSecond"),
      "first commit ms": round(pick("firstCommitMs")),
      "first paint ms": round(pick("firstPaintMs")),
      "long tasks": pick("longTasks"),
      "long task ms": round(pick("longTaskMs")),
      "longest ms": round(pick("longestTaskMs")),
      ...(flags.trace && {
        "long tasks (thread time)": pick("threadLongTasks"),
        "longest (thread time) ms": round(pick("longestThreadTaskMs")),
      }),
      "wall ms": round(pick("wallMs")),
    });
  }
  const loadAverage = os.loadavg().map((load) => load.toFixed(1));
  const base = rows.find((row) => row.variant === "useFetch")?.["main thread ms"];
  const naive = rows.find((row) => row.variant === "naive")?.["main thread ms"];
  const throttle = flags["cpu-throttle"] === "1" ? "" : `, CPU throttled ${flags["cpu-throttle"]}x`;
  console.log(
    `\n${tokens.toLocaleString("en")} tokens, pace ${pace}, median of ${runs} run(s)${throttle}, load average ${loadAverage.join(" ")}`,
  );
  console.table(
    rows.map((row) => ({
      ...row,
      "vs useFetch": base ? (row["main thread ms"] / base).toFixed(2) : "",
      "vs naive": naive ? (row["main thread ms"] / naive).toFixed(2) : "",
    })),
  );
  // Each run's first commit and first paint, to show their spread.
  for (const variant of variants) {
    const runsOf = (key) => samplesOf.get(variant).map((sample) => round(sample[key]));
    console.log(
      `${variant}: first commit ${runsOf("firstCommitMs").join(" ")}; first paint ${runsOf("firstPaintMs").join(" ")} ms`,
    );
  }
}

await browser.close();
