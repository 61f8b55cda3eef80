/** Sweeps and seed studies over a BullMQ queue on Redis: the enqueuing side and the worker. */
export { DETERMINISTIC_FAILURES, jobIdOf } from "./codec.js";
export { DatasetError, DEFAULT_MAX_DATA_BYTES, decodeBundle, encodeBundle } from "./dataset-store.js";
export {
  enqueueSweep,
  type QueueProgress,
  type QueueRunner,
  type QueueRunnerOptions,
  queueRunner,
} from "./enqueue.js";
export { type JobFailure, QueueConnectionError, QueueJobsFailedError } from "./errors.js";
export { JobValidationError, type QueuedFit, validateQueuedFit } from "./job-schema.js";
export { DEFAULT_QUEUE_NAME } from "./names.js";
export { parseQueueUrl, type QueueAddress, QueueUrlError, redactUrl } from "./url.js";
export { type RunWorkerOptions, runWorker, type WorkerSummary } from "./worker.js";
