import { SprocketProvider, useFetch } from "@sprocket/react";
import { act, cleanup, render, waitFor } from "@testing-library/react";
import { Profiler, useLayoutEffect } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { stubFrames } from "./test/frames.js";
import { createStreamingFetch, type StreamingBody } from "./test/streaming-fetch.js";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

type Commit = { data: string | undefined; streaming: boolean };

function Answer({
  onCommit,
  onComplete,
}: {
  onCommit(commit: Commit): void;
  onComplete(text: string): void;
}) {
  const [{ data, streaming }] = useFetch("/chat", { stream: "string", onStreamComplete: onComplete });
  useLayoutEffect(() => {
    onCommit({ data, streaming });
  });
  return <p>{data}</p>;
}

/** Mounts a streaming answer and counts the commits of its tree with a React Profiler. */
async function streamAnswer() {
  // A clock that stands still: rendering costs nothing, so no commit is held back for its cost
  // (the slow-render tests below move it).
  vi.spyOn(performance, "now").mockReturnValue(1000);
  const server = createStreamingFetch();
  const frames = stubFrames();
  const commits: Commit[] = [];
  let profiled = 0;
  let completed!: (text: string) => void;
  const completion = new Promise<string>((resolve) => {
    completed = resolve;
  });
  render(
    <SprocketProvider fetch={server.fetch}>
      <Profiler id="answer" onRender={() => profiled++}>
        <Answer onCommit={(commit) => commits.push(commit)} onComplete={(text) => completed(text)} />
      </Profiler>
    </SprocketProvider>,
  );
  const body = (await server.request(0)).respondWithStream();
  await waitFor(() => expect(commits.at(-1)?.streaming).toBe(true));
  const counted = { profiled: 0, commits: 0 };
  return {
    frames,
    body,
    completion,
    commits,
    /** Commits since the last call, by the Profiler and by the component's layout effect. */
    newCommits(): { profiled: number; commits: Commit[] } {
      const result = { profiled: profiled - counted.profiled, commits: commits.slice(counted.commits) };
      counted.profiled = profiled;
      counted.commits = commits.length;
      return result;
    },
  };
}

/** Pushes one chunk in its own act scope, so that any update it causes commits before the next. */
async function push(body: StreamingBody, chunk: string) {
  await act(async () => {
    body.push(chunk);
    await body.drained();
  });
}

describe("useFetch streaming renders", () => {
  it("commits the first chunk at once, then at most once per animation frame", async () => {
    const { frames, body, newCommits } = await streamAnswer();
    newCommits();

    // At once: no frame runs between the chunk and its commit.
    await push(body, "Once");
    expect(newCommits()).toEqual({ profiled: 1, commits: [{ data: "Once", streaming: true }] });
    expect(frames.pending).toBe(1);

    const words = Array.from({ length: 20 }, (_, index) => ` w${index}`);
    for (const word of words) await push(body, word);
    // Twenty chunks within one frame: no commit until the frame comes.
    expect(newCommits().profiled).toBe(0);

    // The coming frame paints "Once": committing there too would be a second commit before the
    // same paint, and would hold that paint back by its render. The words wait for the next one.
    await act(async () => frames.run());
    expect(newCommits().profiled).toBe(0);
    expect(frames.pending).toBe(1);
    await act(async () => frames.run());
    expect(newCommits()).toEqual({
      profiled: 1,
      commits: [{ data: `Once${words.join("")}`, streaming: true }],
    });

    // The next frame, asked for once the commit was timed, has nothing new and commits nothing;
    // the next chunk after it shows at once again.
    await waitFor(() => expect(frames.pending).toBe(1));
    await act(async () => frames.run());
    expect(newCommits().profiled).toBe(0);
    expect(frames.pending).toBe(0);
    await push(body, " more");
    expect(newCommits().profiled).toBe(1);
  });

  it("commits the whole text and streaming: false together, once, without waiting for a frame", async () => {
    const { frames, body, completion, commits, newCommits } = await streamAnswer();
    await push(body, "The answer");
    await push(body, " is");
    await push(body, " 42.");
    newCommits();

    await act(async () => {
      body.close();
      await completion;
    });
    expect(newCommits()).toEqual({
      profiled: 1,
      commits: [{ data: "The answer is 42.", streaming: false }],
    });
    // The frame that was open when the stream ended has nothing left to commit.
    await act(async () => frames.run());
    expect(newCommits().profiled).toBe(0);
    // No commit ever showed the whole text while still streaming, or streaming: false with less.
    const streamingFull = commits.filter((commit) => commit.streaming && commit.data === "The answer is 42.");
    const endedPartial = commits.filter((commit) => !commit.streaming && commit.data !== "The answer is 42.");
    expect(streamingFull).toEqual([]);
    expect(endedPartial.filter((commit) => commit.data !== undefined)).toEqual([]);
  });
});

/** An answer whose render calls `onRender`, where the test moves its clock as if rendering took time. */
function SlowAnswer({
  onRender,
  onCommit,
}: {
  onRender(data: string | undefined): void;
  onCommit(commit: Commit): void;
}) {
  const [{ data, streaming }] = useFetch("/chat", { stream: "string" });
  onRender(data);
  useLayoutEffect(() => {
    onCommit({ data, streaming });
  });
  return <p>{data}</p>;
}

describe("useFetch streaming renders of a text that is slow to render", () => {
  it("spaces commits to sixteen times what one cost, and still commits the end at once", async () => {
    // A clock the test moves: each render of the text takes 10 ms of it, each frame 16 ms.
    let clock = 1000;
    vi.spyOn(performance, "now").mockImplementation(() => clock);
    const server = createStreamingFetch();
    const frames = stubFrames();
    const commits: Commit[] = [];
    render(
      <SprocketProvider fetch={server.fetch}>
        <SlowAnswer
          onRender={(data) => {
            if (data) clock += 10;
          }}
          onCommit={(commit) => commits.push(commit)}
        />
      </SprocketProvider>,
    );
    const body = (await server.request(0)).respondWithStream();
    await waitFor(() => expect(commits.at(-1)?.streaming).toBe(true));
    const frame = async (at: number) => {
      clock = at;
      await act(async () => {
        frames.run();
        // The store times the frame's commit with a task after it; this one runs after that.
        await new Promise((resolve) => setTimeout(resolve, 0));
      });
    };
    const texts = () => commits.map((commit) => commit.data);

    await push(body, "a");
    expect(texts().at(-1)).toBe("a");
    await push(body, " b");
    // The frame at 1016 paints "a"; " b" is committed in the next, at 1032. That render took 10
    // ms, so nothing before 1032 + 160.
    await frame(1016);
    expect(texts().at(-1)).toBe("a");
    const committedAt = Date.now();
    await frame(1032);
    expect(texts().at(-1)).toBe("a b");
    const committed = commits.length;
    await push(body, " c");
    // No frame is asked for until 1192 by the render's clock: a timer of 150 ms waits (a lower
    // bound, which a timer keeps), rather than a frame each frame meanwhile.
    await waitFor(() => expect(frames.pending).toBe(1), { timeout: 5000 });
    expect(Date.now() - committedAt).toBeGreaterThanOrEqual(140);
    expect(commits.length).toBe(committed);
    await frame(1192);
    expect(commits.length).toBe(committed + 1);
    expect(texts().at(-1)).toBe("a b c");

    // Held again: the end does not wait for the hold.
    await push(body, " d");
    await act(async () => body.close());
    await waitFor(() => expect(commits.at(-1)).toEqual({ data: "a b c d", streaming: false }));
    expect(commits.filter((commit) => commit.data === "a b c d")).toHaveLength(1);
  });
});
