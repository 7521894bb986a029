import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";

const require = createRequire(import.meta.url);

/**
 * Instantiates Prisma's schema engine from its Wasm build. `prisma migrate` wants a native engine
 * that is downloaded at run time; the Wasm build ships in the npm package and talks to the database
 * through a driver adapter, so migrations work offline and on any PostgreSQL the adapter reaches.
 */
export async function loadSchemaEngine(
  schema: { path: string; content: string },
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  log: (message: string) => void = () => {},
): Promise<SchemaEngine> {
  // The Wasm build reports a Rust panic through this global before throwing; keep its message.
  const registry = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(message: string): void } };
  registry.PRISMA_WASM_PANIC_REGISTRY ??= {
    set_message: (message) => log(`schema engine panicked: ${message}`),
  };
  wasmBindings ??= instantiateWasm();
  const bindings = await wasmBindings;
  const engine = await bindings.SchemaEngine.new(
    { datamodels: [[schema.path, schema.content]] },
    log,
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
  return engine;
}

// wasm-bindgen keeps the instance in module state of its JS glue (which `import` caches), so a second
// instantiation in one process corrupts the first: instantiate once, create engines from it.
let wasmBindings: Promise<SchemaEngineBindings> | undefined;

interface SchemaEngineBindings {
  SchemaEngine: { new: (...args: unknown[]) => Promise<SchemaEngine> };
}

async function instantiateWasm(): Promise<SchemaEngineBindings> {
  // The package exports only its JS entry, so its folder is found from that.
  const packageDir = dirname(require.resolve("@prisma/schema-engine-wasm"));
  const bindings = await import(join(packageDir, "schema_engine_bg.js"));
  const wasm = await readFile(join(packageDir, "schema_engine_bg.wasm"));
  const { instance } = await WebAssembly.instantiate(wasm, { "./schema_engine_bg.js": bindings });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
  return bindings;
}
