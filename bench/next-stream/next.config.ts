import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

// The benchmark's routes, built for production like the demo: the workspace packages are consumed
// as built (dist/), and the monorepo root is the root for bundling and file tracing.
const config: NextConfig = {
  turbopack: { root: fileURLToPath(new URL("../..", import.meta.url)) },
  outputFileTracingRoot: fileURLToPath(new URL("../..", import.meta.url)),
  poweredByHeader: false,
  serverExternalPackages: ["pino"],
};

export default config;
