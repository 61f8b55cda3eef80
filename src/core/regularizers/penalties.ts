/**
 * Penalties on the weights' size: L2, L1 and both (elastic net). Per batch of m examples, as the
 * article writes L2; Keras adds l2·Σw² and l1·Σ|w| to the mean loss, so Keras's l2 = λ/(2m) and
 * Keras's l1 = λ/m (TensorFlow.js's the same).
 */
import { sumSquaredWeights } from "../losses.js";
import { nonNegative, type Regularizer, type RegularizerClass, type RegularizerSpec } from "./registry.js";

/** L2 ("weight decay"): cost λ/(2m)·Σ‖W_l‖²_F, gradient λ/m·W_l, fused into the dW kernel. */
export function l2(lambda: number): Regularizer {
  nonNegative("lambda", lambda);
  return {
    spec: { kind: "l2", lambda },
    name: `L2, λ = ${lambda}`,
    // The article's form and order of operations, so costs match it bit for bit.
    cost: (weights, m) => (lambda > 0 ? (1 / m) * (lambda / 2) * sumSquaredWeights(weights) : 0),
    fusedDecay: (m) => lambda / m,
  };
}

function sumAbs(weights: readonly Float64Array[]): number {
  let s = 0;
  for (const W of weights) for (let i = 0; i < W.length; i++) s += Math.abs(W[i]);
  return s;
}

/**
 * L1's gradient λ/m·sign(w) beside the rest of dW. At w = 0, where |w| has no slope, the smallest
 * subgradient: 0 while the rest of the gradient is weaker than λ/m (the weight stays at zero),
 * else that gradient shrunk by λ/m (OWL-QN's pseudo-gradient).
 */
function addL1Gradient(dW: Float64Array, W: Float64Array, c: number): void {
  for (let i = 0; i < W.length; i++) {
    const w = W[i];
    if (w > 0) dW[i] += c;
    else if (w < 0) dW[i] -= c;
    else {
      const g = dW[i];
      dW[i] = g > c ? g - c : g < -c ? g + c : 0;
    }
  }
}

/**
 * A step that carries a weight across zero stops it at exactly zero, as TensorFlow Playground
 * does for L1 (it applies the rule to L1's part of the step; reglab to the whole step, since the
 * optimizer's step is not split by term). With addL1Gradient this is how weights become 0 and stay.
 */
function clipAtZero(W: Float64Array, before: Float64Array): void {
  for (let i = 0; i < W.length; i++) if (W[i] * before[i] < 0) W[i] = 0;
}

/** L1 (lasso): cost λ/m·Σ|w|, gradient λ/m·sign(w); weights it pushes across zero stop at 0. */
export function l1(lambda: number): Regularizer {
  nonNegative("lambda", lambda);
  return {
    spec: { kind: "l1", lambda },
    name: `L1, λ = ${lambda}`,
    cost: (weights, m) => (lambda > 0 ? (lambda / m) * sumAbs(weights) : 0),
    addGradient: (dW, W, _layer, m) => {
      if (lambda > 0) addL1Gradient(dW, W, lambda / m);
    },
    afterUpdate: (W, before) => {
      if (lambda > 0) clipAtZero(W, before);
    },
  };
}

/** Elastic net: L1 with strength `l1` plus L2 with strength `l2` (Keras's L1L2, scaled as above). */
export function elastic(l1Lambda: number, l2Lambda: number): Regularizer {
  const a = l1(l1Lambda);
  const b = l2(l2Lambda);
  return {
    spec: { kind: "elastic", l1: l1Lambda, l2: l2Lambda },
    name: `elastic net, λ₁ = ${l1Lambda}, λ₂ = ${l2Lambda}`,
    cost: (weights, m) => a.cost!(weights, m) + b.cost!(weights, m),
    fusedDecay: b.fusedDecay,
    addGradient: a.addGradient,
    afterUpdate: a.afterUpdate,
  };
}

const num = (s: RegularizerSpec, key: string) => s[key] as number;
const strength = { type: "number", min: 0 } as const;

export const L2_CLASS: RegularizerClass = {
  kind: "l2",
  help: "L2: cost λ/(2m)·Σ‖W‖², gradient λ/m·W (Keras l2 = λ/(2m))",
  fields: { lambda: strength },
  build: (s) => l2(num(s, "lambda")),
};

export const L1_CLASS: RegularizerClass = {
  kind: "l1",
  help: "L1: cost λ/m·Σ|w|, gradient λ/m·sign(w); a weight pushed across 0 stops at 0 (Keras l1 = λ/m)",
  fields: { lambda: strength },
  build: (s) => l1(num(s, "lambda")),
};

export const ELASTIC_CLASS: RegularizerClass = {
  kind: "elastic",
  help: "elastic net: λ₁/m·Σ|w| + λ₂/(2m)·Σ‖W‖² (Keras L1L2 with l1 = λ₁/m, l2 = λ₂/(2m))",
  fields: { l1: strength, l2: strength },
  build: (s) => elastic(num(s, "l1"), num(s, "l2")),
};

/** Weights exactly 0 per layer (what L1 makes). */
export function zeroWeights(weights: readonly Float64Array[]): number[] {
  return weights.map((W) => {
    let n = 0;
    for (let i = 0; i < W.length; i++) if (W[i] === 0) n++;
    return n;
  });
}
