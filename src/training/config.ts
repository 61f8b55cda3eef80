import type { Activation } from "../core/activations.js";
import { keepProbsFor, type MaskPolicy } from "../core/dropout.js";
import type { Initialization } from "../core/network.js";
import type { OptimizerSpec } from "../core/optimizers.js";
import { describeValue } from "../core/quote.js";
import { checkRegularizerSpec, type RegularizerSpec } from "../core/regularizers.js";
import {
  ARTICLE_SETTINGS,
  checkSetting,
  EXTRA_SETTINGS,
  MAX_ITERATIONS,
  rowDefaults,
  SETTINGS,
} from "./settings.js";

/** How a network is trained. Defaults are the article's: full-batch gradient descent, α = 0.3. */
export interface TrainConfig {
  learningRate: number;
  iterations: number;
  /** L2 strength λ: the cost gains λ/(2m)·Σ‖W‖², the gradient λ/m·W. */
  lambda: number;
  /** Probability of keeping a hidden unit: one value for all hidden layers or one per layer. */
  keepProb: number | number[];
  dropoutMasks: MaskPolicy;
  /** Record the cost every this many iterations (iteration 0 first). */
  costEvery: number;
  optimizer: OptimizerSpec;
  /** Examples per mini-batch; 0 means the full batch. */
  batchSize: number;
  /** α_epoch = α / (1 + decay·epoch); 0 keeps α fixed. */
  learningRateDecay: number;
  /**
   * Regularizers beside λ and keepProb, as specs (`{ kind: "l1", lambda: 0.01 }`, see
   * core/regularizers.ts): the trainer builds its one list of penalties from λ and these.
   */
  regularizers: RegularizerSpec[];
  /** Label smoothing ε: targets y·(1−ε) + ε/K, as Keras's cross-entropies (K = 2 for a sigmoid). */
  labelSmoothing: number;
  /** Decoupled weight decay wd (AdamW): w ← w − α·wd·w each step, beside the optimizer's step. */
  weightDecay: number;
  /** A learning-rate schedule: none, step:EVERY:FACTOR, exp:RATE or cosine[:WARMUP] (core/schedules.ts). */
  lrSchedule: string;
}

/** The network to build: hidden layer sizes (input and output sizes come from the data). */
export interface ModelConfig {
  hidden: number[];
  activation: Activation;
  init: Initialization;
  seed: number;
}

export type RunConfig = ModelConfig & TrainConfig;

/** The article's defaults, from the settings table's rows (settings/article-rows.ts). */
export const DEFAULT_RUN_CONFIG: Readonly<RunConfig> = Object.freeze({
  hidden: [20, 3],
  ...rowDefaults(ARTICLE_SETTINGS),
  regularizers: Object.freeze([]) as unknown as RegularizerSpec[],
  ...rowDefaults(EXTRA_SETTINGS),
} as RunConfig);

export { MAX_ITERATIONS };

/** Raised for a configuration that cannot train; the message names the setting. */
export class ConfigError extends RangeError {
  override name = "ConfigError";
}

function positiveInteger(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1)
    throw new ConfigError(`${name} must be a positive integer, got ${describeValue(v)}`);
}

/** Momentum and Adam's settings, when given (a model file may carry them): each in its range. */
function checkOptimizerSettings(o: OptimizerSpec): void {
  const s = o as Record<string, unknown>;
  for (const key of ["beta", "beta1", "beta2"]) {
    const v = s[key];
    if (v !== undefined && !(typeof v === "number" && v >= 0 && v < 1)) {
      throw new ConfigError(`optimizer ${key} must be in [0, 1), got ${describeValue(v)}`);
    }
  }
  const eps = s.epsilon;
  if (eps !== undefined && !(typeof eps === "number" && eps > 0 && Number.isFinite(eps))) {
    throw new ConfigError(`optimizer epsilon must be a positive number, got ${describeValue(eps)}`);
  }
}

/** Fills defaults and checks every value, throwing a ConfigError that names the bad one. */
export function resolveRunConfig(partial: Partial<RunConfig> = {}): RunConfig {
  const c: RunConfig = { ...DEFAULT_RUN_CONFIG, ...partial } as RunConfig;
  if (!Array.isArray(c.hidden)) throw new ConfigError("hidden must be a list of layer sizes");
  for (const n of c.hidden) positiveInteger("every hidden layer size", n);
  if (typeof c.optimizer !== "object" || c.optimizer === null)
    throw new ConfigError(`optimizer must be an object { name, … }, got ${describeValue(c.optimizer)}`);
  if (!Array.isArray(c.regularizers) || c.regularizers.length > 32)
    throw new ConfigError("regularizers must be a list of at most 32 specs");
  try {
    // Each field a row of the settings table sets, checked by its row and named by its field.
    for (const row of SETTINGS) {
      if (row.type === "number" && !row.field) continue;
      const v = (c as unknown as Record<string, unknown>)[row.field as string];
      checkSetting(row, row.type === "choice" && row.wrap ? (v as { name: unknown }).name : v, row.field);
    }
    keepProbsFor(c.keepProb, c.hidden.length);
    for (const spec of c.regularizers) checkRegularizerSpec(spec);
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  checkOptimizerSettings(c.optimizer);
  return c;
}
