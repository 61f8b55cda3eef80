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
 * Mean categorical cross-entropy −(1/m) Σ_j log softmax(z_j)[y_j], from the logits by log-sum-exp:
 * log Σ_k e^{z_k} − z_y = log1p(Σ_{k≠a} e^{z_k − z_a}) + (z_a − z_y), a the largest logit. The
 * sum leaves out a's own term (1), so a confident right prediction's tiny loss is not added to 1
 * and lost; both parts are ≥ 0, so adding them loses nothing either. Finite where a probability
 * rounds to 0.
 */
export function softmaxCrossEntropy(Z: Float64Array, y: ArrayLike<number>, K: number, m: number): number {
  let total = 0;
  for (let j = 0; j < m; j++) {
    let top = 0;
    let max = Z[j];
    for (let k = 1; k < K; k++) {
      if (Z[k * m + j] > max || Number.isNaN(Z[k * m + j])) {
        max = Z[k * m + j];
        top = k;
      }
    }
    let rest = 0;
    for (let k = 0; k < K; k++) if (k !== top) rest += exp(Z[k * m + j] - max);
    total += log1p(rest) + (max - Z[y[j] * m + j]);
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
