// Builds the chat widget with esbuild: the loader (widget/loader.ts → public/widget.js, a classic
// script for any page) and the frame (widget/frame/main.tsx → public/widget/frame.js and .css).
// `next build` runs after it (package.json "build"), and so does `npm run demo`'s build.
// Usage: node scripts/build-widget.mjs [outdir]  (default: public)
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const DEMO_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The loader's budget: at most 5 KB after minifying and gzip (checked by test/widget-size.test.ts). */
export const LOADER_BUDGET_BYTES = 5 * 1024;

/**
 * Builds both bundles into `outdir`.
 *
 * @example
 * await buildWidget({ outdir: "public" });
 */
export async function buildWidget({ outdir = join(DEMO_DIR, "public") } = {}) {
  await mkdir(join(outdir, "widget"), { recursive: true });
  const common = {
    bundle: true,
    minify: true,
    legalComments: "none",
    target: ["es2022"],
    tsconfig: join(DEMO_DIR, "tsconfig.json"),
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "warning",
  };
  await Promise.all([
    build({
      ...common,
      entryPoints: [join(DEMO_DIR, "widget", "loader.ts")],
      // An IIFE: a classic <script> on someone else's page, adding no globals.
      format: "iife",
      outfile: join(outdir, "widget.js"),
    }),
    build({
      ...common,
      entryPoints: { frame: join(DEMO_DIR, "widget", "frame", "main.tsx") },
      format: "iife",
      jsx: "automatic",
      outdir: join(outdir, "widget"),
    }),
  ]);
  return {
    loader: join(outdir, "widget.js"),
    frame: join(outdir, "widget", "frame.js"),
    styles: join(outdir, "widget", "frame.css"),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = await buildWidget(process.argv[2] ? { outdir: process.argv[2] } : {});
  console.log(`Built the chat widget: ${Object.values(files).join(", ")}`);
}
