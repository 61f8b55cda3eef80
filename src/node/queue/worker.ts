/**
 * `runWorker`: takes training jobs from the queue and runs them on local training threads until
 * its signal aborts. A job's failure inside the engine (divergence, a bad configuration) fails
 * that job for good — it would fail the same way anywhere — while a dying thread or a lost
 * connection lets BullMQ retry it. On shutdown, running jobs are handed back to the queue at once
 * for another worker; a worker killed outright (SIGKILL) loses its locks and BullMQ's stalled-job
 * check puts its jobs back.
 */
import { availableParallelism } from "node:os";
import { type Job, UnrecoverableError, WaitingError, Worker } from "bullmq";
import { encodeResult } from "./codec.js";
import { connect, redisOptions } from "./connection.js";
import { DatasetCache, DatasetError } from "./dataset-store.js";
import { JobValidationError, REGLAB_VERSION, validateQueuedFit } from "./job-schema.js";
import { DEFAULT_QUEUE_NAME, FIT_JOB, QUEUE_PREFIX } from "./names.js";
import { AbandonedError, EngineError, TrainingThreads } from "./threads.js";
import { describeAddress, parseQueueUrl, withPassword } from "./url.js";

export interface RunWorkerOptions {
  /** redis://[user:pass@]host:port[/db] or rediss://… */
  url: string;
  /** Overrides the URL's password (so it need not appear in a command line). */
  password?: string;
  /** Jobs run at once, each on its own thread; default all cores. */
  concurrency?: number;
  /** Queue name (default "fits"). */
  queue?: string;
  /** Stops the worker: running jobs are handed back to the queue. */
  signal?: AbortSignal;
  /**
   * How long a job's lock lasts without renewal (ms, default 30 000); a worker that dies holding
   * jobs has them retried after about this long. Also the stalled-check interval.
   */
  lockDuration?: number;
  /** Status lines (connection, failures, shutdown); `verbose` adds one per job. */
  log?: (line: string) => void;
  verbose?: boolean;
  /** Called once the worker is connected and taking jobs. */
  onReady?: (description: string) => void;
  /** How long shutdown waits for Redis to take jobs back (ms, default 10 000). */
  closeTimeoutMs?: number;
  /** Override the training-thread script (tests). */
  script?: URL;
}

export interface WorkerSummary {
  completed: number;
  failed: number;
  handedBack: number;
  /**
   * False when Redis was unreachable at shutdown: the connections were dropped, but BullMQ may
   * keep a reconnect timer alive, so a command should exit the process itself.
   */
  clean: boolean;
}

/** BullMQ stores the thrown message as the job's failure reason: "Name: message". */
const reason = (e: { name: string; message: string }) => `${e.name}: ${e.message}`;

export async function runWorker(options: RunWorkerOptions): Promise<WorkerSummary> {
  const address = withPassword(parseQueueUrl(options.url), options.password);
  const log = options.log ?? (() => {});
  const concurrency = options.concurrency ?? availableParallelism();
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a whole number ≥ 1, got ${concurrency}`);
  }
  const lockDuration = options.lockDuration ?? 30_000;
  const { client, report } = await connect(address, log);
  const datasets = new DatasetCache(client);
  const threads = new TrainingThreads(concurrency, options.script);
  const summary: WorkerSummary = { completed: 0, failed: 0, handedBack: 0, clean: true };
  const active = new Map<string, AbortController>();
  let stopping = false;

  const handBack = async (job: Job, token: string | undefined): Promise<never> => {
    await job.moveToWait(token);
    summary.handedBack++;
    if (options.verbose) log(`job ${job.id} handed back to the queue`);
    throw new WaitingError();
  };

  const processJob = async (job: Job, token?: string, bullSignal?: AbortSignal): Promise<string> => {
    if (stopping) return handBack(job, token);
    let fit: ReturnType<typeof validateQueuedFit>;
    try {
      if (job.name !== FIT_JOB) throw new JobValidationError(`unknown job kind '${job.name}'`);
      fit = validateQueuedFit(job.data);
    } catch (e) {
      throw new UnrecoverableError(reason(e as JobValidationError));
    }
    if (fit.reglab !== REGLAB_VERSION) {
      throw new UnrecoverableError(
        `VersionError: the job was made by reglab ${fit.reglab}, this worker runs ${REGLAB_VERSION}; results would differ`,
      );
    }
    let bundle: Awaited<ReturnType<DatasetCache["get"]>>;
    try {
      bundle = await datasets.get(fit.data);
    } catch (e) {
      if (e instanceof DatasetError) throw new UnrecoverableError(reason(e));
      throw e;
    }
    const stop = new AbortController();
    active.set(String(job.id), stop);
    bullSignal?.addEventListener("abort", () => stop.abort(), { once: true });
    if (options.verbose) log(`job ${job.id} started`);
    try {
      const result = await threads.run(fit.data, bundle, fit.job, stop.signal);
      if (options.verbose) log(`job ${job.id} done in ${result.seconds.toFixed(2)} s`);
      return encodeResult(result);
    } catch (e) {
      if (e instanceof AbandonedError && stopping) return handBack(job, token);
      // The engine's errors repeat on every machine: fail the job for good, with its message.
      if (e instanceof EngineError) throw new UnrecoverableError(reason(e));
      throw new Error(reason({ name: "WorkerError", message: (e as Error).message }));
    } finally {
      active.delete(String(job.id));
    }
  };

  const worker = new Worker(options.queue ?? DEFAULT_QUEUE_NAME, processJob, {
    connection: redisOptions(address),
    prefix: QUEUE_PREFIX,
    concurrency,
    lockDuration,
    stalledInterval: lockDuration,
    maxStalledCount: 2,
    autorun: false,
    name: `reglab-worker`,
  });
  worker.on("error", (e) => report.error(e));
  worker.on("completed", () => {
    summary.completed++;
  });
  worker.on("failed", (job, e) => {
    if (e instanceof WaitingError || e.name === "WaitingError") return;
    summary.failed++;
    const retried =
      job !== undefined && e.name !== "UnrecoverableError" && job.attemptsMade < (job.opts.attempts ?? 1);
    log(`job ${job?.id ?? "?"} failed${retried ? " (will be retried)" : ""}: ${e.message}`);
  });
  worker.on("stalled", (jobId) => {
    log(`job ${jobId} stalled (its worker stopped renewing its lock): back in the queue`);
  });

  const running = worker.run();
  await worker.waitUntilReady();
  options.onReady?.(
    `${describeAddress(address)}, queue ${options.queue ?? DEFAULT_QUEUE_NAME}, ${concurrency} training thread${concurrency > 1 ? "s" : ""}`,
  );
  await new Promise<void>((resolve) => {
    if (options.signal?.aborted) return resolve();
    options.signal?.addEventListener("abort", () => resolve(), { once: true });
  });
  stopping = true;
  const closing = worker.close();
  for (const stop of active.values()) stop.abort();
  // Handing back needs Redis; without it, give up after a while: the jobs' locks expire and
  // another worker's stalled-job check puts them back.
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    closing.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), options.closeTimeoutMs ?? 10_000);
    }),
  ]);
  clearTimeout(timer);
  await threads.close();
  if (closed) {
    await running.catch((e) => report.error(e));
    await client.quit().catch(() => client.disconnect());
  } else {
    log("redis is unreachable: running jobs go back to the queue when their locks expire");
    summary.clean = false;
    void worker.disconnect().catch(() => undefined);
    client.disconnect();
  }
  return summary;
}
