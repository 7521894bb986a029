// The benchmarks, never part of `npm test`. Counting benchmarks are plain runs
// (`vitest run --config bench/vitest.config.ts`); timed ones use `vitest bench ... --run`.
// `pnpm --filter bench bench` runs both.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      // The server package as it ships: its build, run by Node itself (external below), not through
      // Vitest's module transform, which turns every call across modules into a property read and
      // added about 1 µs to a 5 µs verification. Build it first (README).
      { find: /^@sprocket\/server$/, replacement: source("../packages/server/dist/index.js") },
      { find: /^@sprocket\/server\/(.+)$/, replacement: source("../packages/server/dist/$1/index.js") },
      { find: /^@sprocket\/react$/, replacement: source("../packages/react/src/index.ts") },
      { find: /^@sprocket\/dev$/, replacement: source("../packages/dev/src/index.ts") },
      { find: /^@\/(.+)$/, replacement: source("../apps/demo/$1") },
    ],
  },
  test: {
    name: "bench",
    root: source("."),
    include: ["**/*.bench.tsx"],
    benchmark: { include: ["**/*.bench.ts"] },
    server: { deps: { external: [/\/packages\/server\/dist\//] } },
  },
});
