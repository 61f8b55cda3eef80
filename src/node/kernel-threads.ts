import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { HelperInit, SpawnHelper } from "../core/wasm/threads.js";

/** The helper thread's script: beside this file once built, or in dist/ when run from source. */
function helperScript(): URL {
  const here = new URL("./kernel-helper.js", import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = new URL("../../dist/node/kernel-helper.js", import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new Error(`the kernel helper script ${fileURLToPath(here)} is missing: run npm run build`);
}

/**
 * Starts kernel helper threads as worker_threads (pass as `spawnHelper` with `threads` > 1). The
 * workers are unreferenced: they never keep the process alive.
 */
export const nodeHelperSpawner: SpawnHelper = (init: HelperInit) => {
  const worker = new Worker(helperScript(), { workerData: init, execArgv: [] });
  worker.unref();
};

/** This machine's cores: the default thread count of the CLI. */
export function defaultThreadCount(): number {
  return availableParallelism();
}
