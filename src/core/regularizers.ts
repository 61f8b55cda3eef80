import { sumSquaredWeights } from "./losses.js";

/**
 * A penalty on the weights (biases are never penalized): its term in the cost of a batch of m
 * examples and its term in each layer's dW. The trainer composes them; adding one is this object
 * and, where speed needs it, a kernel. L2's gradient λ/m·W is fused into the dW kernel
 * (`fusedDecay`); a penalty without a fused form adds its gradient after the kernel
 * (`addGradient`), e.g. an L1 penalty λ/m·sign(W) written in a few lines.
 */
export interface Regularizer {
  readonly name: string;
  /** Its term in the cost of a batch of `m` examples. */
  cost(weights: readonly Float64Array[], m: number): number;
  /** The coefficient c the dW kernel adds as c·W (L2: λ/m); absent when not fused. */
  fusedDecay?(m: number): number;
  /** Adds its gradient to `dW` of layer `layer` (0-based) for a batch of `m` examples. */
  addGradient?(dW: Float64Array, W: Float64Array, layer: number, m: number): void;
}

/** L2 ("weight decay"): cost λ/(2m)·Σ‖W_l‖²_F, gradient λ/m·W_l, fused into the dW kernel. */
export function l2(lambda: number): Regularizer {
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new RangeError(`lambda must be ≥ 0, got ${lambda}`);
  return {
    name: `L2, λ = ${lambda}`,
    // The seed's form and order of operations, so costs match it bit for bit.
    cost: (weights, m) => (lambda > 0 ? (1 / m) * (lambda / 2) * sumSquaredWeights(weights) : 0),
    fusedDecay: (m) => lambda / m,
  };
}
