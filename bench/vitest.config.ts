import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Benchmarks run only through this config, never from the workspace's test projects.
const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: { alias: [{ find: /^@sprocket\/react$/, replacement: source("../packages/react/src/index.ts") }] },
  test: {
    name: "bench",
    root: source("."),
    environment: "jsdom",
    include: ["**/*.bench.tsx"],
  },
});
