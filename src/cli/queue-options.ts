/**
 * `--queue URL` for the commands that run many jobs (sweep, compare --seeds): the runner on the
 * queue with progress and an ETA on stderr, and failed runs reported as a table.
 */
import type { Command } from "commander";
import type { DataBundle } from "../data/dataset.js";
import type { FitJob, JobRunner } from "../experiments/jobs.js";
import { DatasetError } from "../node/queue/dataset-store.js";
import type { QueueProgress, QueueRunner } from "../node/queue/enqueue.js";
import { QueueConnectionError, QueueJobsFailedError } from "../node/queue/errors.js";
import { parseQueueUrl, QueueUrlError, redactUrl } from "../node/queue/url.js";
import { textTable } from "./report-text.js";
import { ExitStatus, type Io, UsageError } from "./runtime.js";

export function addQueueOption(cmd: Command): void {
  cmd.option(
    "--queue <url>",
    "run the jobs on the workers of a Redis queue, redis://[user:pass@]host:port[/db] or rediss:// " +
      "(see reglab worker; the password may come from REGLAB_QUEUE_PASSWORD instead)",
  );
}

/** The queue password from the environment, which keeps it out of `ps` output. */
export function queuePassword(): { password?: string } {
  const password = process.env.REGLAB_QUEUE_PASSWORD;
  return password ? { password } : {};
}

/** Checks the URL before any data is loaded or work done. */
export function checkQueueUrl(url: string): void {
  try {
    parseQueueUrl(url);
  } catch (e) {
    if (e instanceof QueueUrlError) throw new UsageError(e.message);
    throw e;
  }
}

const clock = (s: number) =>
  s < 90 ? `${Math.round(s)} s` : s < 5400 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`;

/**
 * Progress lines: what was already done, then every tenth of the rest (or a live line on a
 * terminal) with an ETA from the rate of runs finished since this command started.
 */
function queueProgress(io: Io, label: string, quiet: boolean) {
  let t0 = 0;
  let step = 1;
  let batch = 0;
  return (p: QueueProgress) => {
    if (quiet) return;
    if (p.batch !== batch) {
      batch = p.batch;
      t0 = io.now();
      step = Math.max(1, Math.round((p.total - p.done) / 10));
      const runs = p.total === 1 ? "1 run" : `${p.total} runs`;
      io.err(`${label}: ${runs} on the queue, ${p.reused} already done\n`);
      if (p.done < p.total) return;
    }
    const fresh = p.done - p.reused;
    if (fresh <= 0) return;
    const elapsed = (io.now() - t0) / 1000;
    const eta = (elapsed / fresh) * (p.total - p.done);
    const failed = p.failed > 0 ? `, ${p.failed} failed` : "";
    const line = `${label}: ${p.done}/${p.total} runs done${failed}, eta ${clock(eta)}`;
    if (io.errIsTTY) io.err(`\r\x1b[2K${line}${p.done === p.total ? "\n" : ""}`);
    else if (fresh % step === 0 || p.done === p.total) io.err(`${line}\n`);
  };
}

/** The queue's runner; BullMQ is loaded on the first batch, so other commands never pay for it. */
export function openQueueRunner(
  io: Io,
  bundle: DataBundle,
  url: string,
  label: string,
  quiet = false,
): QueueRunner {
  let inner: Promise<QueueRunner> | undefined;
  const open = () =>
    (inner ??= import("../node/queue/enqueue.js").then((m) =>
      m.queueRunner(bundle, {
        url,
        ...queuePassword(),
        signal: io.signal,
        log: (line) => io.err(`${label}: ${line}\n`),
        onProgress: queueProgress(io, label, quiet),
      }),
    ));
  const run: JobRunner = (jobs, onResult) => open().then((r) => r(jobs, onResult));
  return Object.assign(run, { close: async () => (await inner?.catch(() => undefined))?.close() });
}

/** "the queue at redis://host:6379" without the password. */
export const queueWhere = (url: string) => `the queue at ${redactUrl(url)}`;

/**
 * Failed runs as a table on stderr; exit 2 when every failure is the input's fault (divergence, a
 * bad configuration), which repeats on any machine, 1 otherwise.
 */
export function reportQueueFailures(io: Io, e: unknown, describe: (job: FitJob) => string): never {
  if (e instanceof QueueConnectionError || e instanceof DatasetError) throw new UsageError(e.message);
  if (!(e instanceof QueueJobsFailedError)) throw e;
  const rows = e.failures.map((f) => [describe(f.job), f.name, f.message]);
  io.err(`${textTable(["run", "failure", "message"], rows)}\n`);
  io.err(
    `reglab: ${e.failures.length} run${e.failures.length > 1 ? "s" : ""} failed (listed above); the others are kept in the queue for a re-run\n`,
  );
  throw new ExitStatus(e.deterministic ? 2 : 1);
}
