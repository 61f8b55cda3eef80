import { exp, log1p } from "./libm.js";

/**
 * Mean binary cross-entropy of sigmoid outputs, computed from the pre-activations z so that it
 * stays finite where sigmoid(z) rounds to 0 or 1 (the article's `nansum` form would print Infinity
 * or drop the term): −[y log σ(z) + (1−y) log(1−σ(z))] = max(z, 0) − z·y + log(1 + e^−|z|).
 */
export function crossEntropyFromLogits(z: Float64Array, y: Uint8Array | Float64Array, m: number): number {
  let sum = 0;
  for (let j = 0; j < m; j++) {
    const zj = z[j];
    sum += (zj > 0 ? zj : 0) - zj * y[j] + log1p(exp(-Math.abs(zj)));
  }
  return sum / m;
}

/** Σ‖W_l‖²_F over the weight matrices (biases are not penalized). */
export function sumSquaredWeights(weights: readonly Float64Array[]): number {
  let s = 0;
  for (const W of weights) for (let i = 0; i < W.length; i++) s += W[i] * W[i];
  return s;
}
