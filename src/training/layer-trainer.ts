import { FIXED_MASK_SEED } from "../core/dropout.js";
import { type OutputHead, outputUnits, smoothLabels } from "../core/heads.js";
import { jsKernels, type Kernels } from "../core/kernels.js";
import { DropoutLayer } from "../core/layers/dropout.js";
import type { Layer } from "../core/layers/layer.js";
import { LayeredNetwork, resolveLayers } from "../core/layers/network.js";
import { NoiseLayer } from "../core/layers/noise.js";
import { type LayerSpec, LayerSpecError, shapeSize, type TensorShape } from "../core/layers/spec.js";
import { createOptimizer, type Optimizer, type OptimizerSpec, withWeightDecay } from "../core/optimizers.js";
import { RandomState } from "../core/random.js";
import {
  buildRegularizer,
  l2,
  type Regularizer,
  type RegularizerSpec,
  type WeightShape,
} from "../core/regularizers.js";
import { type LrSchedule, learningRateAt, parseSchedule } from "../core/schedules.js";
import { createKernels } from "../core/wasm-kernels.js";
import type { Dataset } from "../data/dataset.js";
import { ConfigError, type RunConfig, resolveRunConfig, type TrainConfig } from "./config.js";
import { NonFiniteError } from "./errors.js";
import type { History } from "./history.js";
import { checkLayeredTrainingMemory } from "./memory.js";
import type { Stepper } from "./stepper.js";
import { type FitOptions, outputCount, trainTimed } from "./train.js";
import { noisePlan, type Retune, type TrainerOptions, type TrainerState } from "./trainer.js";
import { validateFitInput } from "./validate-input.js";

/** The options a layered trainer takes: the Trainer's, precision included (see createLayerKernels). */
export type LayerTrainerOptions = Omit<TrainerOptions, "retunableDropout">;

/**
 * Kinds whose cost sums every weight alike, whatever the layout: they read a convolution's W as it
 * lies, so L2's sum keeps its order (and its bits); other costs read each W as units × fanIn.
 */
const ELEMENTWISE = new Set(["l2", "l1", "elastic"]);

/** A layer with weights as the regularizers see it: units × fanIn row-major (see weightRows). */
interface WeightedLayer {
  shape: WeightShape;
  /** A convolution's W is K × filters (Keras's layout): these hold it as filters × K, and `before`. */
  rows?: Float64Array;
  rowsBefore?: Float64Array;
  rowsGrad?: Float64Array;
}

/**
 * One optimizer step at a time for a LayeredNetwork (convolutions, pooling, dropout, dense
 * layers), with the dense Trainer's contract — mini-batches reshuffled from the run's generator
 * each epoch, the config's optimizer over the parameter list, its one list of regularizers (λ's
 * L2, then the config's specs: L1, elastic net, max-norm over conv and dense weights), dropout
 * masks from the same generator (or the `fixed` policy's reseeded one), Gaussian noise on the
 * inputs and Gaussian noise or dropout on the hidden dense layers' activations (noise layer h =
 * hidden dense layer h, 0 = the inputs), label smoothing on the head, decoupled weight decay and
 * the learning-rate schedule — so a TrainingRun drives it with early stopping, checkpoints,
 * callbacks and interruption as it drives the Trainer. A convolution's unit is a filter: max-norm
 * bounds each filter's f·f·C_in weights, as Keras's MaxNorm(axis=[0, 1, 2]) on a Conv2D kernel.
 */
export class LayerTrainer implements Stepper {
  iteration = 0;
  epoch = 0;
  readonly kernels: Kernels;
  /** Gradients of the last step, in the order of `network.parameters()`. */
  readonly gradients: readonly Float64Array[];
  private readonly layers: Layer[];
  private readonly params: Float64Array[];
  private optimizer: Optimizer;
  private optimizerSpec: OptimizerSpec;
  private weightDecay: number;
  // Learning rate and its decay: the config's until retune() changes them.
  private rate: number;
  private decay: number;
  private lambda: number;
  private specs: readonly RegularizerSpec[];
  private readonly extraRegularizers: readonly Regularizer[];
  private readonly m: number;
  private readonly batch: number;
  private readonly order: Int32Array | undefined;
  private readonly xb: Float64Array;
  private readonly yb: Float64Array;
  private readonly dZ: Float64Array;
  private fixedRng: RandomState | undefined;
  private regularizers: readonly Regularizer[];
  private readonly weighted: WeightedLayer[];
  private head: OutputHead;
  private schedule: LrSchedule;
  // The weights each step used, for the constraints (max-norm, L1's stop at zero); empty without.
  private before: Float64Array[];
  private lastPenaltyValue = 0;
  private cursor = 0;
  private costBound = 0;
  private norm2 = 0;
  private readonly layerNorms: number[] = [];
  private readonly transform: TrainerOptions["transform"];
  // The noise per place the trainer was built with (its NoiseLayers): retune cannot change it.
  private readonly noise: readonly { sigma: number; scale: number }[];

  constructor(
    readonly network: LayeredNetwork,
    readonly data: Dataset,
    readonly config: TrainConfig,
    private readonly rng: RandomState,
    options: LayerTrainerOptions = {},
  ) {
    this.lambda = config.lambda;
    this.specs = [...(config.regularizers ?? [])];
    this.extraRegularizers = options.regularizers ?? [];
    this.regularizers = this.penaltyList(this.lambda, this.specs);
    this.rate = config.learningRate;
    this.decay = config.learningRateDecay;
    this.head = smoothLabels(network.head, config.labelSmoothing ?? 0);
    this.schedule = parseSchedule(config.lrSchedule ?? "none");
    const noise = layeredNoisePlan(network, this.regularizers);
    this.noise = noise;
    if (data.X.rows !== network.inputSize)
      throw new RangeError(`the network takes ${network.inputSize} features, the data has ${data.X.rows}`);
    this.transform = options.transform;
    this.m = data.X.cols;
    this.batch = config.batchSize > 0 && config.batchSize < this.m ? config.batchSize : this.m;
    const B = this.batch;
    const nx = network.inputSize;
    const K = network.outputs;
    // Room for the augmentation hook's own buffers beside the batch it writes in place (attach).
    const reserved = options.transform?.kernelDoubles?.(nx, B) ?? 0;
    const k = createLayerKernels(network, B, (nx + 1 + K) * B + reserved, options, (c) =>
      withNoise(network, network.buildLayers(c, B), noise, c, B),
    );
    this.kernels = k;
    this.layers = withNoise(network, network.buildLayers(k, B), noise, k, B);
    this.params = network.parameters();
    this.gradients = this.layers.flatMap((l) => l.grads);
    this.optimizerSpec = config.optimizer;
    this.weightDecay = config.weightDecay ?? 0;
    this.optimizer = this.makeOptimizer(config.optimizer, this.weightDecay);
    this.weighted = weightedLayers(network);
    const constrained = this.regularizers.some((r) => r.afterUpdate);
    this.before = constrained ? network.weights.map((W) => new Float64Array(W.length)) : [];
    this.fixedRng = config.dropoutMasks === "fixed" ? new RandomState(FIXED_MASK_SEED) : undefined;
    this.xb = k.alloc(nx * B);
    this.yb = k.alloc(B);
    this.dZ = k.alloc(K * B);
    if (reserved > 0) options.transform?.attach?.(k, nx, B);
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

  /** The learning rate in force for the next step: α, its decay by epoch and the schedule's factor. */
  get learningRate(): number {
    return learningRateAt(
      this.rate,
      this.decay,
      this.epoch,
      this.schedule,
      this.iteration,
      this.config.iterations,
    );
  }

  /** The trainer's one list of regularizers (λ's L2, the config's specs, options' objects). */
  get penalties(): readonly Regularizer[] {
    return this.regularizers;
  }

  /** The penalties' terms in the cost of `weights` (the network's, in its order) over `m` examples. */
  penaltyCost(weights: readonly Float64Array[], m: number): number {
    let p = 0;
    const shapes = this.weighted.map((w) => w.shape);
    for (const r of this.regularizers) {
      if (!r.cost) continue;
      const asIs = r.spec !== undefined && ELEMENTWISE.has(r.spec.kind);
      p += r.cost(asIs ? weights : weights.map((W, l) => this.weightRows(W, l)), m, shapes);
    }
    return p;
  }

  /** The coefficient c of the fused decay c·W in dW for a batch of `m` (L2: λ/m). */
  fusedDecay(m: number): number {
    let decay = 0;
    for (const r of this.regularizers) if (r.fusedDecay) decay += r.fusedDecay(m);
    return decay;
  }

  /** The penalties' term in the last step's cost (and in lastCostBound's). */
  lastPenalty(): number {
    return this.lastPenaltyValue;
  }

  step(withCost = true): number {
    const mb = this.nextBatch();
    const cost = this.forwardBackward(mb, withCost);
    const weights = this.network.weights;
    for (const [l, b] of this.before.entries()) b.set(weights[l]);
    this.optimizer.update(this.params, this.gradients, this.learningRate);
    this.constrain();
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

  /** The keep probability of each dropout and spatial-dropout layer, in network order. */
  get keepProbs(): number[] {
    return this.dropouts().map((d) => d.layer.keepProb);
  }

  /**
   * Changes what the trainer trains with from the next step on, as Trainer.retune does: the
   * weights, step count, generator, batch order and (unless the optimizer changes) the optimizer's
   * moments stay, so a retuned run is the run built with the new settings from the same weights
   * and state. `keepProb` sets the dropout and spatial-dropout layers' keep probabilities (a number:
   * every such layer; a list: one per layer, in network order): a layer can change or turn off, not
   * appear, so build the network with `dropout:1` where dropout may come. The network's layer list
   * follows (model files, MC dropout). A new optimizer starts with fresh moments; a new weight
   * decay keeps them; a new schedule applies from the current step on. Noise (gaussian-noise,
   * gaussian-dropout) cannot change: its layers are built with the trainer. Everything is checked
   * before anything changes.
   */
  retune(change: Retune): void {
    const drops = this.dropouts();
    const keep = this.retunedKeep(change.keepProb, drops);
    const lr = change.learningRate ?? this.rate;
    if (!(lr > 0) || !Number.isFinite(lr)) throw new RangeError(`learningRate must be > 0, got ${lr}`);
    const decay = change.learningRateDecay ?? this.decay;
    if (!(decay >= 0) || !Number.isFinite(decay))
      throw new RangeError(`learningRateDecay must be ≥ 0, got ${decay}`);
    const changed = change.lambda !== undefined || change.regularizers !== undefined;
    const lambda = change.lambda ?? this.lambda;
    const specs = change.regularizers ? [...change.regularizers] : this.specs;
    const penalties = changed ? this.penaltyList(lambda, specs) : undefined;
    if (penalties) {
      const noise = layeredNoisePlan(this.network, penalties);
      if (noise.some((n, l) => n.sigma !== this.noise[l].sigma || n.scale !== this.noise[l].scale))
        throw new RangeError("a layered network's noise cannot change while it trains: start a new run");
    }
    const head =
      change.labelSmoothing === undefined
        ? undefined
        : smoothLabels(this.network.head, change.labelSmoothing);
    const schedule = change.lrSchedule === undefined ? undefined : parseSchedule(change.lrSchedule);
    const wd = change.weightDecay ?? this.weightDecay;
    if (!(wd >= 0) || !Number.isFinite(wd)) throw new RangeError(`weightDecay must be ≥ 0, got ${wd}`);
    const optimizer = change.optimizer
      ? this.makeOptimizer(change.optimizer, wd)
      : wd !== this.weightDecay
        ? this.redecay(wd)
        : undefined;

    this.rate = lr;
    this.decay = decay;
    if (penalties) {
      this.regularizers = penalties;
      this.lambda = lambda;
      this.specs = specs;
      // Constraints (max-norm, L1's stop at zero) need the weights each step started from.
      const constrained = penalties.some((r) => r.afterUpdate);
      if (constrained && this.before.length === 0)
        this.before = this.network.weights.map((W) => new Float64Array(W.length));
      else if (!constrained) this.before = [];
    }
    if (head) this.head = head;
    if (schedule) this.schedule = schedule;
    if (change.optimizer) this.optimizerSpec = change.optimizer;
    this.weightDecay = wd;
    if (optimizer) this.optimizer = optimizer;
    const specsNow = this.network.layers as LayerSpec[];
    drops.forEach((d, i) => {
      d.layer.keepProb = keep[i];
      specsNow[d.at] = { type: specsNow[d.at].type as "dropout" | "spatial-dropout", keepProb: keep[i] };
    });
    if (change.dropoutMasks)
      this.fixedRng = change.dropoutMasks === "fixed" ? new RandomState(FIXED_MASK_SEED) : undefined;
  }

  /** The dropout layers as trained (noise layers left out) and each one's index in network.layers. */
  private dropouts(): { layer: DropoutLayer; at: number }[] {
    const layers = this.layers.filter((l) => !(l instanceof NoiseLayer));
    const out: { layer: DropoutLayer; at: number }[] = [];
    layers.forEach((l, at) => {
      if (l instanceof DropoutLayer) out.push({ layer: l, at });
    });
    return out;
  }

  private retunedKeep(p: Retune["keepProb"], drops: readonly { layer: DropoutLayer }[]): number[] {
    if (p === undefined) return drops.map((d) => d.layer.keepProb);
    const keep = typeof p === "number" ? drops.map(() => p) : [...p];
    if (typeof p === "number" && drops.length === 0 && p < 1)
      throw new RangeError(
        "the network has no dropout layer: build it with dropout:1 where dropout may come",
      );
    if (keep.length !== drops.length)
      throw new RangeError(`keepProb lists ${keep.length} values for ${drops.length} dropout layers`);
    for (const k of keep)
      if (!(k > 0 && k <= 1)) throw new RangeError(`keepProb must be in (0, 1], got ${k}`);
    return keep;
  }

  private penaltyList(lambda: number, specs: readonly RegularizerSpec[]): Regularizer[] {
    return [l2(lambda), ...specs.map(buildRegularizer), ...this.extraRegularizers];
  }

  private makeOptimizer(spec: OptimizerSpec, weightDecay: number): Optimizer {
    // Weights decay, biases do not (the parameter list is [W_1, b_1, …]).
    return withWeightDecay(
      createOptimizer(spec, this.params),
      weightDecay,
      this.params.map((_, i) => i % 2 === 0),
    );
  }

  /** The same optimizer's moments under a new weight decay (the state carries over). */
  private redecay(wd: number): Optimizer {
    const next = this.makeOptimizer(this.optimizerSpec, wd);
    next.setState(this.optimizer.getState());
    return next;
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

  /**
   * W of weighted layer l as units × fanIn row-major, as every regularizer hook takes it: a dense
   * layer's own W; a convolution's, transposed into scratch (its unit is a filter).
   */
  private weightRows(W: Float64Array, l: number, into?: Float64Array): Float64Array {
    const w = this.weighted[l];
    if (!w.rows) return W;
    const { units, fanIn } = w.shape;
    const out = into ?? w.rows;
    for (let u = 0; u < units; u++) for (let i = 0; i < fanIn; i++) out[u * fanIn + i] = W[i * units + u];
    return out;
  }

  /** Writes rows (units × fanIn) back into a convolution's K × filters layout. */
  private fromRows(rows: Float64Array, W: Float64Array, l: number): void {
    const { units, fanIn } = this.weighted[l].shape;
    for (let u = 0; u < units; u++) for (let i = 0; i < fanIn; i++) W[i * units + u] = rows[u * fanIn + i];
  }

  /** The regularizers' constraints after an update, each weight matrix seen as units × fanIn. */
  private constrain(): void {
    if (this.before.length === 0) return;
    const weights = this.network.weights;
    for (const r of this.regularizers) {
      if (!r.afterUpdate) continue;
      for (let l = 0; l < weights.length; l++) {
        const w = this.weighted[l];
        if (!w.rows) {
          r.afterUpdate(weights[l], this.before[l], w.shape, l);
          continue;
        }
        r.afterUpdate(
          this.weightRows(weights[l], l),
          this.weightRows(this.before[l], l, w.rowsBefore),
          w.shape,
          l,
        );
        this.fromRows(w.rows, weights[l], l);
      }
    }
  }

  /** Adds the regularizers' own gradient terms (L1's) to each dW, after the layers' fused L2. */
  private addPenaltyGradients(mb: number): void {
    const weights = this.network.weights;
    for (const r of this.regularizers) {
      if (!r.addGradient) continue;
      for (let l = 0; l < weights.length; l++) {
        const w = this.weighted[l];
        const dW = this.gradients[2 * l];
        if (!w.rows || !w.rowsGrad) {
          r.addGradient(dW, weights[l], l, mb, w.shape);
          continue;
        }
        const g = this.weightRows(dW, l, w.rowsGrad);
        r.addGradient(g, this.weightRows(weights[l], l), l, mb, w.shape);
        this.fromRows(g, dW, l);
      }
    }
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
    this.head.gradient(this.dZ, Z, this.yb, mb, this.network.outputs, this.kernels);
    let d: Float64Array | undefined = this.dZ;
    const scale = 1 / mb;
    const decay = this.fusedDecay(mb);
    for (let l = this.layers.length - 1; l >= 0 && d; l--) d = this.layers[l].backward(d, mb, scale, decay);
    this.addPenaltyGradients(mb);
    return cost;
  }

  private forward(mb: number): Float64Array {
    // `fixed` masks: the generator is reseeded before every pass, so each pass draws the same ones.
    const rng = this.fixedRng ?? this.rng;
    this.fixedRng?.seed(FIXED_MASK_SEED);
    let a: Float64Array = this.xb;
    for (const layer of this.layers) a = layer.forward(a, mb, true, rng);
    const { finite, bound } = this.head.bound(a, this.yb, mb, this.network.outputs);
    if (!finite) throw new NonFiniteError(this.iteration, "the network's outputs");
    let norm2 = 0;
    this.network.weights.forEach((W, l) => {
      let s = 0;
      for (let i = 0; i < W.length; i++) s += W[i] * W[i];
      this.layerNorms[l] = s;
      norm2 += s;
    });
    this.norm2 = norm2;
    this.lastPenaltyValue = this.penaltyCost(this.network.weights, mb);
    this.costBound = bound + this.lastPenaltyValue;
    return a;
  }

  private cost(Z: Float64Array, mb: number): number {
    const { outputs, weights } = this.network;
    const c = this.head.cost(Z, this.yb, mb, outputs) + this.penaltyCost(weights, mb);
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

/**
 * Kernels sized for `network`'s layers at batch `batch` plus `extra` values. The memory is sized
 * once: what the layers will ask for is counted first, by `build` (the runtime layers, noise layers
 * included; by default the network's own). With precision f32 / f32-fma the blocked
 * products read f32 copies of their sources (im2col patches, activations, dZ), each at most as
 * large as the largest buffer a layer allocates: that much is reserved for a converted source and
 * as much for the patches a convolution builds in f32 (Kernels.mirrorView).
 */
export function createLayerKernels(
  network: LayeredNetwork,
  batch: number,
  extra: number,
  options: Pick<TrainerOptions, "kernels" | "threads" | "spawnHelper" | "awaitHelpers" | "precision">,
  build: (counting: Kernels) => void = (c) => network.buildLayers(c, batch),
): Kernels {
  const f32 = options.precision !== undefined && options.precision !== "f64";
  let doubles = extra;
  let largest = 0;
  const counting: Kernels = {
    ...jsKernels,
    f32Products: f32,
    alloc: (n) => {
      doubles += n;
      largest = Math.max(largest, n);
      return new Float64Array(0);
    },
  };
  build(counting);
  // Two f32 copies: a product's converted source, and the patches a convolution builds in f32.
  const f32Sources = { input: f32 ? largest : 0, hidden: f32 ? largest : 0 };
  if (f32) doubles += 2 * (Math.ceil(largest / 2) + 8);
  return createKernels(doubles, options.kernels, {
    threads: options.threads,
    spawnHelper: options.spawnHelper,
    awaitHelpers: options.awaitHelpers,
    precision: options.precision,
    f32Sources,
  });
}

/**
 * The noise per place (0 = the inputs, h = after hidden dense layer h and its dropout), from the
 * regularizers' noise specs as the dense Trainer reads them. Convolution and pooling outputs take
 * none: a noise spec naming a layer past the hidden dense ones is a ConfigError saying so.
 */
function layeredNoisePlan(network: LayeredNetwork, regularizers: readonly Regularizer[]) {
  const hidden = network.layers.filter((s) => s.type === "dense").length - 1;
  for (const r of regularizers)
    for (const l of r.noise?.layers(hidden) ?? [])
      if (!(Number.isInteger(l) && l >= 0 && l <= hidden))
        throw new ConfigError(
          `${r.name}: layer ${l} is not the inputs (0) or a hidden dense layer (1…${hidden}); a layered network takes no noise on its convolution or pooling outputs`,
        );
  try {
    return noisePlan(regularizers, hidden);
  } catch (e) {
    throw e instanceof RangeError ? new ConfigError(e.message) : e;
  }
}

/** The runtime layers with a NoiseLayer at each place the plan has noise (see layeredNoisePlan). */
function withNoise(
  network: LayeredNetwork,
  layers: Layer[],
  plan: readonly { sigma: number; scale: number }[],
  k: Kernels,
  batch: number,
): Layer[] {
  const noisy = (h: number) => plan[h].sigma > 0 || plan[h].scale > 0;
  const noiseAt = (h: number, shape: TensorShape) =>
    new NoiseLayer(shape, { sigma: plan[h].sigma, scale: plan[h].scale }, k, batch);
  const out: Layer[] = noisy(0) ? [noiseAt(0, network.shapes[0])] : [];
  const specs = network.layers;
  let dense = 0;
  let afterDense = false;
  for (let i = 0; i < layers.length; i++) {
    out.push(layers[i]);
    const type = specs[i].type;
    if (type === "dense") {
      dense++;
      afterDense = true;
    } else if (type !== "dropout") afterDense = false;
    // After a hidden dense layer and its dropout: the dense Trainer's mask, then its noise.
    const hiddenEnds = afterDense && i < layers.length - 1 && specs[i + 1].type !== "dropout";
    if (hiddenEnds && noisy(dense)) out.push(noiseAt(dense, layers[i].output));
  }
  return out;
}

/** Each weighted layer's shape as units × fanIn, with transposing scratch for convolutions. */
function weightedLayers(network: LayeredNetwork): WeightedLayer[] {
  const out: WeightedLayer[] = [];
  network.layers.forEach((s, i) => {
    if (s.type === "dense") {
      out.push({ shape: { units: s.units, fanIn: shapeSize(network.shapes[i]) } });
    } else if (s.type === "conv") {
      const fanIn = s.size * s.size * network.shapes[i].channels;
      const n = fanIn * s.filters;
      out.push({
        shape: { units: s.filters, fanIn },
        rows: new Float64Array(n),
        rowsBefore: new Float64Array(n),
        rowsGrad: new Float64Array(n),
      });
    }
  });
  return out;
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
  // Bad labels, NaN or a label past `classes`: one clear line, as fit says it.
  validateFitInput(data, options.classes);
  const dense = layers.filter((s) => s.type === "dense").map((s) => (s as { units: number }).units);
  const full = resolveRunConfig({ ...config, hidden: dense });
  // A network that cannot fit is refused with its estimate before any weight is drawn.
  const resolved = layersFor(data, layers, full, outputCount(data, options.classes));
  checkLayeredTrainingMemory(resolved, inputShapeOf(data), data.X.cols, full);
  const rng = new RandomState(full.seed);
  const network = layeredNetworkFor(data, layers, full, rng, options.classes);
  const trainer = new LayerTrainer(network, data, full, rng, options);
  return { network, config: full, ...(await trainTimed(trainer, options)) };
}
