import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

const config: NextConfig = {
  // The workspace packages are consumed as built (dist/), exactly as users get them; the monorepo
  // root is the root for bundling and file tracing because pnpm links them from there.
  turbopack: { root: fileURLToPath(new URL("../..", import.meta.url)) },
  outputFileTracingRoot: fileURLToPath(new URL("../..", import.meta.url)),
  poweredByHeader: false,
  // pino writes with worker-free streams here, but bundling it breaks its dynamic requires.
  serverExternalPackages: ["pino"],
};

export default config;
