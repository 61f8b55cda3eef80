/**
 * The softmax output head's mathematics for K > 2 classes, on logits Z (K × m, row-major,
 * examples as columns) and labels y[j] ∈ 0 … K−1; heads.ts makes it the trainer's output head for
 * networks with K ≥ 2 outputs. The gradient is without the 1/m, which the dW/db kernel applies.
 */
import { exp, log1p } from "./libm.js";

/** Column-wise softmax into A, shifted by each column's maximum so no exponential overflows. */
export function softmaxColumns(Z: Float64Array, A: Float64Array, K: number, m: number): void {
  for (let j = 0; j < m; j++) {
    let max = Z[j];
    for (let k = 1; k < K; k++) max = Math.max(max, Z[k * m + j]);
    let sum = 0;
    for (let k = 0; k < K; k++) sum += A[k * m + j] = exp(Z[k * m + j] - max);
    for (let k = 0; k < K; k++) A[k * m + j] /= sum;
  }
}

/**
 * Mean categorical cross-entropy −(1/m) Σ_j log softmax(z_j)[y_j], from the logits by log-sum-exp
 * (log Σ_k e^{z_k − max} + max − z_y), so it stays finite where a probability rounds to 0.
 */
export function softmaxCrossEntropy(Z: Float64Array, y: ArrayLike<number>, K: number, m: number): number {
  let total = 0;
  for (let j = 0; j < m; j++) {
    let max = Z[j];
    for (let k = 1; k < K; k++) max = Math.max(max, Z[k * m + j]);
    let sum = 0;
    for (let k = 0; k < K; k++) sum += exp(Z[k * m + j] - max);
    // sum ≥ 1 (the largest term is e⁰), and sum − 1 is exact below 2⁵³.
    total += log1p(sum - 1) + max - Z[y[j] * m + j];
  }
  return total / m;
}

/** dZ = softmax(Z) − onehot(y): the gradient of m × the mean cross-entropy with respect to Z. */
export function softmaxOutputGradient(
  dZ: Float64Array,
  Z: Float64Array,
  y: ArrayLike<number>,
  K: number,
  m: number,
): void {
  softmaxColumns(Z, dZ, K, m);
  for (let j = 0; j < m; j++) dZ[y[j] * m + j] -= 1;
}

/** The most probable class of each column (the first on ties). */
export function argmaxColumns(Z: Float64Array, K: number, m: number): Uint8Array {
  const out = new Uint8Array(m);
  for (let j = 0; j < m; j++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (Z[k * m + j] > Z[best * m + j]) best = k;
    out[j] = best;
  }
  return out;
}
