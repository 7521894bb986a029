import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Tests import the packages by name, as users do; these aliases point the names at the sources.
const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const alias = [
  { find: /^@sprocket\/server$/, replacement: source("./packages/server/src/index.ts") },
  { find: /^@sprocket\/server\/(.+)$/, replacement: source("./packages/server/src/$1/index.ts") },
  { find: /^@sprocket\/react$/, replacement: source("./packages/react/src/index.ts") },
  { find: /^@sprocket\/dev$/, replacement: source("./packages/dev/src/index.ts") },
  { find: /^@sprocket\/dev\/(.+)$/, replacement: source("./packages/dev/src/$1/index.ts") },
];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        // Timeouts only catch a hung test; property tests and Wasm PostgreSQL take many times
        // longer on a loaded 2-core machine, so they are generous and never a performance check.
        test: { name: "server", root: "packages/server", environment: "node", testTimeout: 30_000 },
      },
      {
        resolve: { alias },
        test: { name: "react", root: "packages/react", environment: "jsdom", testTimeout: 30_000 },
      },
      {
        resolve: { alias },
        test: { name: "dev", root: "packages/dev", environment: "node", testTimeout: 180_000 },
      },
      {
        resolve: { alias: [...alias, { find: /^@\/(.+)$/, replacement: source("./apps/demo/$1") }] },
        test: {
          name: "integration",
          root: "apps/demo",
          environment: "node",
          include: ["**/*.test.ts"],
          globalSetup: ["./test/global-setup.ts"],
          setupFiles: ["./test/database.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
