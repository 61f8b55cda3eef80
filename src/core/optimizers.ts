/**
 * Optimizers walk the network's parameter list [W_1, b_1, …] with the matching gradients.
 * Plain gradient descent is the article's update, `p ← p − α·g`, and stays bit-identical to it.
 */
import { powInt } from "./libm.js";

export type OptimizerSpec =
  | { name: "gd" }
  | { name: "momentum"; beta?: number }
  | { name: "adam"; beta1?: number; beta2?: number; epsilon?: number };

export const OPTIMIZERS = ["gd", "momentum", "adam"] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export interface Optimizer {
  update(params: readonly Float64Array[], grads: readonly Float64Array[], learningRate: number): void;
  /** The optimizer's own memory (moments and step count), for checkpoints. */
  getState(): OptimizerState;
  /** Puts back what getState() returned for an optimizer of the same kind and shapes. */
  setState(state: OptimizerState): void;
}

/** An optimizer's memory: its step count and one buffer per slot per parameter array. */
export interface OptimizerState {
  step: number;
  slots: Float64Array[];
}

function copySlots(into: readonly Float64Array[], from: OptimizerState): void {
  if (from.slots.length !== into.length || from.slots.some((s, k) => s.length !== into[k].length)) {
    throw new RangeError("the optimizer state does not fit this network");
  }
  for (let k = 0; k < into.length; k++) into[k].set(from.slots[k]);
}

class GradientDescent implements Optimizer {
  getState(): OptimizerState {
    return { step: 0, slots: [] };
  }
  setState(state: OptimizerState): void {
    copySlots([], state);
  }
  update(params: readonly Float64Array[], grads: readonly Float64Array[], lr: number): void {
    for (let k = 0; k < params.length; k++) {
      const p = params[k];
      const g = grads[k];
      for (let i = 0; i < p.length; i++) p[i] = p[i] - lr * g[i];
    }
  }
}

/** v ← βv + (1−β)g, p ← p − α·v (the exponentially weighted form of the deep-learning course). */
class Momentum implements Optimizer {
  private readonly v: Float64Array[];
  constructor(
    params: readonly Float64Array[],
    private readonly beta: number,
  ) {
    this.v = params.map((p) => new Float64Array(p.length));
  }
  getState(): OptimizerState {
    return { step: 0, slots: this.v.map((v) => v.slice()) };
  }
  setState(state: OptimizerState): void {
    copySlots(this.v, state);
  }
  update(params: readonly Float64Array[], grads: readonly Float64Array[], lr: number): void {
    const b = this.beta;
    for (let k = 0; k < params.length; k++) {
      const p = params[k];
      const g = grads[k];
      const v = this.v[k];
      for (let i = 0; i < p.length; i++) {
        v[i] = b * v[i] + (1 - b) * g[i];
        p[i] -= lr * v[i];
      }
    }
  }
}

/** Adam with bias correction: p ← p − α·m̂/(√v̂ + ε), m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ). */
class Adam implements Optimizer {
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];
  private t = 0;
  constructor(
    params: readonly Float64Array[],
    private readonly beta1: number,
    private readonly beta2: number,
    private readonly epsilon: number,
  ) {
    this.m = params.map((p) => new Float64Array(p.length));
    this.v = params.map((p) => new Float64Array(p.length));
  }
  getState(): OptimizerState {
    return { step: this.t, slots: [...this.m, ...this.v].map((s) => s.slice()) };
  }
  setState(state: OptimizerState): void {
    if (!Number.isInteger(state.step) || state.step < 0) throw new RangeError("bad Adam step count");
    copySlots([...this.m, ...this.v], state);
    this.t = state.step;
  }
  update(params: readonly Float64Array[], grads: readonly Float64Array[], lr: number): void {
    this.t++;
    const { beta1: b1, beta2: b2, epsilon: eps } = this;
    const c1 = 1 - powInt(b1, this.t);
    const c2 = 1 - powInt(b2, this.t);
    for (let k = 0; k < params.length; k++) {
      const p = params[k];
      const g = grads[k];
      const m = this.m[k];
      const v = this.v[k];
      for (let i = 0; i < p.length; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        p[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
      }
    }
  }
}

function checkUnit(name: string, x: number): number {
  if (!(x >= 0 && x < 1)) throw new RangeError(`${name} must be in [0, 1), got ${x}`);
  return x;
}

/**
 * Decoupled weight decay (Loshchilov & Hutter's AdamW; Keras's AdamW): before the optimizer's own
 * step, each decayed array shrinks by w ← w − α·wd·w, outside the gradient, so Adam's per-weight
 * scaling never touches it. α is the step's learning rate (schedules included), as in Keras. Which
 * arrays decay is the caller's: the trainer decays weights, not biases (Keras decays every
 * variable unless excluded). With plain gradient descent it is L2 by another name: the same
 * update as λ = wd·m (λ/m·W in the gradient).
 */
export function withWeightDecay(
  inner: Optimizer,
  weightDecay: number,
  decayed: readonly boolean[],
): Optimizer {
  if (!(weightDecay >= 0) || !Number.isFinite(weightDecay))
    throw new RangeError(`weight decay must be ≥ 0, got ${weightDecay}`);
  if (weightDecay === 0) return inner;
  return {
    getState: () => inner.getState(),
    setState: (state) => inner.setState(state),
    update(params, grads, lr) {
      const f = lr * weightDecay;
      for (let k = 0; k < params.length; k++) {
        if (!decayed[k]) continue;
        const p = params[k];
        for (let i = 0; i < p.length; i++) p[i] -= f * p[i];
      }
      inner.update(params, grads, lr);
    },
  };
}

export function createOptimizer(spec: OptimizerSpec, params: readonly Float64Array[]): Optimizer {
  switch (spec.name) {
    case "gd":
      return new GradientDescent();
    case "momentum":
      return new Momentum(params, checkUnit("momentum beta", spec.beta ?? 0.9));
    case "adam": {
      const eps = spec.epsilon ?? 1e-8;
      if (!(eps > 0)) throw new RangeError(`adam epsilon must be > 0, got ${eps}`);
      return new Adam(
        params,
        checkUnit("adam beta1", spec.beta1 ?? 0.9),
        checkUnit("adam beta2", spec.beta2 ?? 0.999),
        eps,
      );
    }
    default:
      throw new RangeError(
        `unknown optimizer '${(spec as { name: string }).name}' (choose gd, momentum or adam)`,
      );
  }
}
