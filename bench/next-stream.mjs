// Relaying a 10,000-token answer through real Next.js route handlers (`next start`, production
// build of next-stream/), six ways, in the same run. The local model (`sprocket-dev model`, full
// speed) runs in its own process and this driver, the client, in another: only the `next start`
// process tree's CPU is counted, read from /proc/<pid>/stat (utime + stime, in clock ticks) before
// and after each batch of answers, divided by the text chunks relayed. Paths take turns in a
// rotating order so load from other work on the machine spreads over all of them.
//
//   node bench/next-stream.mjs [--rounds 7] [--batch 10] [--paths pass,minimal,...] [--gzip] [--build]
//
// `--ttfb` times only the first byte, with short answers (`--tokens`, 20 by default) so that no
// long answer's garbage and stream teardown lands in the next one's first byte, and with the paths
// taking turns answer by answer: each of `--rounds` turns (300 by default) sends one answer per
// path, in a rotating order, and each path's first byte is also compared with the pass-through's of
// the same turn (the median of those paired differences, with its quartiles).
//
//   node bench/next-stream.mjs --ttfb [--rounds 300] [--tokens 20] [--paths pass,minimal-per-read,sprocket-direct]
//
// BENCH_CPU_PROF=<dir> runs `next start` under --cpu-prof (sampling every 50 µs), the profile
// written there when the run ends.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const PATHS = {
  pass: "(a) pass-through new Response(upstream.body)",
  // Diagnostics, run only when named: where time to first byte goes.
  "diag-transformed": "(a') diagnostic: pass-through via an identity TransformStream",
  "diag-first-text": "(a'') diagnostic: pass-through, returned at the first text delta",
  "diag-route-pass": "(a3) diagnostic: pass-through inside route()",
  "diag-read-body": "(a4) diagnostic: pass-through after reading the request body",
  "diag-route-silent": "(a5) diagnostic: pass-through inside route(), logging off",
  "diag-hops": "(a6) diagnostic: pass-through after 20 awaits",
  "diag-clone-body": "(a7) diagnostic: pass-through after reading a clone of the request body",
  "diag-route-return": "(a8) diagnostic: pass-through returned from route(), not sent with reply.send",
  "diag-sprocket-fetch": "(d'') diagnostic: route() + openAIResponseStream(fetch Response), no SDK",
  "diag-stream-bare": "(d4) diagnostic: openAIResponseStream(fetch Response) without route()",
  "diag-sdk-unpatched": "(d3) diagnostic: as (d'), the SDK on Node's fetch, not Next.js's patched one",
  minimal: "(b) minimal parse-and-enqueue relay",
  "minimal-per-read": "(b') minimal relay, one enqueue per read",
  "sprocket-sdk": "(d) openAIResponseStream(openai SDK stream), plain client (seed)",
  "sprocket-raw": "(d') openAIResponseStream(openai SDK stream), client with rawEventFetch",
  "sprocket-direct":
    "(d5) openAIResponseStream(create() unawaited), client with withDirectStreaming and rawEventFetch (demo)",
  "sdk-iterated": "(e) openai SDK stream iterated and enqueued",
  "ai-sdk": "(f) ai SDK streamText().toTextStreamResponse()",
};

const { values: args } = parseArgs({
  options: {
    rounds: { type: "string", default: "7" },
    batch: { type: "string", default: "10" },
    // The diagnostics (a') and (a'') run only when named.
    paths: {
      type: "string",
      default: Object.keys(PATHS)
        .filter((path) => !path.startsWith("diag-"))
        .join(","),
    },
    build: { type: "boolean", default: false },
    ttfb: { type: "boolean", default: false },
    tokens: { type: "string" },
    // Accept gzip as browsers do: `next start` then compresses every answer but openAIResponseStream's.
    gzip: { type: "boolean", default: false },
  },
});
const rounds = Number(
  args.ttfb && process.argv.every((arg) => !arg.startsWith("--rounds")) ? 300 : args.rounds,
);
const TOKENS = Number(args.tokens ?? (args.ttfb ? 20 : 10_000));
const batch = Number(args.batch);
const paths = args.paths.split(",");
for (const path of paths) if (!(path in PATHS)) throw new Error(`Unknown path ${path}`);

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const appDir = here("./next-stream");
const nextBin = here("./node_modules/next/dist/bin/next");
const cli = here("../packages/dev/dist/cli.js");
if (!existsSync(cli))
  throw new Error("Build @sprocket/dev first: node scripts/pnpm.mjs --filter @sprocket/dev build");
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

if (args.build || !existsSync(`${appDir}/.next/BUILD_ID`)) {
  console.log("next build (bench/next-stream) ...");
  const build = spawnSync(process.execPath, [nextBin, "build"], { cwd: appDir, env, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const children = [];
process.on("exit", () => {
  for (const child of children) child.kill();
});

/** Spawns a process and resolves the first match of `pattern` in its output. */
function start(command, commandArgs, options, pattern) {
  const child = spawn(command, commandArgs, { ...options, stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`${commandArgs.join(" ")} exited with ${code}`)));
    let output = "";
    const scan = (data) => {
      output += data;
      const match = pattern.exec(output);
      if (!match) return;
      // Then read on without keeping or scanning: the server's log lines (a line per request for
      // the routes that log) would otherwise cost this process, which times the answers, a scan of
      // everything written so far at every line.
      child.stdout.off("data", scan);
      child.stdout.resume();
      output = "";
      resolve({ child, match });
    };
    child.stdout.on("data", scan);
  });
}

const model = await start(
  process.execPath,
  [cli, "model", "--port", "0", "--tokens-per-second", "Infinity"],
  { env },
  /listening: (\S+)/u,
);
const upstreamURL = model.match[1];
const profileDir = process.env.BENCH_CPU_PROF;
const port = 43_000 + (process.pid % 1000);
const next = await start(
  process.execPath,
  [
    ...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, "--cpu-prof-interval=50"] : []),
    nextBin,
    "start",
    "--port",
    String(port),
    "--hostname",
    "127.0.0.1",
  ],
  { cwd: appDir, env: { ...env, UPSTREAM_URL: upstreamURL, BENCH_TOKENS: String(TOKENS) } },
  /Ready/u,
);
const baseURL = `http://127.0.0.1:${port}`;

/** Ends the run; under BENCH_CPU_PROF, only once `next start` has exited and written its profile. */
async function finish() {
  if (profileDir) {
    const exited = new Promise((resolve) => next.child.once("exit", resolve));
    next.child.kill("SIGTERM");
    await exited;
  }
  process.exit(0);
}

/** Clock ticks (utime + stime) used so far by `pid` and every process below it. */
function treeTicks(pid) {
  let ticks = 0;
  try {
    // Fields after the command's closing parenthesis: state is field 3, utime 14, stime 15.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    ticks += Number(fields[11]) + Number(fields[12]);
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const childPids = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      for (const child of childPids ? childPids.split(" ") : []) ticks += treeTicks(Number(child));
    }
  } catch {
    // A process that ended meanwhile: its time is gone from the tree either way.
  }
  return ticks;
}
const TICK_MICROSECONDS = 1e6 / Number(spawnSync("getconf", ["CLK_TCK"]).stdout.toString().trim() || 100);

/** One answer through `path`, read to its end; its text, time to first byte and wall time. */
async function answer(path) {
  const startedAt = performance.now();
  // No compression by default: `next start` gzips a text answer the client accepts gzip for, unless
  // it says `no-transform` as openAIResponseStream's does, and zlib's CPU would count for the others.
  const response = await fetch(`${baseURL}/${path}`, {
    method: "POST",
    headers: { "accept-encoding": args.gzip ? "gzip, deflate" : "identity" },
  });
  if (!args.gzip && response.headers.has("content-encoding")) throw new Error(`/${path} was compressed`);
  if (!response.ok) throw new Error(`/${path} answered ${response.status}: ${await response.text()}`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let firstByteMs = 0;
  let text = "";
  let reads = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    reads++;
    if (text === "") firstByteMs = performance.now() - startedAt;
    text += decoder.decode(value, { stream: true });
  }
  return { text, reads, firstByteMs, wallMs: performance.now() - startedAt };
}

// Warm-up, and a check that every relay sends the same text (the pass-throughs send the events).
const SENDS_EVENTS = new Set([
  "pass",
  "diag-transformed",
  "diag-first-text",
  "diag-route-pass",
  "diag-read-body",
  "diag-route-silent",
  "diag-hops",
  "diag-clone-body",
  "diag-route-return",
]);
const expected = (await answer("minimal")).text;
for (const path of paths) {
  for (let run = 0; run < 3; run++) {
    const { text } = await answer(path);
    if (!SENDS_EVENTS.has(path) && text !== expected) throw new Error(`/${path} relayed a different answer`);
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

if (args.ttfb) {
  if (!paths.includes("pass"))
    throw new Error("--ttfb compares with the pass-through: include pass in --paths");
  const loadBefore = loadavg();
  const firstBytes = Object.fromEntries(paths.map((path) => [path, []]));
  for (let round = 0; round < rounds; round++) {
    for (let index = 0; index < paths.length; index++) {
      const path = paths[(index + round) % paths.length];
      firstBytes[path].push((await answer(path)).firstByteMs);
    }
  }
  const loadAfter = loadavg();
  const lines = [
    `\nTime to first byte through next start: ${rounds} turns of one ${TOKENS}-token answer per path, in a rotating order; accept-encoding: ${args.gzip ? "gzip" : "identity"}`,
    `load average before ${loadBefore.map((load) => load.toFixed(2)).join(" ")}, after ${loadAfter.map((load) => load.toFixed(2)).join(" ")}`,
    "",
    "| path | median TTFB | − (a), medians | − (a) in the same turn: median (quartiles) |",
    "| --- | --- | --- | --- |",
  ];
  const pass = firstBytes.pass;
  for (const path of paths) {
    const own = firstBytes[path];
    const paired = own.map((value, turn) => value - pass[turn]);
    lines.push(
      `| ${PATHS[path]} | ${median(own).toFixed(2)} ms | ${(median(own) - median(pass)).toFixed(2)} ms | ${median(paired).toFixed(2)} ms (${quantile(paired, 0.25).toFixed(2)} to ${quantile(paired, 0.75).toFixed(2)}) |`,
    );
  }
  console.log(lines.join("\n"));
  await finish();
}

const loadBefore = loadavg();
const samples = Object.fromEntries(
  paths.map((path) => [path, { cpu: [], firstByte: [], wall: [], reads: [] }]),
);
for (let round = 0; round < rounds; round++) {
  const order = paths.map((_, index) => paths[(index + round) % paths.length]);
  for (const path of order) {
    const ticksBefore = treeTicks(next.child.pid);
    for (let run = 0; run < batch; run++) {
      const { firstByteMs, wallMs, reads } = await answer(path);
      samples[path].reads.push(reads);
      samples[path].firstByte.push(firstByteMs);
      samples[path].wall.push(wallMs);
    }
    const microseconds = (treeTicks(next.child.pid) - ticksBefore) * TICK_MICROSECONDS;
    samples[path].cpu.push(microseconds / (batch * TOKENS));
  }
  process.stdout.write(`round ${round + 1}/${rounds} done\n`);
}
const loadAfter = loadavg();

const rows = Object.fromEntries(
  paths.map((path) => {
    const { cpu, firstByte, wall, reads } = samples[path];
    return [
      path,
      {
        cpu: median(cpu),
        min: Math.min(...cpu),
        max: Math.max(...cpu),
        firstByte: median(firstByte),
        wall: median(wall),
        reads: median(reads),
      },
    ];
  }),
);
const ratio = (path, base) => (rows[base] ? (rows[path].cpu / rows[base].cpu).toFixed(2) : "–");
const lines = [
  `\n${TOKENS.toLocaleString("en")} text chunks per answer, through next start; ${rounds} rounds of ${batch} answers per path; accept-encoding: ${args.gzip ? "gzip" : "identity"}`,
  `CPU of the next start process tree (/proc utime+stime), median of rounds (min–max); TTFB and wall: median of ${rounds * batch} answers`,
  `load average before ${loadBefore.map((load) => load.toFixed(2)).join(" ")}, after ${loadAfter.map((load) => load.toFixed(2)).join(" ")}`,
  "",
  "| path | µs CPU / chunk (min–max) | chunks/s (CPU) | × (b) | × (b') | × (e) | × (f) | TTFB ms | TTFB − (a) | ms / answer | client reads |",
  "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
];
for (const path of paths) {
  const row = rows[path];
  const sinceFirstByte = rows.pass ? `${(row.firstByte - rows.pass.firstByte).toFixed(2)} ms` : "–";
  lines.push(
    `| ${PATHS[path]} | ${row.cpu.toFixed(2)} (${row.min.toFixed(2)}–${row.max.toFixed(2)}) | ${Math.round(1e6 / row.cpu).toLocaleString("en")} | ${ratio(path, "minimal")} | ${ratio(path, "minimal-per-read")} | ${ratio(path, "sdk-iterated")} | ${ratio(path, "ai-sdk")} | ${row.firstByte.toFixed(2)} | ${sinceFirstByte} | ${row.wall.toFixed(0)} | ${row.reads} |`,
  );
}
console.log(lines.join("\n"));
await finish();
