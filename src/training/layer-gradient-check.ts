import type { LayeredNetwork } from "../core/layers/network.js";
import { RandomState } from "../core/random.js";
import type { Dataset } from "../data/dataset.js";
import { resolveRunConfig } from "./config.js";
import type { GradientCheckResult } from "./gradient-check.js";
import { LayerTrainer } from "./layer-trainer.js";

/**
 * gradientCheck for a layered network: backpropagation's gradient against two-sided differences
 * of the cost (with L2 λ), one parameter at a time, with the network's dropout layers on under the
 * `fixed` mask policy so every cost sees the same masks. The network is restored afterwards.
 */
export function layeredGradientCheck(
  network: LayeredNetwork,
  data: Dataset,
  options: { lambda?: number; epsilon?: number } = {},
): GradientCheckResult {
  const eps = options.epsilon ?? 1e-7;
  const config = resolveRunConfig({
    hidden: [],
    lambda: options.lambda ?? 0,
    dropoutMasks: "fixed",
    learningRate: 1,
    iterations: 1,
  });
  const trainer = new LayerTrainer(network, data, config, new RandomState(0), { kernels: "js" });
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
    }
  }
  let scale = 0;
  for (let i = 0; i < count; i++) scale = Math.max(scale, Math.abs(analytic[i]), Math.abs(numeric[i]));
  let diff = 0;
  let na = 0;
  let nn = 0;
  for (let i = 0; i < count; i++) {
    const a = analytic[i] / scale;
    const n = numeric[i] / scale;
    diff += (a - n) ** 2;
    na += a * a;
    nn += n * n;
  }
  return {
    relativeDifference: scale === 0 ? 0 : Math.sqrt(diff) / (Math.sqrt(na) + Math.sqrt(nn)),
    analytic,
    numeric,
    parameterCount: count,
  };
}
