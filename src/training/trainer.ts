import { activate, multiplyByDerivative } from "../core/activations.js";
import { keepProbsFor, type MaskPolicy, MaskSource } from "../core/dropout.js";
import { type OutputHead, smoothLabels } from "../core/heads.js";
import type { KernelBackend, Kernels } from "../core/kernels.js";
import type { Network } from "../core/network.js";
import {
  createOptimizer,
  type Optimizer,
  type OptimizerSpec,
  type OptimizerState,
  withWeightDecay,
} from "../core/optimizers.js";
import type { RandomState, RandomStateSnapshot } from "../core/random.js";
import { drawGaussianFactors } from "../core/regularizers/noise.js";
import {
  buildRegularizer,
  l2,
  type Regularizer,
  type RegularizerSpec,
  type WeightShape,
} from "../core/regularizers.js";
import { type LrSchedule, learningRateAt, parseSchedule } from "../core/schedules.js";
import type { SpawnHelper } from "../core/wasm/threads.js";
import { createKernels, type Precision } from "../core/wasm-kernels.js";
import type { Dataset } from "../data/dataset.js";
import type { TrainConfig } from "./config.js";
import { NonFiniteError } from "./errors.js";
import { validateTrainerInput } from "./validate-input.js";

export interface TrainerOptions {
  /** Where the products run; `wasm` (the default) falls back to `js` where unsupported. */
  kernels?: KernelBackend;
  /** Threads for the large products (WebAssembly only; needs spawnHelper); same bits for any count. */
  threads?: number;
  /** Starts a kernel helper thread (reglab/node's nodeHelperSpawner in Node). */
  spawnHelper?: SpawnHelper;
  /** false in a browser worker: products use the helpers started so far (see KernelOptions). */
  awaitHelpers?: boolean;
  /**
   * The large products' arithmetic (WebAssembly only). "f64" (the default) is the reference, bit
   * for bit. "f32" runs the cache-blocked products (layers of ≥ 4 units with ≥ 8 inputs) in f32x4
   * with f32 sums: their inputs — W (or dZ for dW), the batch, hidden activations, dZ — are
   * rounded to floats; their outputs, biases, ReLU/dropout steps and dW's scale and decay, the
   * weights, the optimizer's state, the heads and the small products stay f64. "f32-fma" also
   * fuses each multiply-add (relaxed SIMD; Node 20 needs reglab/node's enableRelaxedSimd first).
   * Costs then differ from f64 by about f32's rounding (docs/kernels.md has the measured gaps).
   */
  precision?: Precision;
  /**
   * Regularizer objects beside those the config's specs describe (λ and `config.regularizers`),
   * e.g. one of your own that is not registered; they join the end of the trainer's one list.
   */
  regularizers?: readonly Regularizer[];
  /**
   * Online augmentation: called on every training batch after its columns are copied (features ×
   * examples, row-major), to change them in place with the run's generator. Never sees dev or test data.
   */
  transform?: BatchTransform;
  /**
   * Allocate dropout and noise buffers for every layer, not only those that use them, so that
   * `retune` may turn dropout or noise on anywhere later (the playground). Results are the same
   * either way.
   */
  retunableDropout?: boolean;
}

/** TrainerOptions.transform: a batch (features × examples, row-major) changed in place. */
export interface BatchTransform {
  (batch: Float64Array, features: number, examples: number, rng: RandomState): void;
  /**
   * Optional: the same transform (the same draws and values) reading the columns from `source`
   * and writing them into `batch`, so that a full batch needs no copy of the data first. The
   * trainer passes its training data, which a run never changes: a hook may keep a copy of it.
   */
  readonly from?: (
    source: Float64Array,
    batch: Float64Array,
    features: number,
    examples: number,
    rng: RandomState,
  ) => void;
  /**
   * Optional: doubles of the kernels' memory the hook would use for batches of up to `examples`
   * columns; the trainer reserves them and, once its batch lives there, calls `attach` with the
   * kernels, so that the hook may write the batch in place (no copy in and out of its own memory).
   */
  readonly kernelDoubles?: (features: number, examples: number) => number;
  readonly attach?: (kernels: Kernels, features: number, examples: number) => void;
}

/** What `Trainer.retune` may change in a running trainer; the weights and the step count stay. */
export interface Retune {
  learningRate?: number;
  learningRateDecay?: number;
  lambda?: number;
  keepProb?: number | readonly number[];
  dropoutMasks?: MaskPolicy;
  /** A new optimizer starts with fresh moments (velocity, Adam's averages and step count). */
  optimizer?: OptimizerSpec;
  /** Replaces the config's regularizer specs (λ's L2 and options.regularizers stay). */
  regularizers?: readonly RegularizerSpec[];
  labelSmoothing?: number;
  /** A new weight decay keeps the optimizer's moments. */
  weightDecay?: number;
  /** A new schedule applies from the current step on (core/schedules.ts). */
  lrSchedule?: string;
}

/** One layer's training noise (layer 0 = the inputs): additive σ and a multiplicative factor's s. */
export interface LayerNoise {
  sigma: number;
  scale: number;
  /** ε for the additive part and the factors 1 + s·ε, layer size × batch (when allocated). */
  eps?: Float64Array;
  factor?: Float64Array;
}

/** Where a trainer is in its run, beside the weights: enough to go on bit for bit. */
export interface TrainerState {
  iteration: number;
  epoch: number;
  cursor: number;
  /** The epoch's example order (mini-batches only). */
  order: number[] | null;
  rng: RandomStateSnapshot;
  optimizer: OptimizerState;
}

/**
 * One training step at a time over a fixed dataset: TrainingRun (run.ts) steps it for every
 * command, the playground's worker a few times per animation frame. Every buffer is allocated here, once, in the kernels' own
 * memory; `step()` allocates nothing.
 */
export class Trainer {
  /** Completed iterations (optimizer steps). */
  iteration = 0;
  /** Completed passes over the data. */
  epoch = 0;
  /** Gradients of the last step, in the order of `network.parameters()`. */
  readonly gradients: Float64Array[];

  /** The kernels this trainer runs on (`backend` says which). */
  readonly kernels: Kernels;

  private readonly params: Float64Array[];
  // The network's weights and biases as the kernels see them, copied in before each forward pass.
  private readonly W: Float64Array[] = [];
  private readonly b: Float64Array[] = [];
  private keep: number[];
  private optimizer: Optimizer;
  private optimizerSpec: OptimizerSpec;
  private weightDecay: number;
  // The one list of regularizers: λ's L2 first, then the config's specs, then options' objects.
  private regularizers: readonly Regularizer[];
  private readonly extraRegularizers: readonly Regularizer[];
  private head: OutputHead;
  private schedule: LrSchedule;
  // Per layer 0 (inputs) … H: its training noise, and the noisy input batch when the inputs have any.
  private noise: LayerNoise[] = [];
  private readonly xn: Float64Array | undefined;
  private input: Float64Array;
  private readonly drawNoise = (r: RandomState) => this.fillNoise(r);
  private masks: MaskSource;
  // Learning rate and its decay: the config's until retune() changes them.
  private rate: number;
  private decay: number;
  private readonly m: number;
  private readonly batch: number;
  // Per layer l = 1..L (index l−1): pre-activation, activation (the same array for ReLU, which
  // is fused into the product), post-dropout activation (the same array without dropout),
  // dropout mask (undefined without), and dZ (which holds dA while it is being formed).
  private readonly Z: Float64Array[] = [];
  private readonly G: Float64Array[] = [];
  private readonly A: Float64Array[] = [];
  private readonly D: (Float64Array | undefined)[] = [];
  // Per hidden layer: its dropout buffers (activation after the mask, mask) when allocated; A and
  // D point at them only while that layer's keepProb is < 1.
  private readonly dropBuffers: ({ a: Float64Array; d: Float64Array } | undefined)[] = [];
  private readonly dZ: Float64Array[] = [];
  // Mini-batch state: the columns of the current batch and the epoch's order.
  private readonly order: Int32Array | undefined;
  private readonly xb: Float64Array;
  // The batch's labels as doubles, where the output-gradient kernel reads them.
  private readonly yb: Float64Array;
  private cursor = 0;
  private lastBatch = 0;
  /** A lower bound of the last step's cost and its Σ‖W‖² (see lastCostBound). */
  private costBound = 0;
  private norm2 = 0;
  private lastPenaltyValue = 0;
  private readonly layerNorms: number[] = [];
  private readonly transform: TrainerOptions["transform"];

  constructor(
    readonly network: Network,
    readonly data: Dataset,
    readonly config: TrainConfig,
    private readonly rng: RandomState,
    options: TrainerOptions = {},
  ) {
    const sizes = network.sizes;
    this.transform = options.transform;
    validateTrainerInput(network, data);
    this.m = data.X.cols;
    this.batch = config.batchSize > 0 && config.batchSize < this.m ? config.batchSize : this.m;
    this.keep = keepProbsFor(config.keepProb, sizes.length - 2);
    this.rate = config.learningRate;
    this.decay = config.learningRateDecay;
    this.params = network.parameters();
    this.optimizerSpec = config.optimizer;
    this.weightDecay = config.weightDecay ?? 0;
    this.optimizer = this.makeOptimizer(config.optimizer, this.weightDecay);
    this.extraRegularizers = options.regularizers ?? [];
    this.lambda = config.lambda;
    this.specs = [...(config.regularizers ?? [])];
    this.regularizers = this.penaltyList(this.lambda, this.specs);
    this.head = smoothLabels(network.head, config.labelSmoothing ?? 0);
    this.schedule = parseSchedule(config.lrSchedule ?? "none");
    const H = sizes.length - 2;
    this.noise = noisePlan(this.regularizers, H);
    const retunable = options.retunableDropout === true;
    const noisy = (l: number) => retunable || this.noise[l].sigma > 0 || this.noise[l].scale > 0;
    const B = this.batch;
    const relu = network.activation === "relu";
    const dropped = (l: number) => l < sizes.length - 1 && (retunable || this.keep[l - 1] < 1 || noisy(l));
    const separateG = (l: number) => l < sizes.length - 1 && !relu;
    // Every buffer below, counted first: the kernels' memory is sized once and never grows.
    let doubles = (sizes[0] + 1) * B;
    for (const p of this.params) doubles += p.length;
    for (let l = 1; l < sizes.length; l++) {
      const n = sizes[l] * B;
      doubles += (sizes[l - 1] + 1) * sizes[l] + n * (2 + (separateG(l) ? 1 : 0) + (dropped(l) ? 2 : 0));
    }
    for (let l = 0; l <= H; l++) if (noisy(l)) doubles += sizes[l] * B * (l === 0 ? 3 : 2);
    // f32 products read f32 copies of their sources: the batch's, kept by the kernels (mirror),
    // and one hidden layer's activations or dZ at a time.
    const hidden = Math.max(...sizes.slice(1)) * B;
    const f32Sources = { input: sizes[0] * B, hidden };
    if (options.precision && options.precision !== "f64")
      doubles += Math.ceil((f32Sources.input + hidden) / 2) + 8;
    const reserved = options.transform?.kernelDoubles?.(sizes[0], B) ?? 0;
    doubles += reserved;
    const k = createKernels(doubles, options.kernels, {
      threads: options.threads,
      spawnHelper: options.spawnHelper,
      awaitHelpers: options.awaitHelpers,
      precision: options.precision,
      f32Sources,
    });
    this.kernels = k;
    this.masks = this.maskSource(config.dropoutMasks);
    this.gradients = this.params.map((p) => k.alloc(p.length));
    for (let l = 1; l < sizes.length; l++) {
      const n = sizes[l] * B;
      this.W.push(k.alloc(sizes[l] * sizes[l - 1]));
      this.b.push(k.alloc(sizes[l]));
      const z = k.alloc(n);
      const g = separateG(l) ? k.alloc(n) : z;
      this.Z.push(z);
      this.G.push(g);
      const buffers = dropped(l) ? { a: k.alloc(n), d: k.alloc(n) } : undefined;
      if (l < sizes.length - 1) this.dropBuffers.push(buffers);
      this.A.push(g);
      this.D.push(undefined);
      this.dZ.push(k.alloc(n));
    }
    for (let l = 0; l <= H; l++) {
      if (!noisy(l)) continue;
      this.noise[l].eps = k.alloc(sizes[l] * B);
      this.noise[l].factor = k.alloc(sizes[l] * B);
    }
    this.pointDropout();
    this.xb = k.alloc(sizes[0] * B);
    this.xn = noisy(0) ? k.alloc(sizes[0] * B) : undefined;
    this.input = this.xb;
    this.yb = k.alloc(B);
    if (reserved > 0) options.transform?.attach?.(k, sizes[0], B);
    if (B === this.m) {
      this.order = undefined;
      this.xb.set(data.X.data);
      this.yb.set(data.y);
      k.mirror?.(this.xb, this.xb.length);
    } else {
      this.order = new Int32Array(this.m);
    }
  }

  /** Examples per step: the mini-batch size, or m for full batch. */
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

  /**
   * The trainer's one list of regularizers, built from λ and the config's specs (and any objects
   * given in its options): every penalty term — cost, gradient, the divergence rule's bound,
   * `check`, the report's diagnostics — reads it.
   */
  get penalties(): readonly Regularizer[] {
    return this.regularizers;
  }

  /** The penalties' terms in the cost of `weights` over a batch of `m` examples. */
  penaltyCost(weights: readonly Float64Array[], m: number): number {
    let p = 0;
    for (const r of this.regularizers) if (r.cost) p += r.cost(weights, m, this.shapes);
    return p;
  }

  /** Each weight matrix's shape: units (rows) × fan-in. */
  private get shapes(): WeightShape[] {
    const s = this.network.sizes;
    return this.network.weights.map((_, l) => ({ units: s[l + 1], fanIn: s[l] }));
  }

  /** The coefficient c of the fused decay c·W in dW for a batch of `m` (L2: λ/m). */
  fusedDecay(m: number): number {
    let decay = 0;
    for (const r of this.regularizers) if (r.fusedDecay) decay += r.fusedDecay(m);
    return decay;
  }

  // λ and the specs the list was built from (retune rebuilds it).
  private lambda = 0;
  private specs: RegularizerSpec[] = [];

  private penaltyList(lambda: number, specs: readonly RegularizerSpec[]): Regularizer[] {
    return [l2(lambda), ...specs.map(buildRegularizer), ...this.extraRegularizers];
  }

  private makeOptimizer(spec: OptimizerSpec, weightDecay: number): Optimizer {
    // Weights decay, biases do not (the parameter list is [W_1, b_1, …]).
    return withWeightDecay(
      createOptimizer(spec, this.params),
      weightDecay,
      this.params.map((_, k) => k % 2 === 0),
    );
  }

  /** keepProb per hidden layer, as in force now. */
  get keepProbs(): readonly number[] {
    return this.keep;
  }

  /**
   * Changes settings of a running trainer, keeping its weights, step count, generator and batch
   * order: what the playground turns while it trains. Checks everything before changing anything.
   * Turning dropout on in a layer that had none needs a trainer built with `retunableDropout`.
   */
  retune(change: Retune): void {
    const sizes = this.network.sizes;
    const keep = change.keepProb === undefined ? this.keep : keepProbsFor(change.keepProb, sizes.length - 2);
    keep.forEach((p, h) => {
      if (p < 1 && !this.dropBuffers[h]) {
        throw new RangeError(
          `hidden layer ${h + 1} has no dropout buffers: build the trainer with retunableDropout`,
        );
      }
    });
    const lr = change.learningRate ?? this.rate;
    if (!(lr > 0) || !Number.isFinite(lr)) throw new RangeError(`learningRate must be > 0, got ${lr}`);
    const decay = change.learningRateDecay ?? this.decay;
    if (!(decay >= 0) || !Number.isFinite(decay))
      throw new RangeError(`learningRateDecay must be ≥ 0, got ${decay}`);
    const changed = change.lambda !== undefined || change.regularizers !== undefined;
    const lambda = change.lambda ?? this.lambda;
    const specs = change.regularizers ? [...change.regularizers] : this.specs;
    const penalties = changed ? this.penaltyList(lambda, specs) : undefined;
    const noise = penalties ? noisePlan(penalties, sizes.length - 2) : undefined;
    noise?.forEach((n, l) => {
      const old = this.noise[l];
      if ((n.sigma > 0 || n.scale > 0) && !old.eps) {
        throw new RangeError(`layer ${l} has no noise buffers: build the trainer with retunableDropout`);
      }
      n.eps = old.eps;
      n.factor = old.factor;
    });
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
    const masks = change.dropoutMasks ? this.maskSource(change.dropoutMasks) : undefined;

    this.rate = lr;
    this.decay = decay;
    if (penalties) {
      this.regularizers = penalties;
      this.lambda = lambda;
      this.specs = specs;
    }
    if (head) this.head = head;
    if (schedule) this.schedule = schedule;
    if (change.optimizer) this.optimizerSpec = change.optimizer;
    this.weightDecay = wd;
    if (optimizer) this.optimizer = optimizer;
    const noiseChanged =
      noise?.some((n, l) => n.sigma !== this.noise[l].sigma || n.scale !== this.noise[l].scale) === true;
    if (noise) this.noise = noise;
    const keepChanged = keep.some((p, h) => p !== this.keep[h]);
    this.keep = [...keep];
    this.pointDropout();
    // A fixed mask policy keeps its masks while nothing changes: new keepProbs need new masks.
    if (masks) this.masks = masks;
    else if (keepChanged || noiseChanged) this.masks = this.maskSource(this.masks.policy);
  }

  /** The same optimizer's moments under a new weight decay (the state carries over). */
  private redecay(wd: number): Optimizer {
    const next = this.makeOptimizer(this.optimizerSpec, wd);
    next.setState(this.optimizer.getState());
    return next;
  }

  private maskSource(policy: MaskPolicy): MaskSource {
    const k = this.kernels;
    return new MaskSource(policy, this.rng, (r, mask, n, p) => k.drawMask(r, mask, n, p));
  }

  /**
   * Points each hidden layer's A at its own buffer while it has dropout or noise, and D at its
   * mask while its keepProb is < 1.
   */
  private pointDropout(): void {
    this.dropBuffers.forEach((buffers, h) => {
      const on = buffers !== undefined && this.keep[h] < 1;
      const noisy = this.noise[h + 1].sigma > 0 || this.noise[h + 1].scale > 0;
      this.A[h] = buffers !== undefined && (on || noisy) ? buffers.a : this.G[h];
      this.D[h] = on ? buffers.d : undefined;
    });
  }

  /** Draws every layer's noise for a batch, inputs first, then hidden layers in order. */
  private fillNoise(r: RandomState): void {
    const sizes = this.network.sizes;
    const mb = this.lastBatch;
    this.noise.forEach((nz, l) => {
      const n = sizes[l] * mb;
      if (nz.sigma > 0) r.randn(n, nz.eps);
      if (nz.scale > 0) drawGaussianFactors(r, nz.factor!, n, nz.scale);
    });
  }

  /** out = a ⊙ factor + σ·ε over n values, for the layer's noise (out may be a). */
  private applyNoise(out: Float64Array, a: Float64Array, nz: LayerNoise, n: number): void {
    let src = a;
    if (nz.scale > 0) {
      this.kernels.multiply(out, src, nz.factor!, n);
      src = out;
    }
    if (nz.sigma > 0) {
      const { sigma } = nz;
      const eps = nz.eps!;
      for (let i = 0; i < n; i++) out[i] = src[i] + sigma * eps[i];
    }
  }

  /**
   * One optimizer step on the next batch: forward with fresh (or fixed) dropout masks, backward,
   * update. Returns the cost of that forward pass (with its penalties), or NaN when `withCost` is
   * false, which skips the logarithms. Throws NonFiniteError once the outputs stop being finite.
   */
  step(withCost = true): number {
    const mb = this.nextBatch();
    this.lastBatch = mb;
    const cost = this.forwardBackward(mb, withCost);
    this.optimizer.update(this.params, this.gradients, this.learningRate);
    this.constrain();
    this.iteration++;
    if (this.cursor === 0) this.epoch++;
    return cost;
  }

  /** The regularizers' constraints after an update (max-norm, L1's stop at zero); W holds the step's own weights. */
  private constrain(): void {
    const sizes = this.network.sizes;
    for (const r of this.regularizers) {
      if (!r.afterUpdate) continue;
      for (let l = 0; l < this.W.length; l++) {
        r.afterUpdate(this.network.weights[l], this.W[l], { units: sizes[l + 1], fanIn: sizes[l] }, l);
      }
    }
  }

  /**
   * A lower bound of the last step's cost that needs no logarithms: the mean of max(0, (1−2y)·z)
   * (cross-entropy minus at most ln 2) plus the penalties, and Σ‖W‖² of the weights that step used.
   * The divergence rule reads these after every step.
   */
  lastCostBound(): { cost: number; weightNorm2: number } {
    return { cost: this.costBound, weightNorm2: this.norm2 };
  }

  /** The penalties' term in the last step's cost (and in lastCostBound's). */
  lastPenalty(): number {
    return this.lastPenaltyValue;
  }

  /** ‖W_l‖²_F per layer of the weights the last step used; their sum is lastCostBound's Σ‖W‖². */
  lastWeightNorms(): number[] {
    return this.layerNorms.slice();
  }

  /** Everything beside the network's weights that a resumed run needs to go on bit for bit. */
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

  /** Puts back what getState() returned (the weights are restored separately, into the network). */
  setState(state: TrainerState): void {
    const whole = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
    if (!whole(state.iteration) || !whole(state.epoch) || !whole(state.cursor) || state.cursor >= this.m) {
      throw new RangeError("the trainer state does not fit this run");
    }
    if (this.order) {
      if (!Array.isArray(state.order) || state.order.length !== this.m) {
        throw new RangeError("the trainer state's batch order does not fit this data");
      }
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
   * The dropout masks of the last step, for display (the playground dims dropped units): entry h
   * is hidden layer h+1's mask, n × batch row-major, 0 where a unit was dropped for that example
   * and 1/keepProb where kept, or undefined when that layer has no dropout. These are the live
   * buffers, overwritten by the next step: read them, copy what you keep, never write them.
   */
  lastDropoutMasks(): { readonly masks: readonly (Float64Array | undefined)[]; readonly batch: number } {
    return { masks: this.D.slice(0, -1), batch: this.lastBatch };
  }

  /**
   * Forward and backward over the whole dataset with masks drawn by the mask policy, leaving the
   * result in `gradients` without updating anything (for gradient checking).
   */
  computeGradients(): number {
    if (this.batch !== this.m) throw new RangeError("computeGradients needs a full-batch trainer");
    this.lastBatch = this.m;
    return this.forwardBackward(this.m, true);
  }

  /** The cost of a forward pass over the whole dataset with the current masks, nothing else. */
  computeCost(): number {
    if (this.batch !== this.m) throw new RangeError("computeCost needs a full-batch trainer");
    this.lastBatch = this.m;
    this.forward(this.m);
    return this.cost(this.m);
  }

  private forwardBackward(mb: number, withCost: boolean): number {
    this.forward(mb);
    const cost = withCost ? this.cost(mb) : Number.NaN;
    this.backward(mb);
    return cost;
  }

  /** Chooses the next batch's columns, reshuffling at each epoch start. Returns its size. */
  private nextBatch(): number {
    if (!this.order) {
      if (this.transform) this.transformBatch(this.data.X.data, this.m);
      return this.m;
    }
    const { m, order, xb, yb } = this;
    if (this.cursor === 0) {
      for (let j = 0; j < m; j++) order[j] = j;
      this.rng.shuffle(order);
    }
    const start = this.cursor;
    const mb = Math.min(this.batch, m - start);
    const nx = this.network.sizes[0];
    const X = this.data.X.data;
    for (let c = 0; c < mb; c++) {
      const j = order[start + c];
      for (let f = 0; f < nx; f++) xb[f * mb + c] = X[f * m + j];
      yb[c] = this.data.y[j];
    }
    this.cursor = start + mb === m ? 0 : start + mb;
    // f32 kernels keep an f32 copy of every batch written (transformBatch makes its own).
    if (this.transform) this.transformBatch(xb, mb);
    else this.kernels.mirror?.(xb, nx * mb);
    return mb;
  }

  /** The online-augmentation hook: the batch columns afresh (full batch: from the data), transformed. */
  private transformBatch(from: Float64Array, mb: number): void {
    const n = this.network.sizes[0] * mb;
    const t = this.transform!;
    if (from !== this.xb && t.from)
      t.from(from.subarray(0, n), this.xb.subarray(0, n), this.network.sizes[0], mb, this.rng);
    else {
      if (from !== this.xb) this.xb.set(from.subarray(0, n));
      t(this.xb.subarray(0, n), this.network.sizes[0], mb, this.rng);
    }
    this.kernels.mirror?.(this.xb, n);
  }

  private forward(mb: number): void {
    const { network, Z, G, A, D } = this;
    const sizes = network.sizes;
    const L = sizes.length - 1;
    const noisy = this.noise.some((n) => n.sigma > 0 || n.scale > 0);
    this.masks.draw(D, sizes, this.keep, mb, noisy ? this.drawNoise : undefined);
    for (let l = 0; l < L; l++) {
      this.W[l].set(network.weights[l]);
      this.b[l].set(network.biases[l]);
    }
    let prev = this.xb;
    const inputNoise = this.noise[0];
    if (this.xn && (inputNoise.sigma > 0 || inputNoise.scale > 0)) {
      const n = sizes[0] * mb;
      this.applyNoise(this.xn, this.xb, inputNoise, n);
      this.kernels.mirror?.(this.xn, n);
      prev = this.xn;
    }
    this.input = prev;
    for (let l = 1; l <= L; l++) {
      const n = sizes[l] * mb;
      const z = Z[l - 1];
      const relu = l < L && network.activation === "relu";
      this.kernels.denseForward(z, this.W[l - 1], this.b[l - 1], prev, sizes[l], sizes[l - 1], mb, relu);
      if (l === L) break;
      if (!relu) activate(network.activation, z, G[l - 1], n);
      const d = D[l - 1];
      if (d) this.kernels.multiply(A[l - 1], G[l - 1], d, n);
      const nz = this.noise[l];
      if (nz.sigma > 0 || nz.scale > 0) this.applyNoise(A[l - 1], d ? A[l - 1] : G[l - 1], nz, n);
      prev = A[l - 1];
    }
    // One pass over the outputs checks they are finite and bounds the cost from below.
    const { finite, bound } = this.head.bound(Z[L - 1], this.yb, mb, sizes[L]);
    if (!finite) throw new NonFiniteError(this.iteration, "the network's outputs");
    let norm2 = 0;
    for (let l = 0; l < L; l++) {
      const W = network.weights[l];
      let s = 0;
      for (let i = 0; i < W.length; i++) s += W[i] * W[i];
      this.layerNorms[l] = s;
      norm2 += s;
    }
    this.norm2 = norm2;
    this.lastPenaltyValue = this.penalty(mb);
    this.costBound = bound + this.lastPenaltyValue;
  }

  /** The penalties' terms in the cost of a batch of `mb` examples. */
  private penalty(mb: number): number {
    return this.penaltyCost(this.network.weights, mb);
  }

  private cost(mb: number): number {
    const L = this.network.depth;
    const c = this.head.cost(this.Z[L - 1], this.yb, mb, this.network.outputs) + this.penalty(mb);
    if (!Number.isFinite(c)) throw new NonFiniteError(this.iteration, "the cost");
    return c;
  }

  private backward(mb: number): void {
    const { network, Z, G, A, D, dZ, gradients } = this;
    const sizes = network.sizes;
    const L = sizes.length - 1;
    // The head's loss gradient: σ(Z) − Y or softmax(Z) − onehot(Y).
    this.head.gradient(dZ[L - 1], Z[L - 1], this.yb, mb, sizes[L], this.kernels);
    const scale = 1 / mb;
    const decay = this.fusedDecay(mb);
    for (let l = L; l >= 1; l--) {
      const prev = l === 1 ? this.input : A[l - 2];
      const W = this.W[l - 1];
      this.kernels.denseBackwardParams(
        gradients[2 * (l - 1)],
        gradients[2 * l - 1],
        dZ[l - 1],
        prev,
        W,
        sizes[l],
        sizes[l - 1],
        mb,
        scale,
        decay,
      );
      const shape = { units: sizes[l], fanIn: sizes[l - 1] };
      for (const r of this.regularizers) r.addGradient?.(gradients[2 * (l - 1)], W, l - 1, mb, shape);
      if (l === 1) break;
      // dA_{l−1} = W_lᵀ dZ_l, masked as in the forward pass, then through the activation.
      const d = dZ[l - 2];
      const mask = D[l - 2];
      const n = sizes[l - 1] * mb;
      const nz = this.noise[l - 1];
      const factor = nz.scale > 0 ? nz.factor : undefined;
      if (network.activation === "relu") {
        if (nz.sigma === 0 && !factor) {
          // A = relu(Z)·mask is > 0 exactly where both the unit was active and kept.
          const gain = mask ? 1 / this.keep[l - 2] : 1;
          this.kernels.denseBackwardInput(d, W, dZ[l - 1], sizes[l], sizes[l - 1], mb, A[l - 2], gain);
          continue;
        }
        // With noise A's sign says nothing: gate on relu(Z) > 0, then the mask and the factors.
        this.kernels.denseBackwardInput(d, W, dZ[l - 1], sizes[l], sizes[l - 1], mb, G[l - 2], 1);
        if (mask) this.kernels.multiply(d, d, mask, n);
        if (factor) this.kernels.multiply(d, d, factor, n);
        continue;
      }
      this.kernels.denseBackwardInput(d, W, dZ[l - 1], sizes[l], sizes[l - 1], mb);
      if (mask) this.kernels.multiply(d, d, mask, n);
      if (factor) this.kernels.multiply(d, d, factor, n);
      multiplyByDerivative(network.activation, d, G[l - 2], n);
    }
  }
}

/**
 * Each layer's training noise from the regularizers' noise specs (0 = inputs, 1…H hidden):
 * additive noises on one layer add up (σ = √Σσ²); two multiplicative ones on a layer are refused.
 */
export function noisePlan(regularizers: readonly Regularizer[], hidden: number): LayerNoise[] {
  const plan: LayerNoise[] = Array.from({ length: hidden + 1 }, () => ({ sigma: 0, scale: 0 }));
  for (const r of regularizers) {
    if (!r.noise) continue;
    for (const l of r.noise.layers(hidden)) {
      if (!(l >= 0 && l <= hidden)) {
        throw new RangeError(`${r.name}: layer ${l} is not the inputs (0) or a hidden layer (1…${hidden})`);
      }
      const p = plan[l];
      if (r.noise.type === "additive") p.sigma = Math.sqrt(p.sigma * p.sigma + r.noise.scale * r.noise.scale);
      else if (p.scale > 0 && r.noise.scale > 0)
        throw new RangeError(`layer ${l} has two multiplicative noises`);
      else p.scale = r.noise.scale;
    }
  }
  return plan;
}
