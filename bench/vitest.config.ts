// The benchmarks, never part of `npm test`. Counting benchmarks are plain runs
// (`vitest run --config bench/vitest.config.ts`); timed ones use `vitest bench ... --run`.
// `pnpm --filter bench bench` runs both.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@sprocket\/server$/, replacement: source("../packages/server/src/index.ts") },
      { find: /^@sprocket\/server\/(.+)$/, replacement: source("../packages/server/src/$1/index.ts") },
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
  },
});
