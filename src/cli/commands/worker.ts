import { type Command, Option } from "commander";
import { QueueConnectionError } from "../../node/queue/errors.js";
import { QueueUrlError } from "../../node/queue/url.js";
import type { WorkerSummary } from "../../node/queue/worker.js";
import { positiveInteger } from "../parse.js";
import { checkQueueUrl, queuePassword } from "../queue-options.js";
import { ExitStatus, type Io, UsageError } from "../runtime.js";

interface WorkerOptions {
  queue: string;
  concurrency?: number;
  lockDuration?: number;
  verbose?: boolean;
}

export function registerWorker(program: Command, io: Io): void {
  program
    .command("worker")
    .summary("run training jobs from a Redis queue (for sweep/compare --queue) until stopped")
    .description(
      "Take training runs from the queue that `reglab sweep --queue` and `reglab compare --seeds N --queue`\n" +
        "fill, and run them on local worker threads, --concurrency at a time, until stopped. Start one on\n" +
        "every machine that should help. Ctrl+C or SIGTERM hands the running jobs back to the queue at once\n" +
        "for another worker (a second signal quits without waiting); a worker killed outright has its jobs\n" +
        "retried elsewhere once their locks expire (--lock-duration). Every job is checked as strictly as\n" +
        "the command-line flags; one that fails in the engine (divergence, a bad configuration) fails alone\n" +
        "and is not retried.",
    )
    .addOption(
      new Option(
        "--queue <url>",
        "redis://[user:pass@]host:port[/db], or rediss:// for TLS (the password may come from REGLAB_QUEUE_PASSWORD)",
      )
        .env("REGLAB_QUEUE")
        .makeOptionMandatory(),
    )
    .option("--concurrency <n>", "jobs at once, each on its own thread (default: all cores)", positiveInteger)
    .option(
      "--lock-duration <ms>",
      "how soon a dead worker's jobs are retried elsewhere (default 30000)",
      positiveInteger,
    )
    .option("--verbose", "one line per job started, done or handed back")
    .addHelpText(
      "after",
      `
Examples:
  $ reglab worker --queue redis://localhost:6379
  $ reglab worker --queue rediss://reglab:secret@queue.lan:6380/0 --concurrency 8`,
    )
    .action(async (o: WorkerOptions) => {
      checkQueueUrl(o.queue);
      // SIGINT arrives through io.signal; a service manager stops workers with SIGTERM.
      const stop = new AbortController();
      let signals = 0;
      const onSigterm = () => {
        if (++signals > 1) process.exit(143);
        stop.abort();
      };
      const onAbort = () => stop.abort();
      process.on("SIGTERM", onSigterm);
      io.signal.addEventListener("abort", onAbort, { once: true });
      const log = (line: string) => io.err(`worker: ${line}\n`);
      let summary: WorkerSummary;
      try {
        // BullMQ takes a second to load: only the worker command pays for it.
        const { runWorker } = await import("../../node/queue/worker.js");
        summary = await runWorker({
          url: o.queue,
          ...queuePassword(),
          ...(o.concurrency !== undefined && { concurrency: o.concurrency }),
          ...(o.lockDuration !== undefined && { lockDuration: o.lockDuration }),
          signal: stop.signal,
          log,
          verbose: o.verbose ?? false,
          onReady: (what) => log(`taking jobs from ${what}`),
        });
        log(
          `stopped: ${summary.completed} jobs done, ${summary.failed} failed, ${summary.handedBack} handed back to the queue`,
        );
      } catch (e) {
        if (e instanceof QueueUrlError || e instanceof QueueConnectionError) throw new UsageError(e.message);
        throw e;
      } finally {
        process.off("SIGTERM", onSigterm);
        io.signal.removeEventListener("abort", onAbort);
      }
      // A service manager's SIGTERM is a normal stop (0); Ctrl-C is an interruption (130).
      const code = signals > 0 || !io.signal.aborted ? 0 : 130;
      if (!summary.clean) process.exit(code);
      if (code) throw new ExitStatus(code);
    });
}
