import { vi } from "vitest";

export interface Frames {
  /** Callbacks waiting for the next frame. */
  readonly pending: number;
  /** Runs the callbacks that were waiting when called, as one animation frame does. */
  run(): void;
}

/**
 * Replaces `requestAnimationFrame` with frames the test runs by hand. Undo with
 * `vi.unstubAllGlobals()`.
 *
 * @example
 * const frames = stubFrames();
 * await act(async () => frames.run());
 */
export function stubFrames(): Frames {
  let queue: FrameRequestCallback[] = [];
  let nextId = 1;
  vi.stubGlobal("requestAnimationFrame", (callback: FrameRequestCallback) => {
    queue.push(callback);
    return nextId++;
  });
  return {
    get pending() {
      return queue.length;
    },
    run() {
      const due = queue;
      queue = [];
      for (const callback of due) callback(performance.now());
    },
  };
}
