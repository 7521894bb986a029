#!/usr/bin/env node
// `sprocket`: sign app proxy URLs and send signed sample webhooks to a local app.
import { runCli } from "./run-cli.js";

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
