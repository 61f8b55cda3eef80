import type { Network } from "../core/network.js";
import { type Pace, runSteps, runStepsPaced, type Steps } from "../core/pace.js";
import { RandomState } from "../core/random.js";
import type { Regularizer, RegularizerSpec } from "../core/regularizers.js";
import type { Dataset } from "../data/dataset.js";
import { resolveRunConfig } from "./config.js";
import { Trainer } from "./trainer.js";
import { validateTrainerInput } from "./validate-input.js";

export interface GradientCheckOptions {
  lambda?: number;
  /**
   * With dropout (or noise) the masks are drawn by the `fixed` policy, so every cost sees the
   * same ones.
   */
  keepProb?: number | number[];
  /** The run's regularizer specs: the checked trainer builds the same list of penalties. */
  regularizers?: RegularizerSpec[];
  /** Regularizer objects of your own, beside the specs. */
  extra?: readonly Regularizer[];
  labelSmoothing?: number;
  /** Half-width of the two-sided difference. */
  epsilon?: number;
}

export interface GradientCheckResult {
  /** ‖g − ĝ‖ / (‖g‖ + ‖ĝ‖) over all parameters: below 1e-7 is right, above 1e-3 is a bug. */
  relativeDifference: number;
  analytic: Float64Array;
  numeric: Float64Array;
  parameterCount: number;
}

/**
 * Compares backpropagation's gradient with two-sided finite differences of the cost,
 * (J(θ + ε) − J(θ − ε)) / 2ε, one parameter at a time. The network is restored afterwards.
 */
export function gradientCheck(
  network: Network,
  data: Dataset,
  options: GradientCheckOptions = {},
): GradientCheckResult {
  return runSteps(gradientCheckSteps(network, data, options));
}

/**
 * {@link gradientCheck} that can be stopped: it yields to the caller's event loop now and then and
 * throws Interrupted once `pace.signal` is aborted (the network is then restored too). Same numbers.
 */
export function gradientCheckPaced(
  network: Network,
  data: Dataset,
  options: GradientCheckOptions,
  pace: Pace,
): Promise<GradientCheckResult> {
  const count = network.parameters().reduce((s, p) => s + p.length, 0);
  return runStepsPaced(
    gradientCheckSteps(network, data, options),
    pace,
    (k) => `gradient check interrupted at parameter ${k} of ${count}`,
  );
}

/** A step per parameter: two costs each. */
function* gradientCheckSteps(
  network: Network,
  data: Dataset,
  options: GradientCheckOptions,
): Steps<GradientCheckResult> {
  validateTrainerInput(network, data, "gradientCheck");
  const eps = options.epsilon ?? 1e-7;
  const config = resolveRunConfig({
    hidden: network.sizes.slice(1, -1),
    lambda: options.lambda ?? 0,
    keepProb: options.keepProb ?? 1,
    dropoutMasks: "fixed",
    learningRate: 1,
    iterations: 1,
    regularizers: options.regularizers ?? [],
    labelSmoothing: options.labelSmoothing ?? 0,
  });
  const trainer = new Trainer(network, data, config, new RandomState(0), { regularizers: options.extra });
  trainer.computeGradients();
  const params = network.parameters();
  const count = params.reduce((s, p) => s + p.length, 0);
  const analytic = new Float64Array(count);
  const numeric = new Float64Array(count);
  let k = 0;
  for (let p = 0; p < params.length; p++) {
    const theta = params[p];
    for (let i = 0; i < theta.length; i++, k++) {
      analytic[k] = trainer.gradients[p][i];
      const saved = theta[i];
      theta[i] = saved + eps;
      const plus = trainer.computeCost();
      theta[i] = saved - eps;
      const minus = trainer.computeCost();
      theta[i] = saved;
      numeric[k] = (plus - minus) / (2 * eps);
      yield;
    }
  }
  return {
    relativeDifference: relativeDifference(analytic, numeric),
    analytic,
    numeric,
    parameterCount: count,
  };
}

/**
 * ‖analytic − numeric‖ / (‖analytic‖ + ‖numeric‖), 0 when both are 0. The norms are taken of the
 * values scaled by the largest magnitude, so gradients near 1e200 do not overflow when squared.
 */
export function relativeDifference(analytic: Float64Array, numeric: Float64Array): number {
  let scale = 0;
  for (let i = 0; i < analytic.length; i++)
    scale = Math.max(scale, Math.abs(analytic[i]), Math.abs(numeric[i]));
  if (scale === 0) return 0;
  let diff = 0;
  let na = 0;
  let nn = 0;
  for (let i = 0; i < analytic.length; i++) {
    const a = analytic[i] / scale;
    const n = numeric[i] / scale;
    diff += (a - n) ** 2;
    na += a * a;
    nn += n * n;
  }
  return Math.sqrt(diff) / (Math.sqrt(na) + Math.sqrt(nn));
}
