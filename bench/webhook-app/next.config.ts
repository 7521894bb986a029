import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

// The webhook throughput benchmark's app (see ../webhook-throughput.mjs). It imports the demo's
// inbox store and generated Prisma client, so the monorepo root is the bundling root, as for the demo.
const root = fileURLToPath(new URL("../..", import.meta.url));

const config: NextConfig = {
  turbopack: { root },
  outputFileTracingRoot: root,
  poweredByHeader: false,
  serverExternalPackages: ["pino"],
  // Readable function names in `--cpu-prof` profiles (BENCH_CPU_PROF); no measurable cost.
  experimental: { serverMinification: false },
};

export default config;
