/**
 * How much memory training a network takes, estimated before anything is allocated, so a network
 * that cannot fit is refused with the estimate instead of failing deep inside an allocation.
 */
import { keepProbsFor } from "../core/dropout.js";
import { ConfigError, type TrainConfig } from "./config.js";

/** The most training may take: the WebAssembly kernels' 32-bit memory holds at most 4 GiB. */
export const MAX_TRAINING_BYTES = 4 * 1024 ** 3;

const DOUBLE = 8;

/** Weights and biases of a network with layer sizes `sizes` ([n_x, …hidden, 1]). */
export function parameterCount(sizes: readonly number[]): number {
  let n = 0;
  for (let l = 1; l < sizes.length; l++) n += sizes[l] * (sizes[l - 1] + 1);
  return n;
}

/**
 * Bytes to train `sizes` on `examples` examples (0 when unknown: the parameters alone): the
 * network, the trainer's copy, the gradients and the optimizer's state, plus per example of a
 * batch each layer's pre-activations, activations, gradients and dropout masks.
 */
export function estimateTrainingBytes(
  sizes: readonly number[],
  examples = 0,
  config: Partial<Pick<TrainConfig, "batchSize" | "optimizer" | "keepProb">> = {},
): number {
  const params = parameterCount(sizes);
  const state = config.optimizer?.name === "adam" ? 2 : config.optimizer?.name === "momentum" ? 1 : 0;
  const batch = config.batchSize && config.batchSize < examples ? config.batchSize : examples;
  let perExample = sizes[0] + 1;
  let keep: number[] = [];
  try {
    keep = keepProbsFor(config.keepProb ?? 1, sizes.length - 2);
  } catch {
    // An invalid keepProb is reported by the config check; count no masks here.
  }
  for (let l = 1; l < sizes.length; l++) perExample += sizes[l] * (3 + ((keep[l - 1] ?? 1) < 1 ? 2 : 0));
  return DOUBLE * (params * (3 + state) + perExample * batch);
}

/** "320 GB", "1.5 GB", "12 MB": decimal units, as people estimate memory. */
function formatEstimate(bytes: number): string {
  const units = ["bytes", "kB", "MB", "GB", "TB", "PB"];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${bytes} bytes` : `${v >= 10 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

/** Throws a ConfigError, with the estimate, when training `sizes` would need more than `limit` bytes. */
export function checkTrainingMemory(
  sizes: readonly number[],
  examples = 0,
  config: Partial<Pick<TrainConfig, "batchSize" | "optimizer" | "keepProb">> = {},
  limit = MAX_TRAINING_BYTES,
): void {
  const bytes = estimateTrainingBytes(sizes, examples, config);
  if (bytes <= limit) return;
  const weights = parameterCount(sizes).toLocaleString("en-US");
  const data = examples > 0 ? ` on ${examples} examples` : "";
  throw new ConfigError(
    `the network [${sizes.join(", ")}] has ${weights} weights; training it${data} needs about ` +
      `${formatEstimate(bytes)}, more than the ${formatEstimate(limit)} reglab allows; use smaller layers` +
      (examples > 0 ? " or a --batch-size" : ""),
  );
}
