// Compiles the package's AssemblyScript (assembly/) to WebAssembly and writes each module as a
// TypeScript source holding its bytes in base64, so that it ships inside the built JavaScript and
// survives any bundler (Next.js bundles route handlers). The generated files are committed; a unit
// test compiles again and fails when they differ from their source.
//
//   node scripts/build-wasm.mjs          write src/**/*.wasm.ts
//   node scripts/build-wasm.mjs --check  exit 1 when a generated file is out of date
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compileModules } from "./wasm-modules.mjs";

const check = process.argv.includes("--check");
let stale = 0;
for (const { output, source } of await compileModules()) {
  const path = fileURLToPath(new URL(`../${output}`, import.meta.url));
  let current = "";
  try {
    current = readFileSync(path, "utf8");
  } catch {}
  if (current === source) continue;
  if (check) {
    console.error(`${output} is out of date: run node scripts/build-wasm.mjs`);
    stale++;
  } else {
    writeFileSync(path, source);
    console.log(`wrote ${output}`);
  }
}
process.exit(stale > 0 ? 1 : 0);
