/** Names shared by the enqueuing side and the workers. */

/** BullMQ's key prefix: every queue key starts `reglab:<queue name>:`. */
export const QUEUE_PREFIX = "reglab";
export const DEFAULT_QUEUE_NAME = "fits";
/** The BullMQ job name of a training run. */
export const FIT_JOB = "fit";
