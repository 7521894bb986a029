// @vitest-environment node
// esbuild refuses to run under jsdom, whose TextEncoder returns another realm's Uint8Array.
import { fileURLToPath } from "node:url";
import preset from "@size-limit/preset-small-lib";
import sizeLimit from "size-limit";
import { describe, expect, it } from "vitest";

/** The most `useFetch` may add to an app's bundle, minified and gzipped, React excluded. */
const USE_FETCH_SIZE_LIMIT = 1536;

describe("useFetch bundle size", () => {
  it(`adds at most ${USE_FETCH_SIZE_LIMIT} bytes (min+gzip) to a bundle`, async () => {
    const entry = fileURLToPath(new URL("./index.ts", import.meta.url));
    // size-limit bundles with esbuild, as an app's bundler would, with React left to the app.
    const [result] = (await sizeLimit(preset, {
      checks: [{ files: [entry], import: { [entry]: "{ useFetch }" }, ignore: ["react"], gzip: true }],
    })) as Array<{ size: number }>;
    console.info(`useFetch: ${result?.size} bytes min+gzip`);
    expect(result?.size).toBeGreaterThan(0);
    expect(result?.size).toBeLessThanOrEqual(USE_FETCH_SIZE_LIMIT);
  });
});
