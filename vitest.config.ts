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
        test: { name: "server", root: "packages/server", environment: "node" },
      },
      {
        resolve: { alias },
        test: { name: "react", root: "packages/react", environment: "jsdom" },
      },
      {
        resolve: { alias },
        test: { name: "dev", root: "packages/dev", environment: "node", testTimeout: 60_000 },
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
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
