/**
 * Runs fit jobs on a pool of worker threads, one job per worker at a time, handing the next job
 * to whichever worker finishes first. Each job seeds its own generator, so the results are the
 * same for any number of workers; only the time changes.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { DataBundle } from "../data/dataset.js";
import type { FitJob, FitJobResult, JobRunner } from "../experiments/jobs.js";
import { TrainingInterrupted } from "../training/errors.js";
import type { WorkerReply } from "./sweep-worker.js";

/** A job failed inside a worker; `errorName` is the original error's class name. */
export class JobFailedError extends Error {
  override name = "JobFailedError";
  constructor(
    readonly job: FitJob,
    readonly errorName: string,
    message: string,
  ) {
    super(message);
  }
}

/** The pool was stopped by its AbortSignal: an interruption like any other, never a result. */
export class PoolAbortedError extends TrainingInterrupted {
  override name = "PoolAbortedError";
  constructor(done: number, total: number) {
    super(done, total, `interrupted after ${done} of ${total} runs`);
  }
}

/** min(available cores, jobs), at least 1. */
export function defaultWorkerCount(jobs: number): number {
  return Math.max(1, Math.min(availableParallelism(), jobs));
}

/**
 * The compiled worker script beside this module; when this module runs from the TypeScript
 * sources (tests), the compiled one in dist/ (run `npm run build` first).
 */
export function workerScript(): URL {
  const here = new URL("./sweep-worker.js", import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = new URL("../../dist/node/sweep-worker.js", import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new Error(`the worker script ${fileURLToPath(here)} is missing: run npm run build`);
}

export interface PoolOptions {
  /** Worker threads; default min(available cores, jobs). */
  workers?: number;
  signal?: AbortSignal;
  /** Override the worker script (tests). */
  script?: URL;
}

/**
 * A JobRunner that spreads jobs over worker threads. Each call starts its workers and stops them
 * when its jobs are done (or one fails, or the signal aborts).
 */
export function workerRunner(bundle: DataBundle, options: PoolOptions = {}): JobRunner {
  return (jobs, onResult) => runOnWorkers(bundle, jobs, options, onResult);
}

function runOnWorkers(
  bundle: DataBundle,
  jobs: readonly FitJob[],
  options: PoolOptions,
  onResult?: (result: FitJobResult, done: number) => void,
): Promise<FitJobResult[]> {
  if (jobs.length === 0) return Promise.resolve([]);
  const count = Math.min(options.workers ?? defaultWorkerCount(jobs.length), jobs.length);
  if (!Number.isInteger(count) || count < 1) {
    return Promise.reject(new RangeError(`workers must be a whole number ≥ 1, got ${options.workers}`));
  }
  const script = options.script ?? workerScript();
  return new Promise((resolve, reject) => {
    const results = new Array<FitJobResult>(jobs.length);
    const index = new Map(jobs.map((j, i) => [j.id, i]));
    const workers: Worker[] = [];
    let next = 0;
    let done = 0;
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener("abort", onAbort);
      for (const w of workers) void w.terminate();
      if (error) reject(error);
      else resolve(results);
    };
    const onAbort = () => finish(new PoolAbortedError(done, jobs.length));
    if (options.signal?.aborted) return finish(new PoolAbortedError(0, jobs.length));
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const feed = (w: Worker) => {
      if (next < jobs.length) w.postMessage(jobs[next++]);
    };
    for (let k = 0; k < count; k++) {
      const w = new Worker(script, { workerData: { bundle }, execArgv: [] });
      workers.push(w);
      w.on("message", (reply: WorkerReply) => {
        if (settled) return;
        const i = index.get(reply.id);
        if (i === undefined) return finish(new Error(`worker replied for unknown job ${reply.id}`));
        if (reply.error || !reply.result) {
          const e = reply.error ?? { name: "Error", message: "no result" };
          return finish(new JobFailedError(jobs[i], e.name, e.message));
        }
        results[i] = reply.result;
        done++;
        onResult?.(reply.result, done);
        if (done === jobs.length) return finish();
        feed(w);
      });
      w.on("error", (e) => finish(e instanceof Error ? e : new Error(String(e))));
      w.on("exit", (code) => {
        if (!settled) finish(new Error(`a worker thread exited with code ${code} before the jobs were done`));
      });
      feed(w);
    }
  });
}
