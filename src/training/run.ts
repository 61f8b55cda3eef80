import type { Callback, TrainContext } from "./callbacks.js";
import { type DivergenceContext, DivergenceWatch, WATCH_EVERY } from "./divergence.js";
import { DivergenceError, NonFiniteError, TrainingInterrupted } from "./errors.js";
import { cloneHistory, emptyHistory, type History } from "./history.js";
import type { Stepper } from "./stepper.js";
import type { TrainerState } from "./trainer.js";

/** Why a run ended. `interrupted` and `diverged` are never results. */
export type StopReason = "done" | "early-stop" | "diverged" | "interrupted";

export interface RunSettings {
  /** Iterations asked for. */
  iterations: number;
  /** Record the cost every this many iterations (iteration 0 first). */
  costEvery: number;
  lambda: number;
  /** Examples per step. */
  batch: number;
}

export interface RunOptions {
  callbacks?: readonly Callback[];
  /** Checked after every step: once aborted, the run ends as `interrupted` (never a result). */
  signal?: { readonly aborted: boolean };
}

/** Callbacks that keep state across steps say what a checkpoint must hold of it. */
export interface StatefulCallback extends Callback {
  /** A JSON-safe picture of the callback's state. */
  getState(): unknown;
  setState(state: unknown, ctx: TrainContext): void;
}

/** Everything a resumed run needs: weights, trainer, history, callbacks (checkpoint.ts stores it). */
export interface RunState {
  weights: Float64Array[];
  biases: Float64Array[];
  trainer: TrainerState;
  history: History;
  divergence: ReturnType<DivergenceWatch["getState"]>;
  callbacks: unknown[];
}

function isStateful(c: Callback): c is StatefulCallback {
  return typeof (c as Partial<StatefulCallback>).getState === "function";
}

/**
 * The one training run: steps, records the cost, drives callbacks, applies the divergence rule
 * and ends with a stop reason. Synchronous and driven from outside — `train()` advances it
 * between awaits, the playground's worker a few steps per frame — so there is no other loop.
 * A divergence throws DivergenceError from `advance`; an abort throws TrainingInterrupted.
 */
export class TrainingRun {
  readonly history: History = emptyHistory();
  readonly context: TrainContext;
  /** Set once the run has ended: how. */
  outcome: StopReason | undefined;
  private stopReason: string | undefined;
  private began = false;
  private readonly callbacks: readonly Callback[];
  private readonly watch: DivergenceWatch;
  private readonly everyCost: boolean;

  constructor(
    readonly stepper: Stepper,
    readonly settings: RunSettings,
    private readonly options: RunOptions = {},
  ) {
    this.callbacks = options.callbacks ?? [];
    this.everyCost = this.callbacks.some((c) => c.wantsEveryCost);
    const self = this;
    this.context = {
      trainer: stepper,
      network: stepper.network,
      history: this.history,
      iterations: settings.iterations,
      stop(reason: string) {
        self.stopReason ??= reason;
      },
    };
    const divergence: DivergenceContext = {
      data: stepper.data,
      // The rate in force when it blows up (decay, or the playground's live changes, move it).
      get learningRate() {
        return stepper.learningRate;
      },
      lambda: settings.lambda,
      batch: settings.batch,
      // The list's fused decay (λ/m for L2), read when a run blows up.
      get decay() {
        return stepper.fusedDecay?.(settings.batch);
      },
    };
    this.watch = new DivergenceWatch(divergence);
  }

  get ended(): boolean {
    return this.outcome !== undefined;
  }

  /** Iterations run so far. */
  get iteration(): number {
    return this.stepper.iteration;
  }

  /** Starts the run (callbacks' onTrainBegin); `advance` does it when needed. */
  begin(): void {
    if (this.began) return;
    this.began = true;
    for (const c of this.callbacks) c.onTrainBegin?.(this.context);
  }

  /**
   * Runs up to `count` more iterations; returns how many ran. Ends the run (callbacks'
   * onTrainEnd) after the last iteration or a stop. Throws DivergenceError (the run is then
   * `diverged`) or TrainingInterrupted (`interrupted`).
   */
  advance(count: number): number {
    this.begin();
    const { iterations, costEvery } = this.settings;
    let ran = 0;
    while (ran < count && !this.ended) {
      const i = this.stepper.iteration;
      if (i >= iterations) {
        this.end("done");
        break;
      }
      if (this.options.signal?.aborted) throw this.interrupt();
      this.stepOnce(i, i % costEvery === 0);
      ran++;
      if (this.stopReason !== undefined) this.end("early-stop");
      else if (i + 1 >= iterations) this.end("done");
    }
    return ran;
  }

  /** Ends the run as interrupted; returns the error to throw. The state stays checkpointable. */
  interrupt(): TrainingInterrupted {
    this.outcome = "interrupted";
    this.history.stopReason = "interrupted";
    return new TrainingInterrupted(this.stepper.iteration, this.settings.iterations);
  }

  private stepOnce(i: number, record: boolean): void {
    const h = this.history;
    try {
      const cost = this.stepper.step(record || this.everyCost || i % WATCH_EVERY === 0);
      const bound = this.stepper.lastCostBound();
      this.watch.observeStep(i, bound.cost, bound.weightNorm2);
      if (i % WATCH_EVERY === 0) this.watch.observeCost(i, cost);
      h.iterationsRun = i + 1;
      if (record) {
        h.iterations.push(i);
        h.costs.push(cost);
        h.weightNorms.push(this.stepper.lastWeightNorms());
        h.penalties?.push(this.stepper.lastPenalty?.() ?? 0);
        for (const c of this.callbacks) c.onCostRecorded?.(this.context, i, cost);
      }
      for (const c of this.callbacks) c.onIterationEnd?.(this.context, i, cost);
    } catch (e) {
      if (e instanceof NonFiniteError) {
        this.outcome = "diverged";
        throw this.watch.diverged(i, `${e.what} stopped being finite numbers`);
      }
      if (e instanceof DivergenceError) this.outcome = "diverged";
      throw e;
    }
  }

  private end(outcome: StopReason): void {
    this.outcome = outcome;
    if (this.stopReason !== undefined) this.history.stopReason = this.stopReason;
    try {
      for (const c of this.callbacks) c.onTrainEnd?.(this.context);
    } catch (e) {
      if (e instanceof DivergenceError) this.outcome = "diverged";
      throw e;
    }
  }

  /** The run's state, copied: what `restore` takes back (checkpoint.ts turns it into a file). */
  getState(): RunState {
    const net = this.stepper.network;
    return {
      weights: net.weights.map((w) => w.slice()),
      biases: net.biases.map((b) => b.slice()),
      trainer: this.stepper.getState(),
      history: cloneHistory(this.history),
      divergence: this.watch.getState(),
      callbacks: this.callbacks.map((c) => (isStateful(c) ? c.getState() : null)),
    };
  }

  /**
   * Puts a run back where getState() left it, before advancing: weights, optimizer, generator,
   * batch order, history and callback state. Stateful callbacks get setState instead of
   * onTrainBegin; the others get onTrainBegin again.
   */
  restore(state: RunState): void {
    if (this.began) throw new Error("restore a run before it starts");
    const net = this.stepper.network;
    const fits = (arrs: Float64Array[], into: Float64Array[]) =>
      Array.isArray(arrs) &&
      arrs.length === into.length &&
      arrs.every((a, k) => a?.length === into[k].length);
    if (!fits(state.weights, net.weights) || !fits(state.biases, net.biases)) {
      throw new RangeError("the checkpoint's weights do not fit this network");
    }
    if (!Array.isArray(state.callbacks) || state.callbacks.length !== this.callbacks.length) {
      throw new RangeError("the checkpoint was made with other callbacks (early stopping on/off?)");
    }
    for (let k = 0; k < net.weights.length; k++) {
      net.weights[k].set(state.weights[k]);
      net.biases[k].set(state.biases[k]);
    }
    this.stepper.setState(state.trainer);
    Object.assign(this.history, cloneHistory(state.history));
    delete this.history.stopReason;
    this.watch.setState(state.divergence);
    this.began = true;
    // Callbacks with state take it back; the others (progress, plain evaluation) start afresh.
    this.callbacks.forEach((c, k) => {
      if (isStateful(c)) c.setState(state.callbacks[k], this.context);
      else c.onTrainBegin?.(this.context);
    });
  }
}
