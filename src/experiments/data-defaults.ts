/**
 * The configuration a run starts from, chosen by the data — one rule for every command (train,
 * sweep, compare's model sets): RGB images get the course's cat model, grayscale images a small
 * Adam net, plain features the article's network. Flags and model overrides go on top.
 */
import type { DataBundle, ImageShape } from "../data/dataset.js";
import { DEFAULT_RUN_CONFIG, type RunConfig } from "../training/config.js";
import { parameterCount } from "../training/memory.js";

export type DataKind = "football" | "rgb-images" | "grayscale-images";

export interface DataDefaults {
  kind: DataKind;
  /** What the defaults are, in a few words, for the Model line and compare's header. */
  description: string;
  /** The configuration under the user's flags (DEFAULT_RUN_CONFIG fills the rest). */
  base: Partial<RunConfig>;
}

/** The course's cat model: [n_x, 20, 7, 5, 1], ReLU/sigmoid, reference init, α = 0.0075, full batch. */
export const CAT_BASE: Partial<RunConfig> = {
  hidden: [20, 7, 5],
  learningRate: 0.0075,
  init: "reference",
  iterations: 1000,
  costEvery: 100,
};

/** A small net for digits: [n_x, 64, K], Adam, mini-batches of 64 (converges in a few thousand steps). */
export const DIGIT_BASE: Partial<RunConfig> = {
  hidden: [64],
  learningRate: 0.001,
  optimizer: { name: "adam" },
  batchSize: 64,
  iterations: 2000,
  costEvery: 200,
};

/** Training digits `--dataset digits` uses without --train-size (a minute or less on two cores). */
export const DIGITS_DEFAULT_TRAIN_SIZE = 1000;

const KINDS: Record<DataKind, DataDefaults> = {
  "rgb-images": { kind: "rgb-images", description: "RGB images: the course's cat model", base: CAT_BASE },
  "grayscale-images": {
    kind: "grayscale-images",
    description: "grayscale images: a small Adam net",
    base: DIGIT_BASE,
  },
  football: { kind: "football", description: "plain features: the article's network", base: {} },
};

/** The rule: images of 3 or more channels → the cat model, one channel → the digit net, else the article's. */
export function defaultsForShape(shape: ImageShape | undefined): DataDefaults {
  if (shape && shape.channels >= 3) return KINDS["rgb-images"];
  if (shape) return KINDS["grayscale-images"];
  return KINDS.football;
}

/** The defaults for a bundle's training data. */
export function defaultsFor(data: DataBundle): DataDefaults {
  return defaultsForShape(data.train.shape);
}

/** "[n_x, 20, 7, 5, 1], gradient descent α = 0.0075, full batch, 1 000 iterations" (for --help). */
function describeBase(base: Partial<RunConfig>, outputs: string): string {
  const c = { ...DEFAULT_RUN_CONFIG, ...base };
  const optimizer =
    c.optimizer.name === "adam" ? "Adam" : c.optimizer.name === "gd" ? "gradient descent" : c.optimizer.name;
  const batch = c.batchSize > 0 ? `batches of ${c.batchSize}` : "full batch";
  return (
    `[n_x, ${c.hidden.join(", ")}, ${outputs}] ${c.activation}, ${optimizer} α = ${c.learningRate}, ` +
    `${batch}, ${c.iterations.toLocaleString("en-US")} iterations`
  );
}

/** The rule in words, one line per kind of data, for --help. */
export function defaultsHelp(): string {
  return [
    "Defaults by data (the rule compare uses too; every flag you give overrides them):",
    `  plain features    the article's network ${describeBase(KINDS.football.base, "1")}`,
    `  RGB images        the course's cat model ${describeBase(CAT_BASE, "1")}`,
    `  grayscale images  a small Adam net ${describeBase(DIGIT_BASE, "K")}`,
    `  --dataset digits trains on ${DIGITS_DEFAULT_TRAIN_SIZE.toLocaleString("en-US")} of the 60 000 digits unless --train-size says otherwise.`,
  ].join("\n");
}

/**
 * Floating-point work per second the estimate assumes, and a fixed cost per iteration (the small
 * networks' bookkeeping): measured on two cores, the football run ([2, 20, 3, 1], 30 000
 * iterations) and the cat model (200 iterations on 209 images).
 */
const FLOPS_PER_SECOND = 2e10;
const SECONDS_PER_ITERATION = 1e-4;

/**
 * About how long a run takes, in seconds: forward and backward cost about 6 floating-point
 * operations per weight and example of each batch. A rough guide for warnings, not a promise.
 */
export function estimateSeconds(sizes: readonly number[], examples: number, config: RunConfig): number {
  const batch = config.batchSize > 0 && config.batchSize < examples ? config.batchSize : examples;
  const perIteration = (6 * parameterCount(sizes) * batch) / FLOPS_PER_SECOND + SECONDS_PER_ITERATION;
  return config.iterations * perIteration;
}

/**
 * The layered (convolutional) networks' rate: im2col products and col2im reach far less than the
 * dense kernels. Measured on two shared cores (load about 10): the digits CNN at 0.4e9 operations
 * per second, the cats CNN's full-batch step (bench/cnn.mjs) at about the same.
 */
const LAYERED_FLOPS_PER_SECOND = 1e9;

/** estimateSeconds for a layered network of `multiplyAdds` per example (6 operations per multiply-add, forward and backward). */
export function estimateLayeredSeconds(multiplyAdds: number, examples: number, config: RunConfig): number {
  const batch = config.batchSize > 0 && config.batchSize < examples ? config.batchSize : examples;
  return config.iterations * ((6 * multiplyAdds * batch) / LAYERED_FLOPS_PER_SECOND + SECONDS_PER_ITERATION);
}

/** Runs estimated above this many seconds are announced before they start. */
export const LONG_RUN_SECONDS = 180;

/** "2.4 hours", "12 minutes", "40 s". */
export function formatDuration(seconds: number): string {
  if (seconds >= 5400) return `${(seconds / 3600).toFixed(1)} hours`;
  if (seconds >= 90) return `${Math.round(seconds / 60)} minutes`;
  return `${Math.round(seconds)} s`;
}
