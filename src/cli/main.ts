#!/usr/bin/env node
import { runCli } from "./run.js";
import { processIo } from "./runtime.js";

process.exitCode = await runCli(process.argv.slice(2), processIo());
