#!/usr/bin/env node
import { fileURLToPath } from "node:url";
import { supervise, wantsSupervisor } from "./supervisor.js";

const argv = process.argv.slice(2);
if (wantsSupervisor(argv)) {
  // Compute commands run in a child this process watches, so Ctrl-C is prompt (supervisor.ts).
  process.exitCode = await supervise(fileURLToPath(import.meta.url), argv);
} else {
  const { runCli } = await import("./run.js");
  const { processIo } = await import("./runtime.js");
  process.exitCode = await runCli(argv, processIo());
}
