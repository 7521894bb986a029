// The page `use-fetch-browser.mjs` loads in Chromium: one streaming answer rendered by one hook,
// with the answer made in the page so that only the hook and React differ between runs.
import { useCompletion } from "@ai-sdk/react";
import { Provider as GadgetProvider, useFetch as useGadgetFetch } from "@gadgetinc/react";
import { SprocketProvider, useFetch } from "@sprocket/react";
import { type ReactNode, useLayoutEffect, useState } from "react";
import { createRoot } from "react-dom/client";

export type Variant = "useFetch" | "naive" | "naiveBusy" | "gadget" | "aiSdk" | "aiSdkThrottled";
export type Pace = "fast" | "100/s";

const TOKEN_INTERVAL_MS = 10; // 100 tokens per second
const encoder = new TextEncoder();
const tokenAt = (index: number) => `w${index % 97} `;
// Set per run: the answer's tokens and the length of its whole text.
let TOKENS = 10_000;
let expectedLength = 0;

/** A fresh task, without setTimeout's 4 ms clamp: as a network read lands in the page. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

/** A fetch answering any request with TOKENS tokens, one chunk per task. */
function tokenFetch(pace: Pace): typeof fetch {
  return async () => {
    let index = 0;
    const start = performance.now();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (pace === "fast") await nextTask();
        else {
          const due = start + index * TOKEN_INTERVAL_MS;
          while (performance.now() < due)
            await new Promise((resolve) => setTimeout(resolve, due - performance.now()));
        }
        controller.enqueue(encoder.encode(tokenAt(index)));
        if (++index === TOKENS) controller.close();
      },
    });
    return new Response(body, { headers: { "content-type": "text/plain; charset=utf-8" } });
  };
}

// Commits of the answer, counted by its layout effect, which runs once per commit that renders it.
// (A Profiler needs React's profiling build, whose performance tracks cost time per commit and
// would slow the many-commit variants by several times.)
let commits = 0;
// Commits per second, counted in one-second windows from the first text; the busiest window is reported.
let commitTimes: number[] = [];
// When the first text was committed, and when the frame that painted it ended (the next task after
// the frame's rendering, which runs after style, layout and paint).
let firstCommitAt = 0;
let firstPaintAt = 0;

function Answer({ text, done, onDone }: { text: string; done: boolean; onDone(): void }) {
  useLayoutEffect(() => {
    commits++;
    if (text.length > 0) commitTimes.push(performance.now());
    if (text.length > 0 && firstCommitAt === 0) {
      firstCommitAt = performance.now();
      requestAnimationFrame(() => {
        void nextTask().then(() => {
          firstPaintAt = performance.now();
        });
      });
    }
    if (done && text.length === expectedLength) onDone();
  });
  return <div style={{ whiteSpace: "pre-wrap", fontFamily: "sans-serif" }}>{text}</div>;
}

type Props = { onDone(): void };

/**
 * The button `run` clicks to ask, as a chat's send button is: every variant starts its request
 * in a click handler, where React renders a `setState` and a store's change alike, at once. (Asked
 * from an effect instead, a `setState` waits for a later task while a `useSyncExternalStore`
 * change is rendered at once, before the answer's first chunk can be read.)
 */
function Ask({ onAsk }: { onAsk(): void }) {
  return (
    <button type="button" id="ask" onClick={onAsk}>
      Ask
    </button>
  );
}

function WithUseFetch({ onDone }: Props) {
  const [{ data, streaming, fetching }, send] = useFetch("/chat", { method: "POST", stream: "string" });
  return (
    <>
      <Ask onAsk={() => void send()} />
      <Answer text={data ?? ""} done={!streaming && !fetching && data !== undefined} onDone={onDone} />
    </>
  );
}

/**
 * `busy`: also shows that an answer is coming from the moment it is asked for, as the hooks'
 * `fetching` / `isLoading` do, which costs a render before the first text.
 */
function WithNaiveState({ onDone, fetch, busy }: Props & { fetch: typeof globalThis.fetch; busy?: boolean }) {
  const [text, setText] = useState("");
  const [done, setDone] = useState(false);
  const [isAnswering, setAnswering] = useState(false);
  const ask = async () => {
    if (busy) setAnswering(true);
    const response = await fetch("/chat", { method: "POST" });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      const value = chunk.value;
      setText((previous) => previous + value);
    }
    setAnswering(false);
    setDone(true);
  };
  return (
    <div aria-busy={isAnswering}>
      <Ask onAsk={() => void ask()} />
      <Answer text={text} done={done} onDone={onDone} />
    </div>
  );
}

function WithGadget({ onDone }: Props) {
  const [{ data, streaming, fetching }, send] = useGadgetFetch("/chat", { method: "POST", stream: "string" });
  return (
    <>
      <Ask onAsk={() => void send()} />
      <Answer text={data ?? ""} done={!streaming && !fetching && data !== undefined} onDone={onDone} />
    </>
  );
}

function WithAiSdk({
  onDone,
  fetch,
  throttle,
}: Props & { fetch: typeof globalThis.fetch; throttle?: number }) {
  const { completion, isLoading, complete } = useCompletion({
    api: "/chat",
    streamProtocol: "text",
    fetch,
    experimental_throttle: throttle,
  });
  const [started, setStarted] = useState(false);
  const ask = () => {
    setStarted(true);
    void complete("Hi");
  };
  return (
    <>
      <Ask onAsk={ask} />
      <Answer text={completion} done={started && !isLoading} onDone={onDone} />
    </>
  );
}

/**
 * A stand-in for a generated Gadget client, with what its useFetch reads: a connection whose
 * fetch is the token fetch, and a core implementation to wrap errors (none happen here). No
 * GraphQL client is needed for it.
 */
function gadgetClient(fetch: typeof globalThis.fetch): never {
  return {
    connection: { endpoint: "/api/graphql", currentClient: {}, fetch },
    [Symbol.for("gadget/coreImplementation")]: { wrapClientSideError: (error: unknown) => error },
  } as never;
}

export interface RunResult {
  commits: number;
  /** The most commits in any one second (a window starting at a commit). */
  maxCommitsPerSecond: number;
  /** From the click that asks to the end of the frame that painted the first text. */
  firstPaintMs: number;
  /** From the click that asks to the commit of the first text. */
  firstCommitMs: number;
  /** From the click that asks to the commit of the whole text. */
  wallMs: number;
  longTasks: number;
  longTaskMs: number;
  longestTaskMs: number;
}

/** Renders one answer through `variant` and resolves once its whole text is on screen. */
async function run(variant: Variant, pace: Pace, tokens = 10_000): Promise<RunResult> {
  TOKENS = tokens;
  expectedLength = Array.from({ length: TOKENS }, (_, index) => tokenAt(index).length).reduce(
    (a, b) => a + b,
  );
  const fetch = tokenFetch(pace);
  const longTasks: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries()));
  observer.observe({ type: "longtask", buffered: true });
  commits = 0;
  commitTimes = [];
  firstCommitAt = 0;
  firstPaintAt = 0;
  let start = 0;
  const end = await new Promise<number>((resolve) => {
    const onDone = () => resolve(performance.now());
    const hooks: Record<Variant, ReactNode> = {
      useFetch: (
        <SprocketProvider fetch={fetch}>
          <WithUseFetch onDone={onDone} />
        </SprocketProvider>
      ),
      naive: <WithNaiveState onDone={onDone} fetch={fetch} />,
      naiveBusy: <WithNaiveState onDone={onDone} fetch={fetch} busy />,
      gadget: (
        <GadgetProvider api={gadgetClient(fetch)}>
          <WithGadget onDone={onDone} />
        </GadgetProvider>
      ),
      aiSdk: <WithAiSdk onDone={onDone} fetch={fetch} />,
      aiSdkThrottled: <WithAiSdk onDone={onDone} fetch={fetch} throttle={50} />,
    };
    createRoot(document.getElementById("root")!).render(hooks[variant]);
    // Asked once the page is mounted and painted, as a visitor would: timings start at the click.
    void (async () => {
      while (!document.getElementById("ask")) await nextTask();
      await new Promise(requestAnimationFrame);
      await nextTask();
      start = performance.now();
      document.getElementById("ask")!.click();
    })();
  });
  // A short answer can end before the frame that paints its first text.
  while (firstPaintAt === 0) await nextTask();
  // Long tasks are reported after they end: one more task lets the last one arrive.
  await nextTask();
  observer.disconnect();
  let maxCommitsPerSecond = 0;
  for (let first = 0, last = 0; first < commitTimes.length; first++) {
    while (last < commitTimes.length && commitTimes[last]! < commitTimes[first]! + 1000) last++;
    maxCommitsPerSecond = Math.max(maxCommitsPerSecond, last - first);
  }
  return {
    commits,
    maxCommitsPerSecond,
    firstPaintMs: firstPaintAt - start,
    firstCommitMs: firstCommitAt - start,
    wallMs: end - start,
    longTasks: longTasks.length,
    longTaskMs: longTasks.reduce((total, entry) => total + entry.duration, 0),
    longestTaskMs: longTasks.reduce((longest, entry) => Math.max(longest, entry.duration), 0),
  };
}

(globalThis as { runBench?: typeof run }).runBench = run;
