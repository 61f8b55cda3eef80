import type { Activation } from "../activations.js";
import type { Kernels } from "../kernels.js";
import type { RandomState } from "../random.js";
import type { TensorShape } from "./spec.js";

/**
 * One layer of a layered network over a batch (ConvNetJS's contract: forward, backward, its
 * parameters and gradients). A batch of m examples is laid out as the data is, features × m
 * row-major with the features of an image in HWC order: value (h, w, c) of example j sits at
 * ((h·W + w)·C + c)·m + j. Buffers come from the kernels (`alloc`) once, for the largest batch;
 * forward and backward allocate nothing and return buffers the layer owns.
 */
export interface Layer {
  readonly input: TensorShape;
  readonly output: TensorShape;
  /** The output for `m` examples; dropout layers draw their masks from `rng` when training. */
  forward(x: Float64Array, m: number, training: boolean, rng: RandomState): Float64Array;
  /**
   * Takes ∂loss/∂output (per example) and returns ∂loss/∂input, or undefined for the first layer,
   * which needs none. Parameter gradients become scale·(Σ over the batch) + decay·W.
   */
  backward(dy: Float64Array, m: number, scale: number, decay: number): Float64Array | undefined;
  /** Weights and their gradients (W, then b), in the network's parameter order; [] without. */
  readonly params: readonly Float64Array[];
  readonly grads: readonly Float64Array[];
}

/** What every layer is built with. */
export interface LayerContext {
  readonly kernels: Kernels;
  /** The largest batch the layer will see. */
  readonly batch: number;
  /** Whether backward must produce ∂loss/∂input (false for the first layer). */
  readonly needsInputGradient: boolean;
  readonly activation: Activation;
  /** A convolution's im2col buffer in values (PATCH_BUDGET by default; tests make it small). */
  readonly patchBudget?: number;
}
