/**
 * The enqueuing side: a JobRunner whose jobs run on whatever workers serve the queue. It uploads
 * the dataset once, gives every job a deterministic id (so a re-run finds what is done and adds
 * only what is missing), gathers results as they arrive and returns them in job order — decoded to
 * the very bits a local runner returns, so the sweep built on it reports the same table, winner and
 * test score.
 */
import { Queue, QueueEvents } from "bullmq";
import type { DataBundle } from "../../data/dataset.js";
import type { FitJob, FitJobResult, JobRunner } from "../../experiments/jobs.js";
import { runSweep, type SweepResult, type SweepSpec } from "../../experiments/sweep.js";
import { PoolAbortedError } from "../sweep-pool.js";
import { DETERMINISTIC_FAILURES, decodeResult, jobIdOf, splitFailure } from "./codec.js";
import { connect, redisOptions } from "./connection.js";
import { DEFAULT_MAX_DATA_BYTES, uploadDataset } from "./dataset-store.js";
import { type JobFailure, QueueJobsFailedError } from "./errors.js";
import { type QueuedFit, REGLAB_VERSION, validateQueuedFit } from "./job-schema.js";
import { DEFAULT_QUEUE_NAME, FIT_JOB, QUEUE_PREFIX } from "./names.js";
import { parseQueueUrl, withPassword } from "./url.js";

export interface QueueProgress {
  /** Counts the runner's calls: a sweep's grid is batch 1, its final run batch 2. */
  batch: number;
  /** Jobs finished (done or failed) of this batch, and how many of them were done before it started. */
  done: number;
  total: number;
  reused: number;
  failed: number;
}

export interface QueueRunnerOptions {
  /** redis://[user:pass@]host:port[/db] or rediss://… */
  url: string;
  /** Overrides the URL's password (so it need not appear in a command line). */
  password?: string;
  /** Queue name (default "fits"). */
  queue?: string;
  /** Stops waiting (the jobs stay queued; a re-run collects them). */
  signal?: AbortSignal;
  /** Cap on the encoded dataset (default 256 MiB). */
  maxDataBytes?: number;
  /** Tries per job for failures that may pass (a dying worker); default 3. */
  attempts?: number;
  /** Connection status lines. */
  log?: (line: string) => void;
  onProgress?: (p: QueueProgress) => void;
  /** Look at unfinished jobs this often besides listening for events (ms, default 5000). */
  pollMs?: number;
}

const MONTH_SECONDS = 30 * 24 * 3600;

/** A JobRunner on the queue; `close()` it when done. */
export interface QueueRunner extends JobRunner {
  close(): Promise<void>;
}

type Settle = { result: string } | { failure: string };

export function queueRunner(bundle: DataBundle, options: QueueRunnerOptions): QueueRunner {
  const address = withPassword(parseQueueUrl(options.url), options.password);
  const log = options.log ?? (() => {});
  const name = options.queue ?? DEFAULT_QUEUE_NAME;
  let session:
    | Promise<{ queue: Queue; events: QueueEvents; hash: string; close: () => Promise<void> }>
    | undefined;
  /** Whoever waits for a job id right now. */
  const waiting = new Map<string, (s: Settle) => void>();
  let batch = 0;

  const open = async () => {
    const { client, report } = await connect(address, log);
    try {
      const hash = await uploadDataset(client, bundle, options.maxDataBytes ?? DEFAULT_MAX_DATA_BYTES);
      const connection = redisOptions(address);
      const queue = new Queue(name, { connection, prefix: QUEUE_PREFIX });
      const events = new QueueEvents(name, { connection, prefix: QUEUE_PREFIX });
      queue.on("error", (e) => report.error(e));
      events.on("error", (e) => report.error(e));
      events.on("completed", ({ jobId, returnvalue }) => waiting.get(jobId)?.({ result: returnvalue }));
      events.on("failed", ({ jobId, failedReason }) => waiting.get(jobId)?.({ failure: failedReason }));
      await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
      const close = async () => {
        await Promise.allSettled([queue.close(), events.close()]);
        await client.quit().catch(() => client.disconnect());
      };
      return { queue, events, hash, close };
    } catch (e) {
      client.disconnect();
      throw e;
    }
  };

  const run = async (
    jobs: readonly FitJob[],
    onResult?: (result: FitJobResult, done: number) => void,
  ): Promise<FitJobResult[]> => {
    if (jobs.length === 0) return [];
    if (options.signal?.aborted) throw new PoolAbortedError(0, jobs.length);
    session ??= open();
    const { queue, hash } = await session;
    const queued = jobs.map((job) => {
      const { id: _, ...rest } = job;
      // Refuse here what a worker would refuse, before anything is queued.
      return validateQueuedFit(JSON.parse(JSON.stringify({ reglab: REGLAB_VERSION, data: hash, job: rest })));
    });
    const ids = queued.map(jobIdOf);
    const positions = new Map<string, number[]>();
    ids.forEach((id, i) => {
      positions.set(id, [...(positions.get(id) ?? []), i]);
    });

    const results = new Array<FitJobResult | undefined>(jobs.length);
    const failures: JobFailure[] = [];
    const progress: QueueProgress = { batch: ++batch, done: 0, total: positions.size, reused: 0, failed: 0 };
    /** Progress is reported once the look-up of earlier work is over. */
    let looking = true;
    let resultsDone = 0;
    let remaining = positions.size;

    return new Promise<FitJobResult[]>((resolve, reject) => {
      let finished = false;
      let timer: NodeJS.Timeout | undefined;
      const end = (error?: Error) => {
        if (finished) return;
        finished = true;
        clearInterval(timer);
        options.signal?.removeEventListener("abort", onAbort);
        for (const id of positions.keys()) waiting.delete(id);
        if (error) reject(error);
        else if (failures.length > 0) reject(new QueueJobsFailedError(failures));
        else resolve(results as FitJobResult[]);
      };
      const onAbort = () => end(new PoolAbortedError(progress.done, positions.size));
      options.signal?.addEventListener("abort", onAbort, { once: true });

      let lastEvent = Date.now();
      const settle = (id: string, s: Settle, reused = false) => {
        if (finished || !waiting.has(id)) return;
        lastEvent = Date.now();
        waiting.delete(id);
        progress.done++;
        if (reused) progress.reused++;
        try {
          for (const i of positions.get(id)!) {
            if ("failure" in s) {
              failures.push({ job: jobs[i], ...splitFailure(s.failure) });
            } else {
              const r = decodeResult(s.result, jobs[i].id);
              results[i] = r;
              onResult?.(r, ++resultsDone);
            }
          }
        } catch (e) {
          return end(e as Error);
        }
        if ("failure" in s) progress.failed++;
        if (!looking) options.onProgress?.({ ...progress });
        if (--remaining === 0) end();
      };
      for (const id of positions.keys()) waiting.set(id, (s) => settle(id, s));

      /** Looks a job up: settles it if finished, retries a failure that may pass, adds it if absent. */
      const look = async (id: string, first: boolean): Promise<boolean> => {
        const job = await queue.getJob(id);
        if (!job) return false;
        const state = await job.getState();
        if (state === "completed") settle(id, { result: job.returnvalue }, first);
        else if (state === "failed") {
          const failure = job.failedReason ?? "Error: failed";
          if (first && !DETERMINISTIC_FAILURES.includes(splitFailure(failure).name))
            await job.retry("failed");
          else settle(id, { failure }, first);
        }
        return true;
      };

      const start = async () => {
        const missing: string[] = [];
        const unique = [...positions.keys()];
        for (let k = 0; k < unique.length; k += 200) {
          const chunk = unique.slice(k, k + 200);
          const found = await Promise.all(chunk.map((id) => look(id, true)));
          chunk.forEach((id, j) => {
            if (!found[j]) missing.push(id);
          });
        }
        looking = false;
        options.onProgress?.({ ...progress });
        if (finished) return;
        const attempts = options.attempts ?? 3;
        for (let k = 0; k < missing.length; k += 500) {
          await queue.addBulk(
            missing.slice(k, k + 500).map((id) => ({
              name: FIT_JOB,
              data: queued[positions.get(id)![0]] as QueuedFit,
              opts: {
                jobId: id,
                attempts,
                backoff: { type: "exponential", delay: 1000 },
                removeOnComplete: { age: MONTH_SECONDS },
                removeOnFail: { age: MONTH_SECONDS },
              },
            })),
          );
        }
        // Events can be missed across a reconnect; when none has come for a while, a look at what
        // is left catches up.
        const every = options.pollMs ?? 5000;
        timer = setInterval(() => {
          if (Date.now() - lastEvent < every) return;
          lastEvent = Date.now();
          const left = [...positions.keys()].filter((id) => waiting.has(id));
          void Promise.all(left.map((id) => look(id, false))).catch((e) =>
            log(`queue: ${(e as Error).message}`),
          );
        }, every);
      };
      start().catch((e) => end(e as Error));
    });
  };

  return Object.assign(run, {
    close: async () => {
      if (!session) return;
      const s = await session.catch(() => undefined);
      session = undefined;
      await s?.close();
    },
  });
}

/**
 * `runSweep` on the queue: the same jobs, winner and final run as the local sweep, each run done
 * by whichever worker takes it.
 */
export async function enqueueSweep(
  bundle: DataBundle,
  spec: SweepSpec,
  options: QueueRunnerOptions & { onResult?: (result: FitJobResult, done: number, total: number) => void },
): Promise<SweepResult> {
  const runner = queueRunner(bundle, options);
  try {
    return await runSweep(bundle, spec, { runner, ...(options.onResult && { onResult: options.onResult }) });
  } finally {
    await runner.close();
  }
}
