// The demo app's location and its Next.js CLI, shared by `npm run demo` and `npm test`.
import { join } from "node:path";
import { root, run } from "./process.mjs";

export const DEMO_DIR = join(root, "apps", "demo");
export const SCHEMA_PATH = join(DEMO_DIR, "prisma", "schema.prisma");
export const NEXT_BIN = join(DEMO_DIR, "node_modules", "next", "dist", "bin", "next");
export const NEXT_ENV = { NEXT_TELEMETRY_DISABLED: "1" };

/** The chat widget's bundles (public/widget.js, public/widget/), which `next start` serves as files. */
export function buildWidget() {
  return run(process.execPath, [join(DEMO_DIR, "scripts", "build-widget.mjs")], { cwd: DEMO_DIR });
}

/** `next build` of the demo, after the chat widget's bundles. */
export async function buildDemo() {
  await buildWidget();
  return run(process.execPath, [NEXT_BIN, "build"], { cwd: DEMO_DIR, env: NEXT_ENV });
}
