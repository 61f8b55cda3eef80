/**
 * What the worker runs: one model (or three in compare mode) trained step by step with the
 * engine's own Trainer, exactly as `reglab train` does (same generator, same build, same cost
 * recording), plus evaluations, early stopping and snapshots for the page. Pure: no DOM, no
 * worker globals, so tests drive it in Node.
 */
import { activate, sigmoid } from "../src/core/activations.js";
import { denseForward } from "../src/core/kernels.js";
import { crossEntropyFromLogits } from "../src/core/losses.js";
import type { Matrix } from "../src/core/matrix.js";
import type { Network } from "../src/core/network.js";
import { RandomState } from "../src/core/random.js";
import { modelToJSON } from "../src/core/serialize.js";
import type { Dataset } from "../src/data/dataset.js";
import { gridPoints } from "../src/plot/grid.js";
import { buildNetwork } from "../src/training/build.js";
import { type RunConfig, resolveRunConfig } from "../src/training/config.js";
import { EarlyStopping } from "../src/training/early-stopping.js";
import { DivergenceError } from "../src/training/errors.js";
import { evaluationCallback } from "../src/training/evaluate.js";
import type { History } from "../src/training/history.js";
import { TrainingRun } from "../src/training/run.js";
import { Trainer } from "../src/training/trainer.js";
import type {
  EarlyStopSpec,
  EvalPoint,
  GridSpec,
  ModelSnapshot,
  ModelSpec,
  Score,
  SetupMessage,
  UnitRef,
} from "./protocol.js";

export interface RunDataSets {
  readonly train: Dataset;
  readonly dev?: Dataset;
  readonly test?: Dataset;
}

/** Correct predictions of `net` on `d` (σ(z) > 0.5 ⇔ z > 0, as Network.predict) and the plain loss. */
export function scoreOn(net: Network, d: Dataset): Score & { loss: number } {
  const z = net.logits(d.X);
  const m = d.X.cols;
  let correct = 0;
  for (let j = 0; j < m; j++) if ((z[j] > 0 ? 1 : 0) === d.y[j]) correct++;
  return { correct, n: m, loss: crossEntropyFromLogits(z, d.y, m) };
}

/**
 * Activations of layer `layer` (0 = the inputs, depth = the output probability) for the columns of
 * X, row-major units × m. Prediction path: no dropout.
 */
export function layerActivations(net: Network, X: Matrix, layer: number): Float64Array {
  if (layer <= 0) return X.data;
  const m = X.cols;
  const sizes = net.sizes;
  const L = sizes.length - 1;
  let a = X.data;
  for (let l = 1; l <= Math.min(layer, L); l++) {
    const z = new Float64Array(sizes[l] * m);
    const hidden = l < L;
    const relu = hidden && net.activation === "relu";
    denseForward(z, net.weights[l - 1], net.biases[l - 1], a, sizes[l], sizes[l - 1], m, relu);
    if (hidden && !relu) activate(net.activation, z, z, z.length);
    if (!hidden) for (let j = 0; j < z.length; j++) z[j] = sigmoid(z[j]);
    a = z;
  }
  return a;
}

/** One model training: the engine's TrainingRun advanced a few steps at a time, as `train()` does. */
export class ModelRun {
  readonly config: RunConfig;
  readonly network: Network;
  readonly trainer: Trainer;
  readonly earlyStopping: EarlyStopping | undefined;
  /** Set when training failed (a divergence): what to show instead of a result. */
  error: string | undefined;
  /** Evaluations with their test-set figures, in order. */
  readonly evaluations: EvalPoint[] = [];

  private readonly training: TrainingRun;
  private sentCosts = 0;
  private sentEvaluations = 0;

  constructor(
    readonly spec: ModelSpec,
    base: RunConfig,
    readonly data: RunDataSets,
    es: EarlyStopSpec,
  ) {
    this.config = resolveRunConfig({ ...base, ...spec.overrides });
    // Exactly fit()'s order: one generator draws the weights, then the masks and batches.
    const rng = new RandomState(this.config.seed);
    this.network = buildNetwork(data.train.X.rows, this.config, rng);
    this.trainer = new Trainer(this.network, data.train, this.config, rng);
    const every = this.config.costEvery;
    this.earlyStopping =
      es.enabled && data.dev
        ? new EarlyStopping({ dev: data.dev, patience: es.patience, evaluateEvery: every })
        : undefined;
    const callbacks = [this.earlyStopping ?? evaluationCallback({ dev: data.dev, evaluateEvery: every })];
    this.training = new TrainingRun(
      this.trainer,
      {
        iterations: this.config.iterations,
        costEvery: every,
        lambda: this.config.lambda,
        batch: this.trainer.batchSize,
      },
      { callbacks },
    );
    this.training.begin();
    this.collectEvaluations();
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
    // The last evaluation happens as the run ends, before early stopping may restore the best
    // weights: score the test set on the weights that evaluation saw.
    const last = this.data.test && this.earlyStopping ? this.network.clone() : undefined;
    try {
      this.training.advance(count);
    } catch (e) {
      if (!(e instanceof DivergenceError)) throw e;
      this.error = e.message;
      return this.trainer.iteration - before;
    }
    this.collectEvaluations(this.training.ended && last ? last : this.network);
    return this.trainer.iteration - before;
  }

  /** Adds the test figures to evaluations the callbacks just recorded (same weights). */
  private collectEvaluations(net: Network = this.network): void {
    const evs = this.history.evaluations;
    while (this.evaluations.length < evs.length) {
      const e = evs[this.evaluations.length];
      const t = this.data.test ? scoreOn(net, this.data.test) : undefined;
      this.evaluations.push({
        iteration: e.iteration,
        trainLoss: e.trainCost,
        trainAccuracy: e.trainAccuracy,
        ...(e.devCost !== undefined && { devLoss: e.devCost, devAccuracy: e.devAccuracy }),
        ...(t && { testLoss: t.loss, testAccuracy: t.correct / t.n }),
      });
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
    if (this.trainer.iteration === 0) return undefined;
    const { masks, batch } = this.trainer.lastDropoutMasks();
    if (batch === 0 || masks.every((m) => m === undefined)) return undefined;
    const sizes = this.network.sizes;
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
    const file = modelToJSON(this.network, {
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
    });
    return `${JSON.stringify(file)}\n`;
  }
}

/** All models of a run, stepped in lockstep, and the grid the page draws. */
export class Session {
  readonly runs: ModelRun[];
  private readonly gridX: Matrix | undefined;
  private readonly grid: GridSpec | undefined;
  watch: UnitRef | null = null;

  constructor(setup: Pick<SetupMessage, "data" | "config" | "models" | "earlyStopping" | "grid">) {
    this.runs = setup.models.map((spec) => new ModelRun(spec, setup.config, setup.data, setup.earlyStopping));
    this.grid = setup.grid;
    this.gridX =
      setup.grid && setup.data.train.X.rows === 2
        ? gridPoints(setup.grid.view, setup.grid.nx, setup.grid.ny)
        : undefined;
  }

  get done(): boolean {
    return this.runs.every((r) => r.ended);
  }

  /** Up to `count` iterations of every model; returns the most any ran. */
  step(count: number): number {
    let most = 0;
    for (const r of this.runs) most = Math.max(most, r.run(count));
    return most;
  }

  /**
   * The state of every model for the page. `withGrid` false leaves out the boundary grid and the
   * watched unit's map (the page keeps the last ones): for big networks they cost more than many
   * training steps, so the worker samples them less often than it sends snapshots.
   */
  snapshot(rate: number, withGrid = true): ModelSnapshot[] {
    return this.runs.map((r) => this.snapshotOf(r, rate, withGrid));
  }

  private snapshotOf(r: ModelRun, rate: number, withGrid: boolean): ModelSnapshot {
    const net = r.network;
    const s = (d: Dataset | undefined) => {
      if (!d) return undefined;
      const { correct, n } = scoreOn(net, d);
      return { correct, n };
    };
    const train = s(r.data.train)!;
    const dev = s(r.data.dev);
    const test = s(r.data.test);
    let grid: Float32Array | undefined;
    let unit: ModelSnapshot["unit"];
    if (this.gridX && withGrid) {
      grid = Float32Array.from(net.predictProba(this.gridX));
      const w = this.watch;
      if (w && w.layer >= 0 && w.layer < net.sizes.length && w.index >= 0 && w.index < net.sizes[w.layer]) {
        const m = this.gridX.cols;
        const a = layerActivations(net, this.gridX, w.layer);
        unit = { ref: w, values: Float32Array.from(a.subarray(w.index * m, (w.index + 1) * m)) };
      }
    }
    const dropped = r.droppedUnits();
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
      sizes: [...net.sizes],
      weights: net.weights.map((W) => Float32Array.from(W)),
      ...(dropped && { dropped }),
      ...(unit && { unit }),
      rate,
      kernels: r.trainer.kernels.backend,
    };
  }

  get gridSpec(): GridSpec | undefined {
    return this.grid;
  }
}
