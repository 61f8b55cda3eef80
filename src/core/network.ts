import { type Activation, activate, isActivation } from "./activations.js";
import { checkNetworkInput } from "./data-error.js";
import { headFor, type OutputHead } from "./heads.js";
import { denseForward } from "./kernels.js";
import type { Matrix } from "./matrix.js";
import type { RandomState } from "./random.js";

export const INITIALIZATIONS = ["reference", "he", "xavier", "zeros"] as const;
export type Initialization = (typeof INITIALIZATIONS)[number];

export function isInitialization(name: string): name is Initialization {
  return (INITIALIZATIONS as readonly string[]).includes(name);
}

/**
 * A fully connected classifier: `sizes` = [n_x, h_1, …, K]. Layer l (1-based) has weights W_l
 * (n_l × n_{l−1}, row-major) and biases b_l (n_l); hidden layers use `activation`. One output unit
 * is a sigmoid (two classes, the article's); K ≥ 2 units a softmax over K classes.
 */
export class Network {
  readonly sizes: readonly number[];
  readonly activation: Activation;
  readonly weights: Float64Array[];
  readonly biases: Float64Array[];

  constructor(
    sizes: readonly number[],
    activation: Activation = "relu",
    weights?: Float64Array[],
    biases?: Float64Array[],
  ) {
    if (sizes.length < 2) throw new RangeError("a network needs at least an input and an output layer");
    for (const n of sizes) {
      if (!Number.isInteger(n) || n < 1)
        throw new RangeError(`layer sizes must be positive integers, got ${sizes.join(",")}`);
    }
    if (!isActivation(activation)) throw new RangeError(`unknown activation '${activation}'`);
    this.sizes = [...sizes];
    this.activation = activation;
    this.weights = [];
    this.biases = [];
    for (let l = 1; l < sizes.length; l++) {
      const W = weights?.[l - 1] ?? new Float64Array(sizes[l] * sizes[l - 1]);
      const b = biases?.[l - 1] ?? new Float64Array(sizes[l]);
      if (W.length !== sizes[l] * sizes[l - 1] || b.length !== sizes[l]) {
        throw new RangeError(`layer ${l}: expected W ${sizes[l]}×${sizes[l - 1]} and b ${sizes[l]}`);
      }
      this.weights.push(W);
      this.biases.push(b);
    }
  }

  /**
   * A new network with weights drawn from `rng` layer by layer. `reference` is the article's
   * randn(n_l, n_{l−1}) / √n_{l−1}; `he` multiplies randn by √(2/n_{l−1}); `xavier` (Glorot
   * normal) by √(2/(n_{l−1} + n_l)); `zeros` makes every unit identical, which is why it fails.
   */
  static initialize(
    sizes: readonly number[],
    rng: RandomState,
    options: { activation?: Activation; init?: Initialization } = {},
  ): Network {
    const net = new Network(sizes, options.activation ?? "relu");
    const init = options.init ?? "reference";
    if (!isInitialization(init)) throw new RangeError(`unknown initialization '${init}'`);
    for (let l = 1; l < sizes.length; l++) {
      const W = net.weights[l - 1];
      if (init === "zeros") continue;
      rng.randn(W.length, W);
      const fanIn = sizes[l - 1];
      if (init === "reference") {
        const root = Math.sqrt(fanIn);
        for (let i = 0; i < W.length; i++) W[i] /= root;
      } else {
        const scale = init === "he" ? Math.sqrt(2 / fanIn) : Math.sqrt(2 / (fanIn + sizes[l]));
        for (let i = 0; i < W.length; i++) W[i] *= scale;
      }
    }
    return net;
  }

  get inputSize(): number {
    return this.sizes[0];
  }

  /** Number of weight layers (hidden layers + output). */
  get depth(): number {
    return this.sizes.length - 1;
  }

  /** Every trainable array in a fixed order [W_1, b_1, W_2, b_2, …], the list optimizers walk. */
  parameters(): Float64Array[] {
    const out: Float64Array[] = [];
    for (let l = 0; l < this.weights.length; l++) out.push(this.weights[l], this.biases[l]);
    return out;
  }

  clone(): Network {
    return new Network(
      this.sizes,
      this.activation,
      this.weights.map((w) => w.slice()),
      this.biases.map((b) => b.slice()),
    );
  }

  /** Copies another network's parameters into this one (same shape). */
  copyFrom(other: Network): void {
    const mine = this.parameters();
    const theirs = other.parameters();
    if (mine.length !== theirs.length) throw new RangeError("networks differ in shape");
    for (let i = 0; i < mine.length; i++) mine[i].set(theirs[i]);
  }

  /**
   * The prediction path (no dropout) over the columns of X, layer by layer: `visit` gets each
   * layer's activations in turn (0 = the inputs; the output layer's pre-activations z_L last),
   * units × m row-major, and stops the walk by returning true. The one forward pass of prediction:
   * `logits` and the playground's unit maps both walk it.
   */
  forwardLayers(
    X: Matrix,
    visit: (layer: number, a: Float64Array) => boolean,
    caller = "forwardLayers",
  ): void {
    checkNetworkInput(this.inputSize, X, caller);
    if (visit(0, X.data)) return;
    const m = X.cols;
    let a = X.data;
    for (let l = 1; l < this.sizes.length; l++) {
      const z = new Float64Array(this.sizes[l] * m);
      const hidden = l < this.sizes.length - 1;
      const relu = hidden && this.activation === "relu";
      denseForward(z, this.weights[l - 1], this.biases[l - 1], a, this.sizes[l], this.sizes[l - 1], m, relu);
      if (hidden && !relu) activate(this.activation, z, z, z.length);
      if (visit(l, z)) return;
      a = z;
    }
  }

  /** Output pre-activations z_L for the columns of X (no dropout). */
  logits(X: Matrix, caller = "logits"): Float64Array {
    let out = X.data;
    this.forwardLayers(
      X,
      (_l, a) => {
        out = a;
        return false;
      },
      caller,
    );
    return out;
  }

  /** Output units: 1 (a sigmoid, two classes) or K ≥ 2 (a softmax over K classes). */
  get outputs(): number {
    return this.sizes[this.sizes.length - 1];
  }

  /** The output layer and its loss (see heads.ts). */
  get head(): OutputHead {
    return headFor(this.outputs);
  }

  /**
   * For a sigmoid output, P(y = 1) for each column of X; for a softmax, the K class
   * probabilities (K × m, row-major: class k of example j at k·m + j).
   */
  predictProba(X: Matrix): Float64Array {
    return this.head.probabilities(this.logits(X, "predictProba"), X.cols, this.outputs);
  }

  /** The predicted class of each column: 1 where P(y = 1) > 0.5 (the article's), or the argmax. */
  predict(X: Matrix): Uint8Array {
    return this.head.predict(this.logits(X, "predict"), X.cols, this.outputs);
  }
}

/** Fraction of examples whose predicted label equals y. */
export function accuracy(
  net: { predict(X: Matrix): Uint8Array },
  data: { X: Matrix; y: Uint8Array },
): number {
  const p = net.predict(data.X);
  let right = 0;
  for (let j = 0; j < p.length; j++) if (p[j] === data.y[j]) right++;
  return right / p.length;
}
