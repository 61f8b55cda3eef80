import type { OutputHead } from "./heads.js";
import type { Matrix } from "./matrix.js";

/**
 * What a training run and its callbacks use of a network: the dense Network and the
 * LayeredNetwork (convolutions, pooling) both are one. Weights and biases are the penalized and
 * free parameters, layer by layer; `parameters()` is [W_1, b_1, W_2, b_2, …].
 */
export interface Model {
  readonly weights: Float64Array[];
  readonly biases: Float64Array[];
  readonly inputSize: number;
  readonly outputs: number;
  readonly head: OutputHead;
  parameters(): Float64Array[];
  /** Output pre-activations (outputs × m) for the columns of X, no dropout. */
  logits(X: Matrix): Float64Array;
  predict(X: Matrix): Uint8Array;
  predictProba(X: Matrix): Float64Array;
  clone(): Model;
  copyFrom(other: Model): void;
}
