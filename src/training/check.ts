/**
 * The article's monitoring advice as checks a user can run before a long job: with dropout off the
 * cost of gradient descent should fall at every iteration; with dropout on it may wobble but
 * should fall overall; and backpropagation's gradient should match finite differences.
 */
import { outputUnits } from "../core/heads.js";
import type { LayerSpec } from "../core/layers/spec.js";
import type { Pace } from "../core/pace.js";
import { RandomState } from "../core/random.js";
import { buildRegularizer, type RegularizerSpec } from "../core/regularizers.js";
import type { Dataset } from "../data/dataset.js";
import { subset } from "../data/dataset.js";
import { buildNetwork } from "./build.js";
import type { Callback, TrainContext } from "./callbacks.js";
import { type RunConfig, resolveRunConfig } from "./config.js";
import { DivergenceError } from "./errors.js";
import { scoreNetwork } from "./evaluate.js";
import { gradientCheck, gradientCheckPaced } from "./gradient-check.js";
import { layeredGradientCheck } from "./layer-gradient-check.js";
import { fitLayered, layeredNetworkFor } from "./layer-trainer.js";
import { fit, type TrainOptions } from "./train.js";

/** A rise smaller than this fraction of the cost is rounding, not a rise. */
export const RISE_TOLERANCE = 1e-10;

export interface Rise {
  /** The iteration whose cost is higher than the one before it. */
  iteration: number;
  from: number;
  to: number;
  /** to − from (> 0). */
  increase: number;
  /** increase / from. */
  relative: number;
}

export interface MonotonicReport {
  monotonic: boolean;
  /** Number of costs compared. */
  points: number;
  firstCost: number;
  lastCost: number;
  firstRise?: Rise;
  /** The rise largest relative to the cost before it. */
  largestRise?: Rise;
  /** The rise largest in absolute terms (mini-batch runs judge it against the first cost). */
  largestIncrease?: Rise;
  rises: number;
  /** Mean of the last tenth of the costs below the mean of the first tenth. */
  fellOverall: boolean;
}

/**
 * Scans a cost sequence for rises: `costs[k]` above `costs[k−1]` by more than
 * `tolerance`·|costs[k−1]|. `iterations[k]` names each cost's iteration.
 */
export function analyzeMonotonic(
  iterations: readonly number[],
  costs: readonly number[],
  tolerance = RISE_TOLERANCE,
): MonotonicReport {
  if (iterations.length !== costs.length) throw new RangeError("iterations and costs differ in length");
  if (costs.length === 0) throw new RangeError("no costs to check");
  let rises = 0;
  let firstRise: Rise | undefined;
  let largestRise: Rise | undefined;
  let largestIncrease: Rise | undefined;
  for (let k = 1; k < costs.length; k++) {
    const increase = costs[k] - costs[k - 1];
    if (increase > tolerance * Math.abs(costs[k - 1]) || Number.isNaN(costs[k])) {
      rises++;
      const from = costs[k - 1];
      const rise = { iteration: iterations[k], from, to: costs[k], increase, relative: increase / from };
      firstRise ??= rise;
      if (!largestRise || !(rise.relative <= largestRise.relative)) largestRise = rise;
      if (!largestIncrease || !(rise.increase <= largestIncrease.increase)) largestIncrease = rise;
    }
  }
  const tenth = Math.max(1, Math.floor(costs.length / 10));
  const avg = (a: readonly number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  return {
    monotonic: rises === 0,
    points: costs.length,
    firstCost: costs[0],
    lastCost: costs[costs.length - 1],
    ...(firstRise && { firstRise, largestRise, largestIncrease }),
    rises,
    fellOverall: avg(costs.slice(-tenth)) < avg(costs.slice(0, tenth)),
  };
}

/**
 * With mini-batches the cost each step reports is one batch's, noisy by nature; this callback
 * records the cost on the whole training set (with the trainer's penalties, without dropout or
 * noise) at every epoch end instead, the sequence gradient descent is meant to lower.
 */
export function epochCostRecorder(data: Dataset): Callback & { iterations: number[]; costs: number[] } {
  const iterations: number[] = [];
  const costs: number[] = [];
  let epoch = 0;
  const record = (ctx: TrainContext, iteration: number) => {
    const m = data.X.cols;
    const penalty = ctx.trainer.penaltyCost?.(ctx.network.weights, m) ?? 0;
    iterations.push(iteration);
    costs.push(scoreNetwork(ctx.network, data).cost + penalty);
  };
  return {
    iterations,
    costs,
    onTrainBegin(ctx: TrainContext) {
      epoch = ctx.trainer.epoch;
      record(ctx, 0);
    },
    onIterationEnd(ctx: TrainContext, i: number) {
      if (ctx.trainer.epoch !== epoch) {
        epoch = ctx.trainer.epoch;
        record(ctx, i + 1);
      }
    },
  };
}

/**
 * How large the run's largest rise is, as a share: of the cost just before it for full-batch
 * gradient descent, whose cost should fall at every step; of the run's first cost for
 * mini-batches, whose epoch-end costs are a stochastic sequence that near zero rises by large
 * shares of almost nothing (a CNN under Adam: +44 % of 0.006 after falling from 2.8).
 */
export function riseShare(report: MonotonicReport, perEpoch: boolean): number {
  if (!report.largestRise || !report.largestIncrease) return 0;
  return perEpoch
    ? report.largestIncrease.increase / Math.abs(report.firstCost)
    : report.largestRise.relative;
}

/**
 * `pass`: the cost fell at every step (dropout off) or fell overall (dropout on); `warn`: dropout
 * off, the cost rose now and then but never by more than `maxRise` (see riseShare) and fell overall —
 * gradient descent oscillating at a learning rate near its stability limit (a pass, reported);
 * `fail`: a larger rise, no overall fall, or divergence.
 */
export type CheckStatus = "pass" | "warn" | "fail";

export interface CostCheck {
  /** "dropout off" or "dropout on". */
  name: string;
  status: CheckStatus;
  passed: boolean;
  iterations: number;
  /** Whether the costs are per iteration (full batch) or per epoch on the whole set (mini-batches). */
  per: "iteration" | "epoch";
  report?: MonotonicReport;
  /** Set when training blew up. */
  diverged?: { iteration: number; message: string };
  trainAccuracy?: number;
  keepProb: number | number[];
}

export interface GradientCheckSummary {
  passed: boolean;
  relativeDifference: number;
  threshold: number;
  examples: number;
  parameters: number;
}

export interface CheckReport {
  passed: boolean;
  dropoutOff: CostCheck;
  /** Absent when the configuration has neither dropout nor training noise. */
  dropoutOn?: CostCheck;
  gradient: GradientCheckSummary;
}

export interface CheckOptions {
  /** Iterations for each cost run (at most the configuration's own); default 2000. */
  iterations?: number;
  /** Examples for the gradient check (a seeded sample of the training set); default 16. */
  gradientExamples?: number;
  /** The gradient check passes below this relative difference; default 1e-6. */
  gradientThreshold?: number;
  /**
   * With dropout off, rises up to this fraction of the cost before them are a warning, larger
   * ones a failure; default 0.01. 0 makes any rise a failure.
   */
  maxRise?: number;
  /** Training options for each run (progress, abort signal). */
  trainOptions?: (name: string) => TrainOptions;
  /** Lets the gradient check yield and be stopped (it throws Interrupted once aborted). */
  pace?: Pace;
  /** Called as each check starts: "dropout off", "dropout on", "gradient check". */
  onPhase?: (name: string) => void;
  /** Hidden layers of a layered network (convolution, pooling, …) to check instead of the dense one. */
  layers?: readonly LayerSpec[];
}

export const DEFAULT_CHECK_ITERATIONS = 2000;
/** A layered network's gradient check takes this many entries of each weight and bias array. */
export const LAYERED_CHECK_PER_ARRAY = 100;
export const DEFAULT_GRADIENT_THRESHOLD = 1e-6;
export const DEFAULT_MAX_RISE = 0.01;

/** Whether a regularizer spec injects noise (Gaussian noise or dropout): dropout's kin. */
const isNoise = (spec: RegularizerSpec) => buildRegularizer(spec).noise !== undefined;

/** Dropout or training noise: either makes each step's cost a random draw. */
function hasDropout(config: Pick<RunConfig, "keepProb" | "regularizers">): boolean {
  const keep = config.keepProb;
  return (Array.isArray(keep) ? keep : [keep]).some((p) => p < 1) || config.regularizers.some(isNoise);
}

async function costRun(
  data: Dataset,
  config: RunConfig,
  name: string,
  options: CheckOptions,
): Promise<CostCheck> {
  const perEpoch = config.batchSize > 0 && config.batchSize < data.X.cols;
  const recorder = perEpoch ? epochCostRecorder(data) : undefined;
  options.onPhase?.(name);
  const extra = options.trainOptions?.(name) ?? {};
  const base: CostCheck = {
    name,
    status: "fail",
    passed: false,
    iterations: config.iterations,
    per: perEpoch ? "epoch" : "iteration",
    keepProb: config.keepProb,
  };
  try {
    const runOptions = {
      ...extra,
      callbacks: [...(recorder ? [recorder] : []), ...(extra.callbacks ?? [])],
    };
    const r = options.layers
      ? await fitLayered(data, options.layers, { ...config, costEvery: 1 }, runOptions)
      : await fit(data, { ...config, costEvery: 1 }, runOptions);
    const report = recorder
      ? analyzeMonotonic(recorder.iterations, recorder.costs)
      : analyzeMonotonic(r.history.iterations, r.history.costs);
    const maxRise = options.maxRise ?? DEFAULT_MAX_RISE;
    const status: CheckStatus = !report.fellOverall
      ? "fail"
      : hasDropout(config) || report.monotonic
        ? "pass"
        : riseShare(report, perEpoch) <= maxRise
          ? "warn"
          : "fail";
    return {
      ...base,
      iterations: r.history.iterationsRun,
      status,
      passed: status !== "fail",
      report,
      trainAccuracy: scoreNetwork(r.network, data).accuracy,
    };
  } catch (e) {
    if (!(e instanceof DivergenceError)) throw e;
    return { ...base, diverged: { iteration: e.iteration, message: e.message } };
  }
}

/**
 * Runs the checks on a configuration: (1) dropout off, the cost at every iteration (or, with
 * mini-batches, on the whole training set at every epoch end) must never rise; (2) with the
 * configuration's dropout, the cost must fall overall (rises are expected: each step trains a
 * different thinned network); (3) the gradient check on a few examples at the initial weights,
 * with the configuration's λ and (fixed) dropout masks.
 */
export async function runChecks(
  data: Dataset,
  config: Partial<RunConfig>,
  options: CheckOptions = {},
): Promise<CheckReport> {
  const full = resolveRunConfig(config);
  const iterations = Math.min(full.iterations, options.iterations ?? DEFAULT_CHECK_ITERATIONS);
  const run = { ...full, iterations };
  // "Dropout off" turns off training noise too: the cost must then fall at every step.
  const quiet = { ...run, keepProb: 1, regularizers: run.regularizers.filter((s) => !isNoise(s)) };
  const dropoutOff = await costRun(data, quiet, "dropout off", options);
  const dropoutOn = hasDropout(full) ? await costRun(data, run, "dropout on", options) : undefined;

  const m = data.X.cols;
  const k = Math.min(m, options.gradientExamples ?? 16);
  const order = new RandomState(full.seed).permutation(m);
  const sample = subset(data, order.subarray(0, k));
  // The same head the runs train: a softmax over K outputs for K ≥ 3 classes.
  const dense = () => buildNetwork(data.X.rows, full, new RandomState(full.seed), 0, outputUnits(data.y));
  const settings = {
    lambda: full.lambda,
    keepProb: full.keepProb,
    regularizers: full.regularizers,
    labelSmoothing: full.labelSmoothing,
  };
  options.onPhase?.("gradient check");
  const g = options.layers
    ? layeredGradientCheck(layeredNetworkFor(data, options.layers, full), sample, {
        lambda: full.lambda,
        regularizers: full.regularizers,
        labelSmoothing: full.labelSmoothing,
        perArray: LAYERED_CHECK_PER_ARRAY,
        biasJitter: 0.01,
      })
    : options.pace
      ? await gradientCheckPaced(dense(), sample, settings, options.pace)
      : gradientCheck(dense(), sample, settings);
  const threshold = options.gradientThreshold ?? DEFAULT_GRADIENT_THRESHOLD;
  const gradient: GradientCheckSummary = {
    passed: g.relativeDifference < threshold,
    relativeDifference: g.relativeDifference,
    threshold,
    examples: k,
    parameters: g.parameterCount,
  };
  return {
    passed: dropoutOff.passed && (dropoutOn?.passed ?? true) && gradient.passed,
    dropoutOff,
    ...(dropoutOn && { dropoutOn }),
    gradient,
  };
}
