/**
 * The queue's errors, in a module that loads neither BullMQ nor ioredis, so the CLI can recognise
 * them without paying for those imports on every command.
 */
import type { FitJob } from "../../experiments/jobs.js";
import { DETERMINISTIC_FAILURES } from "./codec.js";

/** Redis could not be reached when the command started. */
export class QueueConnectionError extends Error {
  override name = "QueueConnectionError";
}

export interface JobFailure {
  job: FitJob;
  /** The original error's class name (DivergenceError, ConfigError, …) and message. */
  name: string;
  message: string;
}

/** Some jobs failed; the others finished and stay in the queue for a re-run. */
export class QueueJobsFailedError extends Error {
  override name = "QueueJobsFailedError";
  constructor(readonly failures: JobFailure[]) {
    const f = failures[0];
    super(
      `${failures.length} run${failures.length > 1 ? "s" : ""} failed; the first: ${f.name}: ${f.message}`,
    );
  }
  /** True when every failure would repeat on any machine (divergence, a bad configuration). */
  get deterministic(): boolean {
    return this.failures.every((f) => DETERMINISTIC_FAILURES.includes(f.name));
  }
}
