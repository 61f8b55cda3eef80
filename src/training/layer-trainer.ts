import { FIXED_MASK_SEED } from "../core/dropout.js";
import { outputUnits } from "../core/heads.js";
import { jsKernels, type Kernels } from "../core/kernels.js";
import type { Layer } from "../core/layers/layer.js";
import { LayeredNetwork, resolveLayers } from "../core/layers/network.js";
import { type LayerSpec, LayerSpecError, shapeSize, type TensorShape } from "../core/layers/spec.js";
import { createOptimizer, type Optimizer } from "../core/optimizers.js";
import { RandomState } from "../core/random.js";
import { l2 } from "../core/regularizers.js";
import { createKernels } from "../core/wasm-kernels.js";
import type { Dataset } from "../data/dataset.js";
import { ConfigError, type RunConfig, resolveRunConfig, type TrainConfig } from "./config.js";
import { NonFiniteError } from "./errors.js";
import type { History } from "./history.js";
import type { Stepper } from "./stepper.js";
import { type FitOptions, outputCount, trainTimed } from "./train.js";
import type { TrainerOptions, TrainerState } from "./trainer.js";

/** The options a layered trainer takes: the Trainer's, but f64 only (f32 products are dense-only). */
export type LayerTrainerOptions = Omit<TrainerOptions, "precision" | "retunableDropout" | "regularizers">;

/**
 * One optimizer step at a time for a LayeredNetwork (convolutions, pooling, dropout, dense
 * layers), with the dense Trainer's contract — mini-batches reshuffled from the run's generator
 * each epoch, the config's optimizer over the parameter list, L2 (λ/(2m)·Σ‖W‖² over conv and
 * dense weights, gradient λ/m·W), dropout masks from the same generator (or the `fixed` policy's
 * reseeded one), the head for the labels — so a TrainingRun drives it with early stopping,
 * checkpoints, callbacks and interruption as it drives the Trainer.
 */
export class LayerTrainer implements Stepper {
  iteration = 0;
  epoch = 0;
  readonly kernels: Kernels;
  /** Gradients of the last step, in the order of `network.parameters()`. */
  readonly gradients: readonly Float64Array[];
  private readonly layers: Layer[];
  private readonly params: Float64Array[];
  private readonly optimizer: Optimizer;
  private readonly m: number;
  private readonly batch: number;
  private readonly order: Int32Array | undefined;
  private readonly xb: Float64Array;
  private readonly yb: Float64Array;
  private readonly dZ: Float64Array;
  private readonly fixedRng: RandomState | undefined;
  private readonly penalty: ReturnType<typeof l2>;
  private cursor = 0;
  private costBound = 0;
  private norm2 = 0;
  private readonly layerNorms: number[] = [];
  private readonly transform: TrainerOptions["transform"];

  constructor(
    readonly network: LayeredNetwork,
    readonly data: Dataset,
    readonly config: TrainConfig,
    private readonly rng: RandomState,
    options: LayerTrainerOptions = {},
  ) {
    // The settings table's other regularizers are built for the dense trainer's fused kernels.
    const unsupported = [
      ...(config.regularizers ?? []).map((r) => r.kind),
      ...(config.labelSmoothing ? ["label smoothing"] : []),
      ...(config.weightDecay ? ["weight decay"] : []),
      ...(config.lrSchedule && config.lrSchedule !== "none" ? ["a learning-rate schedule"] : []),
    ];
    if (unsupported.length > 0)
      throw new ConfigError(
        `layered (convolutional) networks take L2 (lambda) and dropout; not yet ${unsupported.join(", ")}`,
      );
    if (data.X.rows !== network.inputSize)
      throw new RangeError(`the network takes ${network.inputSize} features, the data has ${data.X.rows}`);
    this.transform = options.transform;
    this.m = data.X.cols;
    this.batch = config.batchSize > 0 && config.batchSize < this.m ? config.batchSize : this.m;
    const B = this.batch;
    const nx = network.inputSize;
    const K = network.outputs;
    // The kernels' memory is sized once: count what the layers will ask for, then build them.
    let doubles = (nx + 1 + K) * B;
    const counting: Kernels = {
      ...jsKernels,
      alloc: (n) => {
        doubles += n;
        return new Float64Array(0);
      },
    };
    network.buildLayers(counting, B);
    const k = createKernels(doubles, options.kernels, {
      threads: options.threads,
      spawnHelper: options.spawnHelper,
      awaitHelpers: options.awaitHelpers,
    });
    this.kernels = k;
    this.layers = network.buildLayers(k, B);
    this.params = network.parameters();
    this.gradients = this.layers.flatMap((l) => l.grads);
    this.optimizer = createOptimizer(config.optimizer, this.params);
    this.penalty = l2(config.lambda);
    this.fixedRng = config.dropoutMasks === "fixed" ? new RandomState(FIXED_MASK_SEED) : undefined;
    this.xb = k.alloc(nx * B);
    this.yb = k.alloc(B);
    this.dZ = k.alloc(K * B);
    if (B === this.m) {
      this.order = undefined;
      this.xb.set(data.X.data);
      this.yb.set(data.y);
    } else {
      this.order = new Int32Array(this.m);
    }
  }

  get batchSize(): number {
    return this.batch;
  }

  get learningRate(): number {
    const { learningRate: rate, learningRateDecay: decay } = this.config;
    return decay > 0 ? rate / (1 + decay * this.epoch) : rate;
  }

  /** The L2 term in the cost of `weights` over `m` examples (the layered network's one penalty). */
  penaltyCost(weights: readonly Float64Array[], m: number): number {
    return this.penalty.cost?.(weights, m) ?? 0;
  }

  step(withCost = true): number {
    const mb = this.nextBatch();
    const cost = this.forwardBackward(mb, withCost);
    this.optimizer.update(this.params, this.gradients, this.learningRate);
    this.iteration++;
    if (this.cursor === 0) this.epoch++;
    return cost;
  }

  lastCostBound(): { cost: number; weightNorm2: number } {
    return { cost: this.costBound, weightNorm2: this.norm2 };
  }

  lastWeightNorms(): number[] {
    return this.layerNorms.slice();
  }

  getState(): TrainerState {
    return {
      iteration: this.iteration,
      epoch: this.epoch,
      cursor: this.cursor,
      order: this.order ? Array.from(this.order) : null,
      rng: this.rng.getState(),
      optimizer: this.optimizer.getState(),
    };
  }

  setState(state: TrainerState): void {
    const whole = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
    if (!whole(state.iteration) || !whole(state.epoch) || !whole(state.cursor) || state.cursor >= this.m)
      throw new RangeError("the trainer state does not fit this run");
    if (this.order) {
      if (!Array.isArray(state.order) || state.order.length !== this.m)
        throw new RangeError("the trainer state's batch order does not fit this data");
      this.order.set(state.order);
    } else if (state.order !== null) {
      throw new RangeError("the trainer state has a batch order, but this run is full-batch");
    }
    this.rng.setState(state.rng);
    this.optimizer.setState(state.optimizer);
    this.iteration = state.iteration;
    this.epoch = state.epoch;
    this.cursor = state.cursor;
  }

  /** Forward and backward over the whole data (full batch), gradients left in `gradients`. */
  computeGradients(): number {
    if (this.batch !== this.m) throw new RangeError("computeGradients needs a full-batch trainer");
    return this.forwardBackward(this.m, true);
  }

  /** The cost (with L2) of a training-mode forward pass over the whole data (full batch). */
  computeCost(): number {
    if (this.batch !== this.m) throw new RangeError("computeCost needs a full-batch trainer");
    const Z = this.forward(this.m);
    return this.cost(Z, this.m);
  }

  private forwardBackward(mb: number, withCost: boolean): number {
    const Z = this.forward(mb);
    const cost = withCost ? this.cost(Z, mb) : Number.NaN;
    const { head, outputs } = this.network;
    head.gradient(this.dZ, Z, this.yb, mb, outputs, this.kernels);
    let d: Float64Array | undefined = this.dZ;
    const scale = 1 / mb;
    const decay = this.config.lambda / mb;
    for (let l = this.layers.length - 1; l >= 0 && d; l--) d = this.layers[l].backward(d, mb, scale, decay);
    return cost;
  }

  private forward(mb: number): Float64Array {
    // `fixed` masks: the generator is reseeded before every pass, so each pass draws the same ones.
    const rng = this.fixedRng ?? this.rng;
    this.fixedRng?.seed(FIXED_MASK_SEED);
    let a: Float64Array = this.xb;
    for (const layer of this.layers) a = layer.forward(a, mb, true, rng);
    const { head, outputs } = this.network;
    const { finite, bound } = head.bound(a, this.yb, mb, outputs);
    if (!finite) throw new NonFiniteError(this.iteration, "the network's outputs");
    let norm2 = 0;
    this.network.weights.forEach((W, l) => {
      let s = 0;
      for (let i = 0; i < W.length; i++) s += W[i] * W[i];
      this.layerNorms[l] = s;
      norm2 += s;
    });
    this.norm2 = norm2;
    this.costBound = bound + this.penaltyCost(this.network.weights, mb);
    return a;
  }

  private cost(Z: Float64Array, mb: number): number {
    const { head, outputs, weights } = this.network;
    const c = head.cost(Z, this.yb, mb, outputs) + this.penaltyCost(weights, mb);
    if (!Number.isFinite(c)) throw new NonFiniteError(this.iteration, "the cost");
    return c;
  }

  /** The next batch's columns (reshuffled at each epoch start, as the Trainer's); returns its size. */
  private nextBatch(): number {
    const nx = this.network.inputSize;
    if (!this.order) {
      const t = this.transform;
      if (t?.from) t.from(this.data.X.data, this.xb, nx, this.m, this.rng);
      else if (t) {
        this.xb.set(this.data.X.data);
        t(this.xb, nx, this.m, this.rng);
      }
      return this.m;
    }
    const { m, order, xb, yb } = this;
    if (this.cursor === 0) {
      for (let j = 0; j < m; j++) order[j] = j;
      this.rng.shuffle(order);
    }
    const start = this.cursor;
    const mb = Math.min(this.batch, m - start);
    const X = this.data.X.data;
    for (let c = 0; c < mb; c++) {
      const j = order[start + c];
      for (let f = 0; f < nx; f++) xb[f * mb + c] = X[f * m + j];
      yb[c] = this.data.y[j];
    }
    this.cursor = start + mb === m ? 0 : start + mb;
    if (this.transform) this.transform(xb.subarray(0, nx * mb), nx, mb, this.rng);
    return mb;
  }
}

/** The image shape a layered network reads from a dataset (features alone are 1 × 1 × n). */
export function inputShapeOf(data: Dataset): TensorShape {
  return data.shape ?? { height: 1, width: 1, channels: data.X.rows };
}

/**
 * The layered network `fitLayered` trains, initialized from `rng` (by default a fresh
 * RandomState(config.seed)): the hidden `layers`, inverted dropout after hidden dense layers per
 * config.keepProb, and the output layer for the labels (or `classes`).
 */
export function layeredNetworkFor(
  data: Dataset,
  layers: readonly LayerSpec[],
  config: RunConfig,
  rng: RandomState = new RandomState(config.seed),
  classes?: number,
): LayeredNetwork {
  const outputs = outputCount(data, classes);
  const resolved = layersFor(data, layers, config, outputs);
  return LayeredNetwork.initialize(resolved, inputShapeOf(data), rng, {
    activation: config.activation,
    init: config.init,
  });
}

/**
 * The full layer list (see resolveLayers) for the data's images, or a ConfigError naming the layer
 * that does not fit them: the CLI calls it before training, to refuse a bad spec up front.
 */
export function layersFor(
  data: Dataset,
  layers: readonly LayerSpec[],
  config: Pick<RunConfig, "keepProb">,
  outputs = outputUnits(data.y),
): LayerSpec[] {
  const dense = layers.filter((s) => s.type === "dense");
  const keep =
    typeof config.keepProb === "number" ? dense.map(() => config.keepProb as number) : config.keepProb;
  const input = inputShapeOf(data);
  if (shapeSize(input) !== data.X.rows)
    throw new RangeError(`the data's image shape does not match its ${data.X.rows} features`);
  try {
    return resolveLayers(layers, input, outputs, keep);
  } catch (e) {
    // A layer that does not fit the data is a bad configuration, as a bad flag is.
    if (e instanceof LayerSpecError) throw new ConfigError(e.message);
    throw e;
  }
}

/** What `fitLayered` returns: as `fit`'s, with the layered network. */
export interface LayeredFitResult {
  network: LayeredNetwork;
  history: History;
  config: RunConfig;
  seconds: number;
}

/**
 * `fit` for a layered network: `layers` are the hidden layers (the output layer follows from the
 * labels, or `options.classes`); `config.keepProb` adds inverted dropout after the hidden dense
 * layers, as for the dense network. The generator seeded with `config.seed` draws the weights
 * (LayeredNetwork.initialize), then the batch orders and dropout masks.
 */
export async function fitLayered(
  data: Dataset,
  layers: readonly LayerSpec[],
  config: Partial<RunConfig> = {},
  options: FitOptions = {},
): Promise<LayeredFitResult> {
  const dense = layers.filter((s) => s.type === "dense").map((s) => (s as { units: number }).units);
  const full = resolveRunConfig({ ...config, hidden: dense });
  if (options.precision !== undefined && options.precision !== "f64")
    throw new ConfigError(
      `precision ${options.precision} is for dense networks; layered networks train in f64`,
    );
  const rng = new RandomState(full.seed);
  const network = layeredNetworkFor(data, layers, full, rng, options.classes);
  const trainer = new LayerTrainer(network, data, full, rng, options);
  return { network, config: full, ...(await trainTimed(trainer, options)) };
}
