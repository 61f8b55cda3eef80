import { type Activation, isActivation } from "../core/activations.js";
import { keepProbsFor, MASK_POLICIES, type MaskPolicy } from "../core/dropout.js";
import { type Initialization, isInitialization } from "../core/network.js";
import { OPTIMIZERS, type OptimizerSpec } from "../core/optimizers.js";
import { describeValue } from "../core/quote.js";
import { checkRegularizerSpec, type RegularizerSpec } from "../core/regularizers.js";
import { checkSetting, SETTINGS } from "./settings.js";

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

export const DEFAULT_RUN_CONFIG: Readonly<RunConfig> = Object.freeze<RunConfig>({
  hidden: [20, 3],
  activation: "relu",
  init: "reference",
  seed: 3,
  learningRate: 0.3,
  iterations: 30_000,
  lambda: 0,
  keepProb: 1,
  dropoutMasks: "fresh",
  costEvery: 1000,
  optimizer: { name: "gd" },
  batchSize: 0,
  learningRateDecay: 0,
  regularizers: Object.freeze([]) as unknown as RegularizerSpec[],
  labelSmoothing: 0,
  weightDecay: 0,
  lrSchedule: "none",
});

/** The most iterations a run may ask for, from a flag, a model file or the playground alike. */
export const MAX_ITERATIONS = 10_000_000;

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
  if (!isActivation(c.activation)) throw new ConfigError(`unknown activation ${describeValue(c.activation)}`);
  if (!isInitialization(c.init)) throw new ConfigError(`unknown initialization ${describeValue(c.init)}`);
  if (!Number.isInteger(c.seed) || c.seed < 0 || c.seed > 0xffffffff) {
    throw new ConfigError(`seed must be an integer in [0, 2^32), got ${describeValue(c.seed)}`);
  }
  if (!(c.learningRate > 0) || !Number.isFinite(c.learningRate)) {
    throw new ConfigError(`learning rate must be a positive number, got ${describeValue(c.learningRate)}`);
  }
  positiveInteger("iterations", c.iterations);
  if (c.iterations > MAX_ITERATIONS) {
    throw new ConfigError(`iterations must be at most ${MAX_ITERATIONS}, got ${c.iterations}`);
  }
  if (!(c.lambda >= 0) || !Number.isFinite(c.lambda))
    throw new ConfigError(`lambda must be ≥ 0, got ${describeValue(c.lambda)}`);
  try {
    keepProbsFor(c.keepProb, c.hidden.length);
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  if (!MASK_POLICIES.includes(c.dropoutMasks)) {
    throw new ConfigError(`dropout masks must be 'fresh' or 'fixed', got ${describeValue(c.dropoutMasks)}`);
  }
  positiveInteger("costEvery", c.costEvery);
  if (typeof c.optimizer !== "object" || !(OPTIMIZERS as readonly string[]).includes(c.optimizer?.name)) {
    throw new ConfigError(
      `unknown optimizer ${describeValue(c.optimizer?.name)} (choose ${OPTIMIZERS.join(", ")})`,
    );
  }
  checkOptimizerSettings(c.optimizer);
  if (!Number.isInteger(c.batchSize) || c.batchSize < 0) {
    throw new ConfigError(
      `batch size must be a non-negative integer (0 = full batch), got ${describeValue(c.batchSize)}`,
    );
  }
  if (!(c.learningRateDecay >= 0) || !Number.isFinite(c.learningRateDecay))
    throw new ConfigError(`learning-rate decay must be ≥ 0, got ${describeValue(c.learningRateDecay)}`);
  if (!Array.isArray(c.regularizers) || c.regularizers.length > 32)
    throw new ConfigError("regularizers must be a list of at most 32 specs");
  try {
    for (const spec of c.regularizers) checkRegularizerSpec(spec);
    // The settings table's own fields (label smoothing, weight decay, schedule), by its rows.
    for (const row of SETTINGS) if (row.field) checkSetting(row, c[row.field]);
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  return c;
}
