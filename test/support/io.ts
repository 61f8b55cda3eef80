import { runCli } from "../../src/cli/run.js";
import type { Io } from "../../src/cli/runtime.js";

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI in-process with captured output (no terminal, so no progress bar). */
export async function cli(...argv: string[]): Promise<CliResult> {
  let out = "";
  let err = "";
  const io: Io = {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    errIsTTY: false,
    errColumns: 80,
    pause: () => Promise.resolve(),
    now: () => performance.now(),
    signal: new AbortController().signal,
  };
  const code = await runCli(argv, io);
  return { code, out, err };
}
