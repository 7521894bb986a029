// Streams a 10,000-token answer into a React page in Chromium through each hook and prints the
// main-thread time (Chrome's TaskDuration), React commits and long tasks. Not a test: run by hand,
//   node bench/use-fetch-browser.mjs [--runs 3] [--paces fast,100/s] [--variants useFetch,naive,...]
// Results and the machine they came from are in bench/README.md.
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { chromium } from "playwright-core";

const { values: flags } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    paces: { type: "string", default: "fast,100/s" },
    variants: { type: "string", default: "useFetch,naive,gadget,aiSdk,aiSdkThrottled" },
  },
});
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
  const metrics = async () =>
    Object.fromEntries(
      (await cdp.send("Performance.getMetrics")).metrics.map(({ name, value }) => [name, value]),
    );
  const before = await metrics();
  const result = await page.evaluate(([v, p]) => globalThis.runBench(v, p), [variant, pace]);
  const after = await metrics();
  await page.close();
  const seconds = (name) => (after[name] - before[name]) * 1000;
  return {
    ...result,
    taskMs: seconds("TaskDuration"),
    scriptMs: seconds("ScriptDuration"),
    layoutMs: seconds("LayoutDuration") + seconds("RecalcStyleDuration"),
  };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (value) => Math.round(value);

for (const pace of flags.paces.split(",")) {
  // A rate-limited answer takes 100 s: measure it once.
  const runs = pace === "fast" ? Number(flags.runs) : 1;
  const rows = [];
  for (const variant of flags.variants.split(",")) {
    const samples = [];
    for (let run = 0; run < runs; run++) samples.push(await measure(variant, pace));
    const pick = (key) => median(samples.map((sample) => sample[key]));
    rows.push({
      variant,
      "main thread ms": round(pick("taskMs")),
      "script ms": round(pick("scriptMs")),
      "style+layout ms": round(pick("layoutMs")),
      commits: pick("commits"),
      "long tasks": pick("longTasks"),
      "long task ms": round(pick("longTaskMs")),
      "wall ms": round(pick("wallMs")),
    });
  }
  const base = rows.find((row) => row.variant === "useFetch")?.["main thread ms"];
  console.log(`\n10,000 tokens, pace ${pace}, median of ${runs} run(s)`);
  console.table(
    rows.map((row) => ({
      ...row,
      "main thread vs useFetch": base ? (row["main thread ms"] / base).toFixed(2) : "",
    })),
  );
}

await browser.close();
