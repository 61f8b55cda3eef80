import type { LayeredNetwork } from "../core/layers/network.js";
import { RandomState } from "../core/random.js";
import type { RegularizerSpec } from "../core/regularizers.js";
import type { Dataset } from "../data/dataset.js";
import { resolveRunConfig } from "./config.js";
import { type GradientCheckResult, relativeDifference } from "./gradient-check.js";
import { LayerTrainer } from "./layer-trainer.js";

/** What layeredGradientCheck takes. */
export interface LayeredCheckOptions {
  lambda?: number;
  /** L1, elastic net, Gaussian noise or dropout…, as a run's config holds them. */
  regularizers?: readonly RegularizerSpec[];
  labelSmoothing?: number;
  epsilon?: number;
  /**
   * Check at most this many entries of each weight or bias array, drawn from RandomState(0)
   * (every entry by default): a convolutional network's dense layer has tens of thousands.
   */
  perArray?: number;
  /**
   * Checks with each bias moved by biasJitter·N(0, 1) (RandomState(1)), put back afterwards. On
   * images with blank backgrounds a convolution's units see exact zeros: with zero biases they
   * sit on ReLU's kink, where finite differences see half a slope and backpropagation none.
   */
  biasJitter?: number;
}

/**
 * gradientCheck for a layered network: backpropagation's gradient against two-sided differences
 * of the cost (with L2 λ, the regularizer specs and label smoothing), one parameter at a time, with
 * the network's dropout layers and the specs' noise on under the `fixed` mask policy so every cost
 * sees the same masks and noise. The network is restored afterwards.
 */
export function layeredGradientCheck(
  network: LayeredNetwork,
  data: Dataset,
  options: LayeredCheckOptions = {},
): GradientCheckResult {
  const jitter = options.biasJitter ?? 0;
  if (jitter === 0) return check(network, data, options);
  const saved = network.biases.map((b) => b.slice());
  const rng = new RandomState(1);
  for (const b of network.biases) for (let i = 0; i < b.length; i++) b[i] += jitter * rng.gaussian();
  try {
    return check(network, data, options);
  } finally {
    for (const [k, b] of saved.entries()) network.biases[k].set(b);
  }
}

function check(network: LayeredNetwork, data: Dataset, options: LayeredCheckOptions): GradientCheckResult {
  const eps = options.epsilon ?? 1e-7;
  const config = resolveRunConfig({
    hidden: [],
    lambda: options.lambda ?? 0,
    regularizers: [...(options.regularizers ?? [])],
    labelSmoothing: options.labelSmoothing ?? 0,
    dropoutMasks: "fixed",
    learningRate: 1,
    iterations: 1,
  });
  const trainer = new LayerTrainer(network, data, config, new RandomState(0), { kernels: "js" });
  trainer.computeGradients();
  const params = network.parameters();
  const pick = new RandomState(0);
  const chosen = params.map((p) => {
    const cap = options.perArray ?? p.length;
    return p.length <= cap ? Int32Array.from(p.keys()) : pick.permutation(p.length).subarray(0, cap).sort();
  });
  const count = chosen.reduce((s, c) => s + c.length, 0);
  const analytic = new Float64Array(count);
  const numeric = new Float64Array(count);
  let k = 0;
  for (let p = 0; p < params.length; p++) {
    const theta = params[p];
    for (const i of chosen[p]) {
      analytic[k] = trainer.gradients[p][i];
      const saved = theta[i];
      theta[i] = saved + eps;
      const plus = trainer.computeCost();
      theta[i] = saved - eps;
      const minus = trainer.computeCost();
      theta[i] = saved;
      numeric[k++] = (plus - minus) / (2 * eps);
    }
  }
  return {
    relativeDifference: relativeDifference(analytic, numeric),
    analytic,
    numeric,
    parameterCount: count,
  };
}
