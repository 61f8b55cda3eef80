import { sigmoid } from "./activations.js";
import type { Kernels } from "./kernels.js";
import { crossEntropyFromLogits } from "./losses.js";
import { argmaxColumns, softmaxColumns, softmaxCrossEntropy, softmaxOutputGradient } from "./softmax.js";

/**
 * The output layer and its loss, as one object: the trainer asks it for the cost, the output
 * gradient dZ_L and a cheap cost bound; prediction asks it for classes. Outputs Z are
 * units × m, row-major (unit k of example j at k·m + j). The head follows from the number of
 * output units: 1 is a sigmoid with binary cross-entropy (the article's, labels 0/1), K ≥ 2 a softmax
 * with categorical cross-entropy (labels 0…K−1). Adding a head is one object here.
 */
export interface OutputHead {
  readonly name: "sigmoid" | "softmax";
  /** Mean cross-entropy of outputs Z over m examples with labels y. */
  cost(Z: Float64Array, y: ArrayLike<number>, m: number, units: number): number;
  /** dZ = ∂(per-example loss)/∂Z for each example (the 1/m is the dW kernel's). */
  gradient(dZ: Float64Array, Z: Float64Array, y: Float64Array, m: number, units: number, k: Kernels): void;
  /**
   * Whether every output is finite, and a lower bound of the mean loss with no logarithms (the
   * divergence rule reads it after every step): loss − bound ≤ ln K.
   */
  bound(Z: Float64Array, y: ArrayLike<number>, m: number, units: number): { finite: boolean; bound: number };
  /** The predicted class of each example. */
  predict(Z: Float64Array, m: number, units: number): Uint8Array;
  /** Class probabilities in place: P(y = 1) for a sigmoid, each class's for a softmax. */
  probabilities(Z: Float64Array, m: number, units: number): Float64Array;
}

/** σ(z) with cross-entropy: dZ = σ(Z) − Y in the kernels (WebAssembly where it runs). */
export const sigmoidHead: OutputHead = {
  name: "sigmoid",
  cost: (Z, y, m) => crossEntropyFromLogits(Z, y as Uint8Array, m),
  gradient: (dZ, Z, y, m, _units, k) => k.outputGradient(dZ, Z, y, m),
  bound(Z, y, m) {
    // cross-entropy = max(0, (1−2y)z) + log(1 + e^−|z|), the second term in (0, ln 2].
    let sum = 0;
    let hinge = 0;
    for (let j = 0; j < m; j++) {
      const z = Z[j];
      sum += z;
      const h = y[j] > 0 ? -z : z;
      if (h > 0) hinge += h;
    }
    return { finite: Number.isFinite(sum), bound: hinge / m };
  },
  predict(Z, m) {
    // σ(z) > 0.5 as the article's predict (not z > 0: σ rounds to 0.5 for 0 < z < 2⁻⁵³).
    const out = new Uint8Array(m);
    for (let j = 0; j < m; j++) out[j] = sigmoid(Z[j]) > 0.5 ? 1 : 0;
    return out;
  },
  probabilities(Z, m) {
    for (let j = 0; j < m; j++) Z[j] = sigmoid(Z[j]);
    return Z;
  },
};

/** Softmax with categorical cross-entropy (the mathematics in softmax.ts). */
export const softmaxHead: OutputHead = {
  name: "softmax",
  cost: (Z, y, m, units) => softmaxCrossEntropy(Z, y, units, m),
  gradient: (dZ, Z, y, m, units) => softmaxOutputGradient(dZ, Z, y, units, m),
  bound(Z, y, m, units) {
    // logΣe^z ≥ max z: the loss is at least max_k z_k − z_y, and at most that plus ln K.
    let sum = 0;
    let gap = 0;
    for (let j = 0; j < m; j++) {
      let max = Z[j];
      for (let k = 1; k < units; k++) if (Z[k * m + j] > max) max = Z[k * m + j];
      sum += max;
      gap += max - Z[y[j] * m + j];
    }
    return { finite: Number.isFinite(sum) && Number.isFinite(gap), bound: gap / m };
  },
  predict: (Z, m, units) => argmaxColumns(Z, units, m),
  probabilities(Z, m, units) {
    softmaxColumns(Z, Z, units, m);
    return Z;
  },
};

/** The head a network with `units` output units trains with. */
export function headFor(units: number): OutputHead {
  return units === 1 ? sigmoidHead : softmaxHead;
}

/** Output units for labels 0…K−1: one (a sigmoid) for two classes, K (a softmax) beyond. */
export function outputUnits(labels: ArrayLike<number>): number {
  let max = 0;
  for (let j = 0; j < labels.length; j++) if (labels[j] > max) max = labels[j];
  return max >= 2 ? max + 1 : 1;
}

/**
 * A head trained on smoothed labels, as Keras's cross-entropies define label smoothing: the target
 * is y·(1−ε) + ε/2 for the sigmoid (binary) and onehot(y)·(1−ε) + ε/K for the softmax
 * (categorical). Cross-entropy is linear in the target, so the cost is (1−ε)·CE(y) plus ε times
 * the mean of CE over every label; the output gradient becomes p − target. Prediction is unchanged.
 */
export function smoothLabels(head: OutputHead, epsilon: number): OutputHead {
  if (!(epsilon >= 0 && epsilon < 1))
    throw new RangeError(`label smoothing must be in [0, 1), got ${epsilon}`);
  if (epsilon === 0) return head;
  const eps = epsilon;
  // Labels all equal to k, for the cost's uniform part (grown to the largest batch seen).
  let same = new Uint8Array(0);
  const everyLabel = (m: number, units: number, f: (y: Uint8Array, weight: number) => number) => {
    if (same.length < m) same = new Uint8Array(m);
    const K = units === 1 ? 2 : units;
    let s = 0;
    for (let k = 0; k < K; k++) s += f(same.fill(k, 0, m), 1 / K);
    return s;
  };
  return {
    ...head,
    cost: (Z, y, m, units) =>
      (1 - eps) * head.cost(Z, y, m, units) +
      eps * everyLabel(m, units, (yk, w) => w * head.cost(Z, yk, m, units)),
    gradient(dZ, Z, y, m, units, k) {
      head.gradient(dZ, Z, y, m, units, k);
      // p − target = (p − onehot) + ε·(onehot − 1/K); a sigmoid's onehot is y itself, K = 2.
      if (units === 1) {
        for (let j = 0; j < m; j++) dZ[j] += eps * (y[j] - 0.5);
        return;
      }
      const u = eps / units;
      for (let i = 0; i < units * m; i++) dZ[i] -= u;
      for (let j = 0; j < m; j++) dZ[y[j] * m + j] += eps;
    },
    bound(Z, y, m, units) {
      // A convex combination of lower bounds bounds the combined loss (still within ln K of it).
      const b = head.bound(Z, y, m, units);
      const rest = everyLabel(m, units, (yk, w) => w * head.bound(Z, yk, m, units).bound);
      return { finite: b.finite, bound: (1 - eps) * b.bound + eps * rest };
    },
  };
}
