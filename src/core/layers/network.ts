import { type Activation, isActivation } from "../activations.js";
import { headFor, type OutputHead } from "../heads.js";
import { jsKernels, type Kernels } from "../kernels.js";
import type { Matrix } from "../matrix.js";
import type { Initialization } from "../network.js";
import { RandomState } from "../random.js";
import { createKernels } from "../wasm-kernels.js";
import { Conv2D } from "./conv2d.js";
import { Dense } from "./dense.js";
import { DropoutLayer, Flatten } from "./dropout.js";
import type { Layer } from "./layer.js";
import { Pool2D } from "./pool.js";
import {
  checkLayerSpec,
  type LayerSpec,
  LayerSpecError,
  outputShape,
  shapeSize,
  specText,
  type TensorShape,
} from "./spec.js";

/** Examples per forward pass when predicting (bounds the buffers, not the result). */
const PREDICT_BATCH = 256;

/**
 * The full layer list of a network from the hidden layers a user lists: a flatten before the
 * first dense layer that follows an image-shaped one, inverted dropout after hidden dense layer h
 * when keepProbs[h] < 1, and the output layer (`outputs` units, linear: the head takes it).
 */
export function resolveLayers(
  hidden: readonly LayerSpec[],
  input: TensorShape,
  outputs: number,
  keepProbs: readonly number[] = [],
): LayerSpec[] {
  const out: LayerSpec[] = [];
  let shape = input;
  let dense = 0;
  const push = (s: LayerSpec) => {
    if (s.type === "dense" && (shape.height > 1 || shape.width > 1)) push({ type: "flatten" });
    if (s.type === "spatial-dropout" && shape.height * shape.width === 1 && out.length > 0) {
      throw new LayerSpecError(`${specText(s)} must follow a convolution or pooling layer, not a dense one`);
    }
    shape = outputShape(s, shape);
    out.push(s);
  };
  for (const raw of hidden) {
    const s = checkLayerSpec(raw);
    push(s);
    if (s.type === "dense") {
      const p = keepProbs[dense++] ?? 1;
      if (p < 1) push({ type: "dropout", keepProb: p });
    }
  }
  push({ type: "dense", units: outputs });
  return out;
}

/** Weight and bias sizes of a layer, and its fan-in and fan-out for initialization; null without. */
function weightShape(
  s: LayerSpec,
  input: TensorShape,
): { w: number; b: number; fanIn: number; fanOut: number } | null {
  if (s.type === "conv") {
    const fanIn = s.size * s.size * input.channels;
    return { w: fanIn * s.filters, b: s.filters, fanIn, fanOut: s.size * s.size * s.filters };
  }
  if (s.type === "dense") {
    const fanIn = shapeSize(input);
    return { w: s.units * fanIn, b: s.units, fanIn, fanOut: s.units };
  }
  return null;
}

/**
 * A network as a list of layers (convolution, pooling, flatten, dense, dropout, spatial dropout),
 * trained by LayerTrainer. It holds the layer specs and the weights; `weights[i]`, `biases[i]` are
 * the i-th layer with weights (conv: f × f × C_in × C_out; dense: units × inputs). Prediction runs
 * the same layers on the JavaScript kernels, in batches. It offers what a run's callbacks use of a
 * Network (logits, predict, clone, copyFrom, weights), so early stopping and evaluation work as is.
 */
export class LayeredNetwork {
  readonly layers: readonly LayerSpec[];
  readonly weights: Float64Array[] = [];
  readonly biases: Float64Array[] = [];
  readonly shapes: readonly TensorShape[];
  private predictor: ({ batch: number } & ReturnType<LayeredNetwork["inferenceLayers"]>) | undefined;

  constructor(
    layers: readonly LayerSpec[],
    readonly input: TensorShape,
    readonly activation: Activation = "relu",
    weights?: Float64Array[],
    biases?: Float64Array[],
  ) {
    if (!isActivation(activation)) throw new RangeError(`unknown activation '${activation}'`);
    const last = layers.at(-1);
    if (last?.type !== "dense")
      throw new LayerSpecError("a layered network ends with its dense output layer");
    this.layers = layers.map(checkLayerSpec);
    const shapes = [input];
    let k = 0;
    for (const s of this.layers) {
      const ws = weightShape(s, shapes[shapes.length - 1]);
      if (ws) {
        const W = weights?.[k] ?? new Float64Array(ws.w);
        const b = biases?.[k] ?? new Float64Array(ws.b);
        if (W.length !== ws.w || b.length !== ws.b)
          throw new RangeError(
            `layer ${k + 1} (${specText(s)}): expected ${ws.w} weights and ${ws.b} biases`,
          );
        this.weights.push(W);
        this.biases.push(b);
        k++;
      }
      shapes.push(outputShape(s, shapes[shapes.length - 1]));
    }
    this.shapes = shapes;
  }

  /**
   * A network with weights drawn from `rng` layer by layer in order, each W as randn of its shape
   * (conv f × f × C_in × C_out, dense units × inputs, row-major) times a scale; biases 0. He
   * (`he`, and `reference`, the default): √(2/fan_in) for hidden layers (fan_in = f·f·C_in for a
   * convolution) and √(1/fan_in) for the output layer; `xavier`: √(2/(fan_in + fan_out)) for all.
   * numpy reproduces it: rs = RandomState(seed); W1 = rs.randn(f, f, C_in, C_out) * sqrt(2/fan_in); …
   */
  static initialize(
    layers: readonly LayerSpec[],
    input: TensorShape,
    rng: RandomState,
    options: { activation?: Activation; init?: Initialization } = {},
  ): LayeredNetwork {
    const net = new LayeredNetwork(layers, input, options.activation ?? "relu");
    const init = options.init ?? "reference";
    if (init === "zeros") return net;
    let k = 0;
    net.layers.forEach((s, i) => {
      const ws = weightShape(s, net.shapes[i]);
      if (!ws) return;
      const W = net.weights[k];
      const output = k === net.weights.length - 1;
      rng.randn(W.length, W);
      const scale =
        init === "xavier" ? Math.sqrt(2 / (ws.fanIn + ws.fanOut)) : Math.sqrt((output ? 1 : 2) / ws.fanIn);
      for (let i2 = 0; i2 < W.length; i2++) W[i2] *= scale;
      k++;
    });
    return net;
  }

  get inputSize(): number {
    return shapeSize(this.input);
  }

  get outputs(): number {
    return shapeSize(this.shapes[this.shapes.length - 1]);
  }

  get head(): OutputHead {
    return headFor(this.outputs);
  }

  /** Layers with weights. */
  get depth(): number {
    return this.weights.length;
  }

  /** [W_1, b_1, W_2, b_2, …], the list optimizers walk. */
  parameters(): Float64Array[] {
    const out: Float64Array[] = [];
    for (let l = 0; l < this.weights.length; l++) out.push(this.weights[l], this.biases[l]);
    return out;
  }

  clone(): LayeredNetwork {
    return new LayeredNetwork(
      this.layers,
      this.input,
      this.activation,
      this.weights.map((w) => w.slice()),
      this.biases.map((b) => b.slice()),
    );
  }

  copyFrom(other: { parameters(): Float64Array[] }): void {
    const mine = this.parameters();
    const theirs = other.parameters();
    if (mine.length !== theirs.length || mine.some((p, i) => p.length !== theirs[i].length))
      throw new RangeError("networks differ in shape");
    for (let i = 0; i < mine.length; i++) mine[i].set(theirs[i]);
  }

  /**
   * The runtime layers over this network's weights (which they read at each forward pass and
   * never write), with buffers for batches of up to `batch` examples from `kernels`.
   */
  buildLayers(kernels: Kernels, batch: number): Layer[] {
    const out: Layer[] = [];
    let k = 0;
    this.layers.forEach((s, i) => {
      const input = this.shapes[i];
      const last = i === this.layers.length - 1;
      const ctx = {
        kernels,
        batch,
        needsInputGradient: i > 0,
        activation: last ? ("linear" as const) : this.activation,
      };
      switch (s.type) {
        case "conv":
          out.push(
            new Conv2D(
              input,
              { filters: s.filters, size: s.size, stride: s.stride ?? 1, padding: s.padding ?? "valid" },
              this.weights[k],
              this.biases[k++],
              ctx,
            ),
          );
          return;
        case "dense":
          out.push(new Dense(input, s.units, this.weights[k], this.biases[k++], ctx));
          return;
        case "maxpool":
        case "avgpool":
          out.push(new Pool2D(input, s.type === "maxpool" ? "max" : "avg", s.size, s.stride ?? s.size, ctx));
          return;
        case "flatten":
          out.push(new Flatten(input));
          return;
        case "dropout":
        case "spatial-dropout":
          out.push(new DropoutLayer(input, s.keepProb, s.type === "spatial-dropout", ctx));
          return;
      }
    });
    return out;
  }

  /**
   * Runtime layers for inference at batch `batch` on one thread of the WebAssembly kernels
   * (JavaScript where there are none), the memory sized as the layers count it, with an input
   * buffer of inputs × batch in it.
   */
  inferenceLayers(batch: number): { kernels: Kernels; layers: Layer[]; xb: Float64Array } {
    let doubles = this.inputSize * batch;
    const counting: Kernels = {
      ...jsKernels,
      alloc: (size) => {
        doubles += size;
        return new Float64Array(0);
      },
    };
    this.buildLayers(counting, batch);
    const kernels = createKernels(doubles, "wasm");
    return { kernels, layers: this.buildLayers(kernels, batch), xb: kernels.alloc(this.inputSize * batch) };
  }

  /** Output pre-activations (outputs × m) for the columns of X, no dropout. */
  logits(X: Matrix): Float64Array {
    if (X.rows !== this.inputSize)
      throw new RangeError(`the network takes ${this.inputSize} features, the data has ${X.rows}`);
    const m = X.cols;
    const K = this.outputs;
    const out = new Float64Array(K * m);
    const B = Math.min(PREDICT_BATCH, Math.max(1, m));
    const n = this.inputSize;
    if (this.predictor?.batch !== B) this.predictor = { batch: B, ...this.inferenceLayers(B) };
    const { layers, xb } = this.predictor;
    const unused = new RandomState(0);
    for (let j0 = 0; j0 < m; j0 += B) {
      const mb = Math.min(B, m - j0);
      for (let f = 0; f < n; f++) for (let c = 0; c < mb; c++) xb[f * mb + c] = X.data[f * m + j0 + c];
      let a: Float64Array = xb;
      for (const layer of layers) a = layer.forward(a, mb, false, unused);
      for (let u = 0; u < K; u++) for (let c = 0; c < mb; c++) out[u * m + j0 + c] = a[u * mb + c];
    }
    return out;
  }

  predictProba(X: Matrix): Float64Array {
    return this.head.probabilities(this.logits(X), X.cols, this.outputs);
  }

  predict(X: Matrix): Uint8Array {
    return this.head.predict(this.logits(X), X.cols, this.outputs);
  }

  /** The layer list as `--layers` writes it (output layer included). */
  describe(): string {
    return this.layers.map(specText).join(",");
  }
}
