#!/usr/bin/env node
// `sprocket-dev`: the database, model and Shopify commands a Sprocket app needs during development
// and deployment (see `commands/index.ts`).
import { isServerCommand, main } from "./commands/index.js";

const argv = process.argv.slice(2);
process.exitCode = await main(argv, { stdout: process.stdout, stderr: process.stderr });
// The Wasm engine and pg pools can hold the event loop open; every command but the servers is done here.
if (!isServerCommand(argv) || process.exitCode) process.exit();
