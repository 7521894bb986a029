import { SprocketProvider, useFetch } from "@sprocket/react";
import { act, cleanup, render, waitFor } from "@testing-library/react";
import { Profiler, useLayoutEffect } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { stubFrames } from "./test/frames.js";
import { createStreamingFetch, type StreamingBody } from "./test/streaming-fetch.js";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
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

    await push(body, "Once");
    expect(newCommits()).toEqual({ profiled: 1, commits: [{ data: "Once", streaming: true }] });

    const words = Array.from({ length: 20 }, (_, index) => ` w${index}`);
    for (const word of words) await push(body, word);
    // Twenty chunks within one frame: no commit until the frame comes.
    expect(newCommits().profiled).toBe(0);

    await act(async () => frames.run());
    expect(newCommits()).toEqual({
      profiled: 1,
      commits: [{ data: `Once${words.join("")}`, streaming: true }],
    });

    // A frame with nothing new commits nothing; the next chunk after it shows at once again.
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
