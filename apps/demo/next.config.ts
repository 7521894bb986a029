import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

/**
 * The demo's own pages may not be framed (clickjacking): listed one by one rather than for every
 * path, because the chat widget's frame (/widget/frame, its own policy per allowed host) and the
 * embedded Shopify admin pages (/admin) must be framed by others.
 */
const UNFRAMEABLE_PAGES = ["/", "/sign-in", "/sign-up", "/chats", "/chats/:path*", "/inbox", "/inbox/:path*"];
const NO_FRAMING = [
  { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
  { key: "X-Frame-Options", value: "DENY" },
];

const config: NextConfig = {
  // The workspace packages are consumed as built (dist/), exactly as users get them; the monorepo
  // root is the root for bundling and file tracing because pnpm links them from there.
  turbopack: { root: fileURLToPath(new URL("../..", import.meta.url)) },
  outputFileTracingRoot: fileURLToPath(new URL("../..", import.meta.url)),
  poweredByHeader: false,
  // pino writes with worker-free streams here, but bundling it breaks its dynamic requires.
  serverExternalPackages: ["pino"],
  headers: async () => UNFRAMEABLE_PAGES.map((source) => ({ source, headers: NO_FRAMING })),
};

export default config;
