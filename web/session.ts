/**
 * What the worker runs: one model (or three in compare mode) trained step by step with the
 * engine's own Trainer, exactly as `reglab train` does (same generator, same build, same cost
 * recording), plus evaluations, early stopping and snapshots for the page. Pure: no DOM, no
 * worker globals, so tests drive it in Node.
 */

import { keepProbsFor } from "../src/core/dropout.js";
import { outputUnits } from "../src/core/heads.js";
import { layeredModelToJSON } from "../src/core/layers/model-file.js";
import type { LayeredNetwork } from "../src/core/layers/network.js";
import type { LayerSpec } from "../src/core/layers/spec.js";
import type { Matrix } from "../src/core/matrix.js";
import type { Model } from "../src/core/model.js";
import { Network } from "../src/core/network.js";
import { RandomState } from "../src/core/random.js";
import { modelToJSON } from "../src/core/serialize.js";
import { batchTransform } from "../src/data/augment/compose.js";
import { parseAugmentation } from "../src/data/augment/parse.js";
import type { Dataset } from "../src/data/dataset.js";
import { gridPoints } from "../src/plot/grid.js";
import { buildNetwork } from "../src/training/build.js";
import type { Callback, TrainContext } from "../src/training/callbacks.js";
import { type RunConfig, resolveRunConfig } from "../src/training/config.js";
import { EarlyStopping } from "../src/training/early-stopping.js";
import { DivergenceError } from "../src/training/errors.js";
import { evaluationCallback } from "../src/training/evaluate.js";
import type { Evaluation, History } from "../src/training/history.js";
import { LayerTrainer, layeredNetworkFor } from "../src/training/layer-trainer.js";
import { TrainingRun } from "../src/training/run.js";
import { type Retune, Trainer, type TrainerOptions } from "../src/training/trainer.js";
import { inputLabels, withFeatures } from "./features.js";
import {
  type EarlyStopSpec,
  type EvalPoint,
  type GridSpec,
  MAP_NX,
  MAP_NY,
  type ModelSnapshot,
  type ModelSpec,
  type SetupMessage,
  type UnitRef,
} from "./protocol.js";
import { type FullScore, SlicedScoring, scoreLogits } from "./sliced-scoring.js";

export interface RunDataSets {
  readonly train: Dataset;
  readonly dev?: Dataset;
  readonly test?: Dataset;
}

/**
 * Correct predictions of `net` on `d` and the plain loss: σ(z) > 0.5 ⇔ z > 0 for one output, the
 * softmax head's class (the largest output) and categorical cross-entropy for K; and each
 * example's predicted class.
 */
export function scoreOn(net: Model, d: Dataset): FullScore {
  return scoreLogits(net, net.logits(d.X), d);
}

/** An evaluation of the history with the test figures, as the page draws it. */
function evalPoint(e: Evaluation, t: FullScore | undefined): EvalPoint {
  return {
    iteration: e.iteration,
    trainLoss: e.trainCost,
    trainAccuracy: e.trainAccuracy,
    ...(e.devCost !== undefined && { devLoss: e.devCost, devAccuracy: e.devAccuracy }),
    ...(t && { testLoss: t.loss, testAccuracy: t.correct / t.n }),
  };
}

/**
 * One evaluation of an image run, scored a slice at a time on the weights it was taken at: the
 * train and dev sets when the history left them to it (no early stopping), the test set, and the
 * set the confusion matrix shows.
 */
class EvaluationJob {
  private readonly parts: Partial<Record<"train" | "dev" | "test", SlicedScoring>> = {};
  private readonly order: SlicedScoring[];

  constructor(
    readonly iteration: number,
    net: Model,
    data: RunDataSets,
    private readonly fill: boolean,
    private readonly shownOf: "test" | "dev" | "train",
  ) {
    const p = this.parts;
    if (fill || shownOf === "train") p.train = new SlicedScoring(net, data.train);
    if (data.dev && (fill || shownOf === "dev")) p.dev = new SlicedScoring(net, data.dev);
    if (data.test) p.test = new SlicedScoring(net, data.test);
    this.order = [p.train, p.dev, p.test].filter((x) => x !== undefined);
  }

  /** Scores one slice; false once every part is scored. */
  next(): boolean {
    const part = this.order.find((x) => !x.finished);
    if (!part) return false;
    part.next();
    return true;
  }

  results(): { train?: FullScore; dev?: FullScore; test?: FullScore; shown?: FullScore } {
    const p = this.parts;
    const test = p.test?.result();
    const dev = p.dev?.result();
    const train = p.train?.result();
    const shown = this.shownOf === "test" ? test : this.shownOf === "dev" ? dev : train;
    return { ...(this.fill && { train, dev }), test, shown };
  }
}

/** Augmented training examples kept from the last batch, for the page's strip. */
export const STRIP = 8;

/**
 * The network's prediction path with the output layer turned into probabilities: 0 = the inputs …
 * depth = the output's probabilities (P(class 1) for a sigmoid).
 */
function eachLayer(net: Network, X: Matrix, visit: (layer: number, a: Float64Array) => boolean): void {
  const L = net.sizes.length - 1;
  net.forwardLayers(X, (l, a) => visit(l, l === L ? net.head.probabilities(a, X.cols, net.outputs) : a));
}

/**
 * Activations of layer `layer` (0 = the inputs, depth = the output probability) for the columns of
 * X, row-major units × m. Prediction path: no dropout.
 */
export function layerActivations(net: Network, X: Matrix, layer: number): Float64Array {
  const target = Math.max(0, Math.min(layer, net.sizes.length - 1));
  let out = X.data;
  eachLayer(net, X, (l, a) => {
    out = a;
    return l === target;
  });
  return out;
}

/** Units drawn per layer (the network view's limit). */
const MAP_UNITS = 32;

/**
 * Every unit's output over the columns of X, layer by layer (0 = the inputs, the last = P(class 1)),
 * at most MAP_UNITS units per layer: the thumbnails the network view draws in each unit.
 */
export function unitMaps(net: Network, X: Matrix): Float32Array[] {
  const m = X.cols;
  const out: Float32Array[] = [];
  eachLayer(net, X, (l, a) => {
    out.push(Float32Array.from(a.subarray(0, Math.min(net.sizes[l], MAP_UNITS) * m)));
    return false;
  });
  return out;
}

/** `layers` with a dropout layer (keep = that layer's keepProb) after each dense one that has none. */
function withDropout(layers: readonly LayerSpec[], keepProb: number | readonly number[]): LayerSpec[] {
  const keep = keepProbsFor(keepProb, layers.filter((s) => s.type === "dense").length);
  const out: LayerSpec[] = [];
  let dense = 0;
  layers.forEach((s, i) => {
    out.push(s);
    if (s.type !== "dense") return;
    const p = keep[dense++];
    if (layers[i + 1]?.type !== "dropout") out.push({ type: "dropout", keepProb: p });
  });
  return out;
}

/** A run limit that is never reached: the playground trains until paused unless told to stop. */
export const NO_STOP = Number.MAX_SAFE_INTEGER;

/** The divergence rule's memory, empty: after a change it judges the run from where it is. */
const FRESH_WATCH = { startBound: Number.NaN, startNorm: Number.NaN, startCost: Number.NaN, stuck: 0 };

/** How the worker's trainers may use more threads (Web Workers on a cross-origin isolated page). */
export type KernelThreads = Pick<TrainerOptions, "threads" | "spawnHelper" | "awaitHelpers">;

/** One model training: the engine's TrainingRun advanced a few steps at a time, as `train()` does. */
export class ModelRun {
  config: RunConfig;
  /** The dense network, or a layered one (convolutions) when the setup lists layers. */
  readonly network: Network | LayeredNetwork;
  readonly trainer: Trainer | LayerTrainer;
  readonly earlyStopping: EarlyStopping | undefined;
  /** Set when training failed (a divergence): what to show instead of a result. */
  error: string | undefined;
  /** Evaluations with their test-set figures, in order. */
  readonly evaluations: EvalPoint[] = [];
  /** Iterations after which the run ends (NO_STOP: never). */
  limit: number;

  private training: TrainingRun;
  private readonly lastWeights: Model | undefined;
  private readonly callbacks: readonly Callback[];
  private sentCosts = 0;
  private sentEvaluations = 0;
  /** The online augmentation in use (image data), or undefined. */
  private augment: ReturnType<typeof batchTransform> | undefined;
  private augmentSpec = "";
  /** The first STRIP examples of the last augmented batch, example-major (features each). */
  strip: Float32Array | undefined;
  /** Data beyond the plane: the classes predicted at the last evaluation on `confusionSet`. */
  predicted: Uint8Array | undefined;
  /** Where the confusion matrix and the gallery come from: the test set, else dev, else train. */
  readonly confusionOf: "test" | "dev" | "train";
  /**
   * Images: evaluations are scored a slice of examples at a time (see scoreSlice), on a copy of
   * the weights they were taken at, so that no worker turn spends long on thousands of images.
   */
  readonly sliced: boolean;
  private readonly jobs: EvaluationJob[] = [];

  /**
   * `limit` overrides the config's iterations (the playground's stop). With `from`, the new run
   * goes on from that one's weights, trainer state and history (new data, e.g. a clicked point):
   * the same network, only the examples changed.
   */
  constructor(
    /** Its overrides change live in compare mode (λ and keepProb drive their own panels). */
    public spec: ModelSpec,
    base: RunConfig,
    readonly data: RunDataSets,
    es: EarlyStopSpec,
    limit?: number,
    from?: ModelRun,
    threads: KernelThreads = {},
    /** Hidden layers with convolutions (the dense ones are config.hidden): a LayeredNetwork. */
    readonly layers?: readonly LayerSpec[],
  ) {
    this.config = resolveRunConfig({ ...base, ...spec.overrides });
    this.limit = limit ?? this.config.iterations;
    this.confusionOf = data.test ? "test" : data.dev ? "dev" : "train";
    this.sliced = data.train.shape !== undefined;
    // Exactly fit()'s order: one generator draws the weights, then the masks and batches.
    const rng = new RandomState(this.config.seed);
    // Images get an augmentation hook that can be turned on and off while it trains; off, it draws
    // nothing from the generator, so the run is the one without it.
    const shape = data.train.shape;
    const options = {
      ...threads,
      ...(shape && {
        transform: (batch: Float64Array, features: number, examples: number, r: RandomState) => {
          if (!this.augment) return;
          this.augment(batch, features, examples, r);
          this.keepStrip(batch, features, examples);
        },
      }),
    };
    if (layers) {
      // fitLayered()'s order, as `reglab train --layers` builds it, with a dropout layer after every
      // hidden dense one (keep 1 draws nothing: the same run) so that keepProb can change live.
      const network = layeredNetworkFor(
        data.train,
        withDropout(layers, this.config.keepProb),
        { ...this.config, keepProb: 1 },
        rng,
      );
      this.network = network;
      this.trainer = new LayerTrainer(network, data.train, this.config, rng, options);
    } else {
      // One output (a sigmoid) for two classes, K (a softmax) for K, as `reglab train`.
      const network = buildNetwork(data.train.X.rows, this.config, rng, 0, outputUnits(data.train.y));
      this.network = network;
      // Buffers for dropout in every layer, so keepProb can change while it trains (same results).
      this.trainer = new Trainer(network, data.train, this.config, rng, {
        retunableDropout: true,
        ...options,
      });
    }
    this.setAugmentation(spec.augment ?? "");
    const every = this.config.costEvery;
    this.earlyStopping =
      es.enabled && data.dev
        ? new EarlyStopping({ dev: data.dev, patience: es.patience, evaluateEvery: every })
        : undefined;
    // The last evaluation happens as the run ends, before early stopping may put its best weights
    // back: keep the weights it sees, to score the test set on them.
    const lastWeights =
      data.test && this.earlyStopping && !this.sliced && this.network instanceof Network
        ? this.network.clone()
        : undefined;
    this.lastWeights = lastWeights;
    const evaluation = evaluationCallback({
      dev: data.dev,
      evaluateEvery: every,
      // Sliced: a placeholder the job fills in (train and dev figures at that iteration).
      ...(this.sliced && { evaluate: (_net: Model, iteration: number) => this.deferred(iteration) }),
    });
    this.callbacks = [
      ...(this.sliced ? [this.weightsAtEvaluations(every)] : []),
      ...(this.earlyStopping
        ? [{ onTrainEnd: () => lastWeights?.copyFrom(this.network as Network) }, this.earlyStopping]
        : [evaluation]),
    ];
    this.training = this.newRun();
    if (from) {
      from.finishScoring();
      this.carryOn(from);
    } else this.training.begin();
    this.collectEvaluations();
  }

  private newRun(): TrainingRun {
    return new TrainingRun(
      this.trainer,
      {
        iterations: this.limit,
        costEvery: this.config.costEvery,
        lambda: this.config.lambda,
        batch: this.trainer.batchSize,
      },
      { callbacks: this.callbacks },
    );
  }

  /** Takes over `from`'s weights, step count, generator, optimizer and history. */
  private carryOn(from: ModelRun): void {
    const state = from.training.getState();
    const m = this.data.train.X.cols;
    this.training.restore({
      ...state,
      // The batch order and position belong to the old examples: the next step starts an epoch.
      trainer: {
        ...state.trainer,
        cursor: 0,
        order: this.trainer.batchSize < m ? Array.from({ length: m }, (_, j) => j) : null,
      },
      divergence: { ...FRESH_WATCH },
    });
    this.evaluations.push(...from.evaluations);
    this.sentCosts = from.sentCosts;
    this.sentEvaluations = from.sentEvaluations;
  }

  /** True when `from` can go on as this run (same network shape, still training or stopped by the limit). */
  static canCarry(from: ModelRun, next: RunConfig, inputs: number): boolean {
    const a = from.config;
    return (
      from.network instanceof Network &&
      from.error === undefined &&
      from.history.stopReason === undefined &&
      from.network.sizes[0] === inputs &&
      a.hidden.join() === next.hidden.join() &&
      a.activation === next.activation &&
      a.batchSize === next.batchSize
    );
  }

  /**
   * Applies a changed base config live: learning rate, decay, λ, keepProb, mask policy, optimizer
   * and the settings table go to the trainer, dense or layered (LayerTrainer.retune: keepProb sets
   * the dropout layer after each hidden dense layer); a new limit may end the run or let a finished
   * one go on. The run is rebuilt around the same trainer (the checkpoint path), so the divergence
   * rule judges it afresh from here. A run that failed or stopped early stays as it is. A layered
   * network's noise cannot change live (the page starts such a run over).
   */
  retune(base: RunConfig, limit: number): void {
    if (this.error !== undefined || this.history.stopReason !== undefined) return;
    const next = resolveRunConfig({ ...base, ...this.spec.overrides });
    const c = this.config;
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    this.setAugmentation(this.spec.augment ?? "");
    const change: Retune = {
      ...(next.learningRate !== c.learningRate && { learningRate: next.learningRate }),
      ...(next.learningRateDecay !== c.learningRateDecay && { learningRateDecay: next.learningRateDecay }),
      ...(next.lambda !== c.lambda && { lambda: next.lambda }),
      ...(!same(next.keepProb, c.keepProb) && { keepProb: next.keepProb }),
      ...(next.dropoutMasks !== c.dropoutMasks && { dropoutMasks: next.dropoutMasks }),
      ...(!same(next.optimizer, c.optimizer) && { optimizer: next.optimizer }),
      ...(!same(next.regularizers, c.regularizers) && { regularizers: next.regularizers }),
      ...(next.labelSmoothing !== c.labelSmoothing && { labelSmoothing: next.labelSmoothing }),
      ...(next.weightDecay !== c.weightDecay && { weightDecay: next.weightDecay }),
      ...(next.lrSchedule !== c.lrSchedule && { lrSchedule: next.lrSchedule }),
    };
    if (this.trainer instanceof Trainer) this.trainer.retune(change);
    else
      this.trainer.retune({
        ...change,
        ...(change.keepProb !== undefined && { keepProb: this.dropoutKeep(next) }),
      });
    this.config = next;
    this.limit = limit;
    const state = this.training.getState();
    this.training = this.newRun();
    this.training.restore({ ...state, divergence: { ...FRESH_WATCH } });
  }

  /** The layered network's dropout layers' keep probabilities under `next`: after hidden dense h, its keepProb. */
  private dropoutKeep(next: RunConfig): number[] {
    const specs = (this.network as LayeredNetwork).layers;
    const keep = keepProbsFor(next.keepProb, specs.filter((s) => s.type === "dense").length - 1);
    let dense = 0;
    const out: number[] = [];
    specs.forEach((s, i) => {
      if (s.type === "dense") dense++;
      else if (s.type === "dropout" || s.type === "spatial-dropout")
        out.push(specs[i - 1]?.type === "dense" && s.type === "dropout" ? keep[dense - 1] : s.keepProb);
    });
    return out;
  }

  get history(): History {
    return this.training.history;
  }

  get ended(): boolean {
    return this.training.ended;
  }

  get iteration(): number {
    return this.trainer.iteration;
  }

  /** Runs up to `count` iterations (fewer when the run ends); returns how many ran. */
  run(count: number): number {
    if (this.training.ended) return 0;
    const before = this.trainer.iteration;
    try {
      this.training.advance(count);
    } catch (e) {
      if (!(e instanceof DivergenceError)) throw e;
      this.error = e.message;
      return this.trainer.iteration - before;
    }
    this.collectEvaluations(this.training.ended && this.lastWeights ? this.lastWeights : this.network);
    return this.trainer.iteration - before;
  }

  /** Turns online augmentation (an engine spec, "" for none) on, off or to other transforms. */
  setAugmentation(spec: string): void {
    if (spec === this.augmentSpec) return;
    this.augmentSpec = spec;
    this.augment = spec === "" ? undefined : batchTransform(parseAugmentation(spec), this.data.train.shape);
    if (!this.augment) this.strip = undefined;
  }

  private keepStrip(batch: Float64Array, features: number, examples: number): void {
    const k = Math.min(STRIP, examples);
    const out = this.strip?.length === k * features ? this.strip : new Float32Array(k * features);
    for (let c = 0; c < k; c++)
      for (let f = 0; f < features; f++) out[c * features + f] = batch[f * examples + c];
    this.strip = out;
  }

  /**
   * Copies the weights at each evaluation for its scoring job. It runs just before the evaluation
   * callback (early stopping's or the plain one) in the same hooks and skips exactly where that one
   * does, so job k is history evaluation k; at the end it runs before early stopping puts its best
   * weights back, so the last job scores the last weights, as the page shows them.
   */
  private weightsAtEvaluations(every: number): Callback {
    const take = (ctx: TrainContext, iteration: number) => {
      if (ctx.history.evaluations.at(-1)?.iteration === iteration) return;
      this.jobs.push(
        new EvaluationJob(iteration, ctx.network.clone(), this.data, !this.earlyStopping, this.confusionOf),
      );
    };
    return {
      onTrainBegin: (ctx) => {
        if (ctx.history.evaluations.length === 0) take(ctx, 0);
      },
      onIterationEnd: (ctx, i) => {
        if ((i + 1) % every === 0) take(ctx, i + 1);
      },
      onTrainEnd: (ctx) => take(ctx, ctx.history.iterationsRun),
    };
  }

  /** The history's entry for an evaluation whose train and dev figures a job will fill in. */
  private deferred(iteration: number): Evaluation {
    return {
      iteration,
      trainCost: Number.NaN,
      trainAccuracy: Number.NaN,
      ...(this.data.dev && { devCost: Number.NaN, devAccuracy: Number.NaN }),
    };
  }

  /** Evaluations still being scored (images). */
  get scoring(): boolean {
    return this.jobs.length > 0;
  }

  /** Scores one slice of the oldest evaluation; returns whether any scoring is left. */
  scoreSlice(): boolean {
    const job = this.jobs[0];
    if (!job) return false;
    if (job.next()) return true;
    this.jobs.shift();
    const h = this.history.evaluations;
    // The history may have been copied since (a retune restores it): find the entry by iteration.
    let at = h.length - 1;
    while (at >= 0 && h[at].iteration !== job.iteration) at--;
    const e = h[at];
    if (!e) return this.jobs.length > 0;
    const { train, dev, test, shown } = job.results();
    if (train) Object.assign(e, { trainCost: train.loss, trainAccuracy: train.correct / train.n });
    if (dev) Object.assign(e, { devCost: dev.loss, devAccuracy: dev.correct / dev.n });
    this.predicted = shown?.predicted;
    this.evaluations.push(evalPoint(e, test));
    return this.jobs.length > 0;
  }

  /** Scores every evaluation still pending. */
  finishScoring(): void {
    while (this.scoreSlice());
  }

  /** Adds the test figures to evaluations the callbacks just recorded (same weights). */
  private collectEvaluations(net: Model = this.network): void {
    if (this.sliced) return;
    const evs = this.history.evaluations;
    while (this.evaluations.length < evs.length) {
      const e = evs[this.evaluations.length];
      const t = this.data.test ? scoreOn(net, this.data.test) : undefined;
      if (this.data.train.X.rows !== 2) {
        const set = this.data[this.confusionOf];
        this.predicted = (this.confusionOf === "test" ? t : set && scoreOn(net, set))?.predicted;
      }
      this.evaluations.push(evalPoint(e, t));
    }
  }

  /** What changed since the last call, for the page. */
  takeHistory(): ModelSnapshot["history"] {
    const h = this.history;
    const delta = {
      costIterations: h.iterations.slice(this.sentCosts),
      costs: h.costs.slice(this.sentCosts),
      evaluations: this.evaluations.slice(this.sentEvaluations),
    };
    this.sentCosts = h.costs.length;
    this.sentEvaluations = this.evaluations.length;
    return delta;
  }

  /** Units of each hidden layer dropped for the first example of the last step. */
  droppedUnits(): Uint8Array[] | undefined {
    const net = this.network;
    if (this.trainer.iteration === 0 || !(this.trainer instanceof Trainer) || !(net instanceof Network))
      return undefined;
    const { masks, batch } = this.trainer.lastDropoutMasks();
    if (batch === 0 || masks.every((m) => m === undefined)) return undefined;
    const sizes = net.sizes;
    return masks.map((mask, h) => {
      const n = sizes[h + 1];
      const out = new Uint8Array(n);
      if (mask) for (let i = 0; i < n; i++) out[i] = mask[i * batch] === 0 ? 1 : 0;
      return out;
    });
  }

  /** The model file `reglab predict --model` loads. */
  modelJSON(source: string): string {
    const score = (d: Dataset | undefined) => (d ? scoreOn(this.network, d) : undefined);
    const tr = score(this.data.train)!;
    const dv = score(this.data.dev);
    const te = score(this.data.test);
    const extra = {
      config: { ...this.config },
      training: {
        trainAccuracy: tr.correct / tr.n,
        ...(dv && { devAccuracy: dv.correct / dv.n }),
        testAccuracy: te ? te.correct / te.n : null,
        costs: [...this.history.costs],
        iterationsRun: this.history.iterationsRun,
        ...(this.history.stopReason && { stopReason: this.history.stopReason }),
        ...(this.history.bestIteration !== undefined && { bestIteration: this.history.bestIteration }),
        data: source,
        trainedWith: "reglab playground",
      },
    };
    const net = this.network;
    const file = net instanceof Network ? modelToJSON(net, extra) : layeredModelToJSON(net, extra);
    return `${JSON.stringify(file)}\n`;
  }
}

/** All models of a run, stepped in lockstep, and the grid the page draws. */
export class Session {
  readonly runs: ModelRun[];
  private readonly gridX: Matrix | undefined;
  private readonly mapX: Matrix | undefined;
  private readonly grid: GridSpec | undefined;
  watch: UnitRef | null = null;

  /** With `previous`, each model goes on from the one in its place there when it can (see `carry`). */
  /** What the exported model files say they were trained on. */
  readonly source: string;

  constructor(
    setup: Pick<
      SetupMessage,
      "data" | "config" | "models" | "earlyStopping" | "grid" | "stopAt" | "features" | "layers"
    >,
    previous?: Session,
    threads: KernelThreads = {},
  ) {
    const features = setup.features ?? [];
    this.source =
      features.length > 0 ? `playground; inputs ${inputLabels(features).join(", ")}` : "playground";
    const limit = setup.stopAt === undefined ? undefined : (setup.stopAt ?? NO_STOP);
    const inputs = setup.data.train.X.rows;
    this.runs = setup.models.map((spec, i) => {
      const old = previous?.runs[i];
      const next = resolveRunConfig({ ...setup.config, ...spec.overrides });
      const from = old && old.spec.key === spec.key && ModelRun.canCarry(old, next, inputs) ? old : undefined;
      return new ModelRun(
        spec,
        setup.config,
        setup.data,
        setup.earlyStopping,
        limit,
        from,
        threads,
        setup.layers,
      );
    });
    // The first snapshot has the untrained network's figures.
    this.finishScoring();
    this.grid = setup.grid;
    // The grid lies in the plane (x₁, x₂); the network sees it with the same features as the data.
    const plane = setup.grid && setup.data.train.X.rows === 2 + features.length ? setup.grid : undefined;
    this.gridX = plane ? withFeatures(gridPoints(plane.view, plane.nx, plane.ny), features) : undefined;
    this.mapX = plane ? withFeatures(gridPoints(plane.view, MAP_NX, MAP_NY), features) : undefined;
  }

  /** Every model has ended and every evaluation is scored. */
  get done(): boolean {
    return this.runs.every((r) => r.ended && !r.scoring);
  }

  /** Some evaluation is still being scored (images). */
  get scoring(): boolean {
    return this.runs.some((r) => r.scoring);
  }

  /** Ends the models' kernel helper threads (a session that is replaced trains no more). */
  close(): void {
    for (const r of this.runs) r.trainer.kernels.close?.();
  }

  /**
   * Live changes (see ModelRun.retune); `stopAt` null trains until paused. `models` gives each
   * model its new overrides (compare mode: the L2 panel's λ, the dropout panel's keepProb).
   */
  retune(config: RunConfig, stopAt: number | null, models?: readonly ModelSpec[]): void {
    this.runs.forEach((r, i) => {
      const spec = models?.[i];
      if (spec && spec.key === r.spec.key) r.spec = spec;
      r.retune(config, stopAt ?? NO_STOP);
    });
  }

  /** Up to `count` iterations of every model, their evaluations scored; returns the most any ran. */
  step(count: number): number {
    const most = this.advance(count);
    this.finishScoring();
    return most;
  }

  /**
   * Up to `count` iterations of every model, leaving the evaluations they reach to scoreSlice
   * (the worker's loop interleaves the two); returns the most any ran.
   */
  advance(count: number): number {
    let most = 0;
    for (const r of this.runs) most = Math.max(most, r.run(count));
    return most;
  }

  /** One slice of scoring for each model that has some pending; returns whether any is left. */
  scoreSlice(): boolean {
    let left = false;
    for (const r of this.runs) if (r.scoring && r.scoreSlice()) left = true;
    return left;
  }

  finishScoring(): void {
    for (const r of this.runs) r.finishScoring();
  }

  /**
   * The state of every model for the page. `withGrid` false leaves out the boundary grid and the
   * watched unit's map (the page keeps the last ones): for big networks they cost more than many
   * training steps, so the worker samples them less often than it sends snapshots.
   * `withWeights` false sends no weights (an empty list; the page keeps the last ones): an image
   * network's are large, and only its unit images, drawn a few times a second, read them.
   */
  snapshot(rate: number, withGrid = true, withWeights = true): ModelSnapshot[] {
    return this.runs.map((r) => this.snapshotOf(r, rate, withGrid, withWeights));
  }

  /** The data are images (large weights, sliced scoring). */
  get images(): boolean {
    return this.runs.some((r) => r.sliced);
  }

  private snapshotOf(r: ModelRun, rate: number, withGrid: boolean, withWeights: boolean): ModelSnapshot {
    const net = r.network;
    // Images: a pass over thousands of examples per frame would cost more than the training, so
    // the scores are those of the last evaluation (every costEvery iterations).
    const last = r.evaluations.at(-1);
    const image = r.data.train.shape !== undefined;
    const s = (d: Dataset | undefined, accuracy?: number) => {
      if (!d) return undefined;
      if (image) return { correct: Math.round((accuracy ?? 0) * d.X.cols), n: d.X.cols };
      const { correct, n } = scoreOn(net, d);
      return { correct, n };
    };
    const train = s(r.data.train, last?.trainAccuracy)!;
    const dev = s(r.data.dev, last?.devAccuracy);
    const test = s(r.data.test, last?.testAccuracy);
    const classes = net.outputs > 1 ? net.outputs : 2;
    const shown = r.data[r.confusionOf];
    const errors = shown && r.predicted ? testErrors(shown.y, r.predicted, classes) : undefined;
    let grid: Float64Array | undefined;
    let unit: ModelSnapshot["unit"];
    let maps: Float32Array[] | undefined;
    if (this.gridX && withGrid && net instanceof Network) {
      grid = net.predictProba(this.gridX);
      if (this.mapX) maps = unitMaps(net, this.mapX);
      const w = this.watch;
      if (w && w.layer >= 0 && w.layer < net.sizes.length && w.index >= 0 && w.index < net.sizes[w.layer]) {
        const m = this.gridX.cols;
        const a = layerActivations(net, this.gridX, w.layer);
        unit = { ref: w, values: Float32Array.from(a.subarray(w.index * m, (w.index + 1) * m)) };
      }
    }
    const dropped = r.droppedUnits();
    const filters = firstFilters(net);
    const es = r.earlyStopping;
    return {
      key: r.spec.key,
      name: r.spec.name,
      iteration: r.iteration,
      epoch: r.trainer.epoch,
      done: r.ended,
      ...(r.history.stopReason !== undefined && { stopReason: r.history.stopReason }),
      ...(es?.bestIteration !== undefined && { bestIteration: es.bestIteration }),
      ...(r.error !== undefined && { error: r.error }),
      history: r.takeHistory(),
      train,
      ...(dev && { dev }),
      ...(test && { test }),
      ...(grid && { grid }),
      sizes: sizesOf(net),
      ...(filters && { filters }),
      weights: withWeights ? net.weights.map((W) => Float32Array.from(W)) : [],
      ...(dropped && { dropped }),
      ...(unit && { unit }),
      ...(maps && { maps }),
      ...(errors && {
        confusion: errors.confusion,
        misclassified: errors.misclassified,
        confusionOf: r.confusionOf,
      }),
      ...(r.strip && { strip: r.strip.slice() }),
      classes,
      rate,
      kernels: r.trainer.kernels.backend,
      threads: r.trainer.kernels.threadsInUse?.() ?? 1,
    };
  }

  get gridSpec(): GridSpec | undefined {
    return this.grid;
  }
}

/** Inputs, then the units (or filters) of each layer with weights. */
function sizesOf(net: Network | LayeredNetwork): number[] {
  return net instanceof Network ? [...net.sizes] : [net.inputSize, ...net.biases.map((b) => b.length)];
}

/** A first layer that is a convolution: its filters' side and input channels. */
function firstFilters(net: Network | LayeredNetwork): ModelSnapshot["filters"] {
  if (net instanceof Network) return undefined;
  const at = net.layers.findIndex((s) => s.type === "conv" || s.type === "dense");
  const first = net.layers[at];
  return first?.type === "conv" ? { size: first.size, channels: net.shapes[at].channels } : undefined;
}

/** Test examples shown in the gallery of mistakes, at most. */
export const GALLERY = 24;

/**
 * The confusion matrix (row = true class, column = predicted, K × K) and the first GALLERY
 * misclassified examples as (index, predicted class) pairs.
 */
export function testErrors(
  y: Uint8Array,
  predicted: Uint8Array,
  K: number,
): { confusion: Uint32Array; misclassified: Uint32Array } {
  const confusion = new Uint32Array(K * K);
  const wrong: number[] = [];
  for (let j = 0; j < y.length; j++) {
    confusion[y[j] * K + predicted[j]]++;
    if (y[j] !== predicted[j] && wrong.length < 2 * GALLERY) wrong.push(j, predicted[j]);
  }
  return { confusion, misclassified: Uint32Array.from(wrong) };
}
