// Everything the two README commands need before they can run, installed without root rights:
// a project-local pnpm (through npm, which every Node install has), the workspace's dependencies,
// and the generated Prisma client. Each step is skipped when its result is already in place.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEMO_DIR, SCHEMA_PATH } from "./demo-app.mjs";
import { root, run } from "./process.mjs";

/** The pnpm release tested on Node 20 (11.x needs Node 22). */
export const PNPM_VERSION = "12.21.0";

const toolsDir = join(root, ".tools");
const pnpmEntry = join(toolsDir, "node_modules", "pnpm", "bin", "pnpm.mjs");

/** Installs the pinned pnpm into `.tools/` when it is not there yet; returns its entry script. */
export function ensurePnpm() {
  if (existsSync(pnpmEntry) && readPnpmVersion() === PNPM_VERSION) return pnpmEntry;
  mkdirSync(toolsDir, { recursive: true });
  writeFileSync(join(toolsDir, "package.json"), '{ "private": true }\n');
  console.log(`[sprocket] installing pnpm ${PNPM_VERSION} into .tools/`);
  const result = spawnSync(
    "npm",
    [
      "install",
      "--no-save",
      "--no-package-lock",
      "--no-audit",
      "--no-fund",
      "--prefix",
      toolsDir,
      `pnpm@${PNPM_VERSION}`,
    ],
    { stdio: "inherit", cwd: root },
  );
  if (result.status !== 0) throw new Error("could not install pnpm through npm");
  return pnpmEntry;
}

function readPnpmVersion() {
  try {
    return JSON.parse(readFileSync(join(toolsDir, "node_modules", "pnpm", "package.json"), "utf8")).version;
  } catch {
    return undefined;
  }
}

/** Runs the project-local pnpm with the given arguments. */
export function pnpm(args, options = {}) {
  return run(process.execPath, [ensurePnpm(), ...args], options);
}

/** Installs the workspace's dependencies; a no-op within a second or two when they are current. */
export async function ensureDependencies() {
  await pnpm(["install", "--frozen-lockfile", "--prefer-offline", "--reporter=append-only"], {
    env: { CI: "true" },
  });
}

/** Env that lets `prisma generate` run offline (see the README's section on Prisma). */
export function prismaOfflineEnv() {
  return {
    // generate never runs the schema engine; pointing at any file stops it from downloading one.
    PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
    CHECKPOINT_DISABLE: "1",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
  };
}

/** Regenerates the demo's Prisma client when schema.prisma changed since the last generation. */
export async function ensurePrismaClient() {
  const stampPath = join(DEMO_DIR, "lib", "generated", ".schema-hash");
  const hash = createHash("sha256").update(readFileSync(SCHEMA_PATH)).digest("hex");
  if (existsSync(stampPath) && readFileSync(stampPath, "utf8") === hash) return;
  await pnpm(["--filter", "demo", "exec", "prisma", "generate"], { env: prismaOfflineEnv() });
  writeFileSync(stampPath, hash);
}

/** The workspace packages, in dependency order; the demo and the scripts use their dist/. */
export const PACKAGES = ["server", "react", "dev"];

/** Compiles the packages to dist/ (TypeScript's native compiler: about a second each). */
export async function buildPackages() {
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  await Promise.all(
    PACKAGES.map((name) =>
      run(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: join(root, "packages", name) }),
    ),
  );
}

/** All of the above, in order. */
export async function bootstrap() {
  ensurePnpm();
  await ensureDependencies();
  await Promise.all([ensurePrismaClient(), buildPackages()]);
}
