// `node scripts/pnpm.mjs ARGS` runs the project-local pnpm, installing it first when needed.
import { pnpm } from "./lib/bootstrap.mjs";

try {
  await pnpm(process.argv.slice(2));
} catch {
  process.exit(1);
}
