/** Hidden-layer activations. The output layer is always a sigmoid with binary cross-entropy. */
import { exp, tanh } from "./libm.js";

export const ACTIVATIONS = ["relu", "tanh", "leakyRelu", "sigmoid", "linear"] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** The slope of leaky ReLU for negative inputs. */
export const LEAKY_SLOPE = 0.01;

export function isActivation(name: string): name is Activation {
  return (ACTIVATIONS as readonly string[]).includes(name);
}

export function sigmoid(z: number): number {
  return 1 / (1 + exp(-z));
}

/** g = act(z) elementwise over the first n entries. */
export function activate(act: Activation, z: Float64Array, g: Float64Array, n: number): void {
  switch (act) {
    case "relu":
      for (let i = 0; i < n; i++) g[i] = z[i] > 0 ? z[i] : 0;
      return;
    case "leakyRelu":
      for (let i = 0; i < n; i++) g[i] = z[i] > 0 ? z[i] : LEAKY_SLOPE * z[i];
      return;
    case "tanh":
      for (let i = 0; i < n; i++) g[i] = tanh(z[i]);
      return;
    case "sigmoid":
      for (let i = 0; i < n; i++) g[i] = sigmoid(z[i]);
      return;
    case "linear":
      for (let i = 0; i < n; i++) g[i] = z[i];
      return;
  }
}

/**
 * d[i] *= act'(z[i]) over the first n entries, from g = act(z): every activation here has a
 * derivative that is a function of its output. ReLU's derivative at 0 is taken as 0, as the
 * seed's `np.int64(A > 0)` does.
 */
export function multiplyByDerivative(act: Activation, d: Float64Array, g: Float64Array, n: number): void {
  switch (act) {
    case "relu":
      for (let i = 0; i < n; i++) if (!(g[i] > 0)) d[i] = 0;
      return;
    case "leakyRelu":
      for (let i = 0; i < n; i++) if (!(g[i] > 0)) d[i] *= LEAKY_SLOPE;
      return;
    case "tanh":
      for (let i = 0; i < n; i++) d[i] *= 1 - g[i] * g[i];
      return;
    case "sigmoid":
      for (let i = 0; i < n; i++) d[i] *= g[i] * (1 - g[i]);
      return;
    case "linear":
      return;
  }
}
