/**
 * Runs `callback` before the next paint, or about a frame later where nothing paints (a server, a
 * worker). Read at call time, so importing this on a server touches no browser global.
 *
 * @example
 * requestFrame(() => publish(text));
 */
export function requestFrame(callback: () => void): void {
  const schedule: (callback: () => void, delay: number) => unknown =
    globalThis.requestAnimationFrame ?? setTimeout;
  schedule(callback, 16);
}
