import { type ChildProcess, spawn } from "node:child_process";
import { CLI } from "./paths.js";

/** A `reglab worker` process (from dist/: run `npm run build` first) and what it printed. */
export interface WorkerProcess {
  child: ChildProcess;
  log(): string;
  /** Resolves once its stderr matches `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

export function startWorker(url: string, ...args: string[]): WorkerProcess {
  const child = spawn(process.execPath, [CLI, "worker", "--queue", url, "--verbose", ...args], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  const watchers = new Set<() => void>();
  child.stderr!.on("data", (d: Buffer) => {
    log += d.toString();
    for (const w of watchers) w();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    log: () => log,
    waitFor: (pattern, timeoutMs = 60_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!pattern.test(log)) return;
          watchers.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          watchers.delete(check);
          reject(new Error(`worker never printed ${pattern}:\n${log}`));
        }, timeoutMs);
        watchers.add(check);
        check();
      }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}
