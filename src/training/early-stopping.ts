import { decodeDoubles, encodeDoubles } from "../core/doubles-codec.js";
import type { Model } from "../core/model.js";
import { describeHugeFeatures } from "../data/feature-scale.js";
import type { Callback, TrainContext } from "./callbacks.js";
import { DivergenceError } from "./errors.js";
import { DEFAULT_EVALUATE_EVERY, type EvaluationOptions, evaluationCallback } from "./evaluate.js";
import type { Evaluation } from "./history.js";
import type { StatefulCallback } from "./run.js";

export const MONITORS = ["devCost", "devAccuracy"] as const;
/** What early stopping watches: the dev set's cross-entropy (no L2 term) or its accuracy. */
export type Monitor = (typeof MONITORS)[number];
export type MonitorMode = "min" | "max" | "auto";

export interface EarlyStoppingOptions extends Omit<EvaluationOptions, "onEvaluation"> {
  /** Default devCost. */
  monitor?: Monitor;
  /** `auto` (default): min for a cost, max for an accuracy. */
  mode?: MonitorMode;
  /** Evaluations without improvement before stopping (default 20); 0 stops at the first one. */
  patience?: number;
  /**
   * An improvement must beat the best by more than this (default 0): `best − value > minDelta`
   * (for a cost). Differences within 1e-12 of the values' size count as ties, so an exact decimal
   * tie such as best 0.2, value 0.15, minDelta 0.05 is not an improvement.
   */
  minDelta?: number;
  /**
   * Keras's `baseline`: patience only resets on an evaluation that beats both the best and the
   * baseline, so a run that never beats the baseline stops `patience` evaluations in (at the first
   * evaluation that does not improve on the best). Default none.
   */
  baseline?: number;
  /**
   * Evaluations before this iteration are recorded but neither become the best nor use up
   * patience: the dev cost of a barely trained network is no candidate (default 0). The
   * evaluation at iteration 0 (the untrained network) never is, as in Keras, whose first
   * candidate comes after one epoch of training.
   */
  startFrom?: number;
  /**
   * At the end of training put the best weights back (default true), whether training stopped
   * early or ran all its iterations.
   */
  restoreBest?: boolean;
}

/** The settings early stopping runs with, all filled in (as reported in JSON and text). */
export interface EarlyStoppingSettings {
  monitor: Monitor;
  mode: "min" | "max";
  patience: number;
  minDelta: number;
  startFrom: number;
  restoreBest: boolean;
  evaluateEvery: number;
  baseline: number | undefined;
}

export const DEFAULT_PATIENCE = 20;

export function resolveEarlyStopping(o: EarlyStoppingOptions = {}): EarlyStoppingSettings {
  const monitor = o.monitor ?? "devCost";
  if (!(MONITORS as readonly string[]).includes(monitor)) {
    throw new RangeError(`early stopping monitors ${MONITORS.join(" or ")}, got '${monitor}'`);
  }
  const mode = o.mode ?? "auto";
  if (mode !== "min" && mode !== "max" && mode !== "auto") {
    throw new RangeError(`early-stopping mode must be min, max or auto, got '${mode}'`);
  }
  const patience = o.patience ?? DEFAULT_PATIENCE;
  if (!Number.isInteger(patience) || patience < 0) {
    throw new RangeError(`patience must be a whole number of evaluations ≥ 0, got ${patience}`);
  }
  const minDelta = o.minDelta ?? 0;
  if (!(minDelta >= 0) || !Number.isFinite(minDelta))
    throw new RangeError(`minDelta must be ≥ 0, got ${minDelta}`);
  const startFrom = o.startFrom ?? 0;
  if (!Number.isInteger(startFrom) || startFrom < 0) {
    throw new RangeError(`startFrom must be a whole number of iterations ≥ 0, got ${startFrom}`);
  }
  if (o.baseline !== undefined && !Number.isFinite(o.baseline)) {
    throw new RangeError(`baseline must be a finite number, got ${o.baseline}`);
  }
  const evaluateEvery = o.evaluateEvery ?? DEFAULT_EVALUATE_EVERY;
  if (!Number.isInteger(evaluateEvery) || evaluateEvery < 1) {
    throw new RangeError(`evaluateEvery must be a whole number ≥ 1, got ${evaluateEvery}`);
  }
  return {
    monitor,
    mode: mode === "auto" ? (monitor === "devAccuracy" ? "max" : "min") : mode,
    patience,
    minDelta,
    startFrom,
    restoreBest: o.restoreBest ?? true,
    evaluateEvery,
    baseline: o.baseline,
  };
}

const LABEL: Record<Monitor, string> = { devCost: "dev cost", devAccuracy: "dev accuracy" };

/**
 * Early stopping as a callback. It evaluates the network itself (train and dev cost and
 * accuracy into `history.evaluations`, every `evaluateEvery` iterations — do not add a separate
 * evaluation callback), keeps a copy of the best weights, stops training once `patience`
 * evaluations in a row fail to beat the best by more than `minDelta`, and at the end of training
 * restores the best weights (unless `restoreBest` is false), also when no stop happened.
 * `history.bestIteration` names the best evaluation's iteration: the weights the network holds at
 * the end, unless `restoreBest` is false (then it keeps the last weights).
 *
 * Unlike Keras' and TensorFlow.js's, the dev set is any data you pass (not a slice of the
 * training arrays), the dev loss is recorded at every evaluation, and restoring works always.
 */
export class EarlyStopping implements StatefulCallback {
  readonly settings: EarlyStoppingSettings;
  /** Iteration of the best evaluation so far (undefined before the first one after startFrom). */
  bestIteration: number | undefined;
  /** The monitored value at the best evaluation. */
  bestValue = Number.NaN;
  bestEvaluation: Evaluation | undefined;
  /** The iteration at which it stopped training, if it did. */
  stoppedAt: number | undefined;
  /** Whether the best weights were put back at the end. */
  restored = false;

  private readonly evaluator: Callback;
  private readonly devSet: EarlyStoppingOptions["dev"];
  private wait = 0;
  private snapshot: Model | undefined;

  constructor(options: EarlyStoppingOptions = {}) {
    this.settings = resolveEarlyStopping(options);
    this.devSet = options.dev;
    this.evaluator = evaluationCallback({
      ...options,
      evaluateEvery: this.settings.evaluateEvery,
      onEvaluation: (ctx, ev) => this.observe(ctx, ev),
    });
  }

  onTrainBegin(ctx: TrainContext): void {
    // A new fit may train a network of another size: the snapshot is made afresh for it.
    this.snapshot = undefined;
    this.bestIteration = undefined;
    this.bestValue = Number.NaN;
    this.bestEvaluation = undefined;
    this.stoppedAt = undefined;
    this.restored = false;
    this.wait = 0;
    this.evaluator.onTrainBegin?.(ctx);
  }

  onIterationEnd(ctx: TrainContext, iteration: number, cost: number): void {
    this.evaluator.onIterationEnd?.(ctx, iteration, cost);
  }

  onTrainEnd(ctx: TrainContext): void {
    // The last evaluation (at the last iteration run) may still become the best.
    this.evaluator.onTrainEnd?.(ctx);
    const best = this.bestIteration;
    if (best === undefined) return;
    ctx.history.bestIteration = best;
    if (this.settings.restoreBest && this.snapshot && best !== ctx.history.iterationsRun) {
      ctx.network.copyFrom(this.snapshot);
      this.restored = true;
    }
  }

  /** Whether `value` beats the best so far by more than minDelta. */
  improves(value: number): boolean {
    if (Number.isNaN(value)) return false;
    if (this.bestIteration === undefined) return true;
    return this.beats(value, this.bestValue);
  }

  /** `value` better than `reference` by more than minDelta, ties within rounding excluded. */
  private beats(value: number, reference: number): boolean {
    const { mode, minDelta } = this.settings;
    const gap = mode === "min" ? reference - value : value - reference;
    if (minDelta === 0) return gap > 0;
    return gap > minDelta + TIE_TOLERANCE * Math.max(Math.abs(value), Math.abs(reference));
  }

  /** A monitored value that is not finite is a diverged run, not an evaluation to skip. */
  private notFinite(iteration: number, value: number): DivergenceError {
    const dev = this.settings.monitor.startsWith("dev") ? this.devSet : undefined;
    const huge = dev ? describeHugeFeatures(dev.X) : undefined;
    const advice = huge
      ? `dev ${huge}: standardize the dev set as the training set`
      : "check the learning rate and the scale of the features";
    return new DivergenceError(
      iteration,
      `the ${LABEL[this.settings.monitor]} is not finite (${value})`,
      advice,
    );
  }

  getState(): EarlyStoppingState {
    const snap = this.snapshot;
    return {
      bestIteration: this.bestIteration ?? null,
      bestValue: Number.isNaN(this.bestValue) ? null : this.bestValue,
      bestEvaluation: this.bestEvaluation ? { ...this.bestEvaluation } : null,
      stoppedAt: this.stoppedAt ?? null,
      wait: this.wait,
      snapshot: snap
        ? { weights: snap.weights.map(encodeDoubles), biases: snap.biases.map(encodeDoubles) }
        : null,
    };
  }

  setState(raw: unknown, ctx: TrainContext): void {
    const s = raw as EarlyStoppingState;
    if (typeof s !== "object" || s === null || !Number.isInteger(s.wait)) {
      throw new RangeError("the checkpoint holds no early-stopping state");
    }
    this.bestIteration = s.bestIteration ?? undefined;
    this.bestValue = s.bestValue ?? Number.NaN;
    this.bestEvaluation = s.bestEvaluation ?? undefined;
    this.stoppedAt = s.stoppedAt ?? undefined;
    this.wait = s.wait;
    this.restored = false;
    this.snapshot = undefined;
    if (s.snapshot) {
      const snap = ctx.network.clone();
      const put = (into: Float64Array[], from: string[]) => {
        if (!Array.isArray(from) || from.length !== into.length)
          throw new RangeError("bad early-stopping snapshot");
        from.forEach((enc, k) => {
          const a = decodeDoubles(enc);
          if (a.length !== into[k].length) throw new RangeError("bad early-stopping snapshot");
          into[k].set(a);
        });
      };
      put(snap.weights, s.snapshot.weights);
      put(snap.biases, s.snapshot.biases);
      this.snapshot = snap;
    }
  }

  private observe(ctx: TrainContext, ev: Evaluation): void {
    const { monitor, patience, startFrom, restoreBest, baseline } = this.settings;
    const value = ev[monitor];
    if (value === undefined) {
      throw new RangeError(`early stopping monitors ${LABEL[monitor]}, but no dev set was given to score`);
    }
    // Checked at every evaluation, iteration 0 and those before startFrom included.
    if (!Number.isFinite(value)) throw this.notFinite(ev.iteration, value);
    if (ev.iteration === 0 || ev.iteration < startFrom) return;
    // As Keras: every evaluation adds to the wait; beating the best (and the baseline) resets it.
    this.wait++;
    if (this.improves(value)) {
      this.bestValue = value;
      this.bestIteration = ev.iteration;
      this.bestEvaluation = ev;
      if (baseline === undefined || this.beats(value, baseline)) this.wait = 0;
      if (restoreBest) {
        if (this.snapshot) this.snapshot.copyFrom(ctx.network);
        else this.snapshot = ctx.network.clone();
      }
      return;
    }
    if (this.wait >= patience && this.stoppedAt === undefined && ev.iteration < ctx.iterations) {
      this.stoppedAt = ev.iteration;
      const short = baseline !== undefined && !this.beats(this.bestValue, baseline);
      ctx.stop(
        short
          ? `early stopping: ${LABEL[monitor]} did not beat the baseline ${formatValue(baseline)} ` +
              `in ${this.wait} evaluations (best ${formatValue(this.bestValue)})`
          : `early stopping: ${LABEL[monitor]} did not improve on ${formatValue(this.bestValue)} ` +
              `(iteration ${this.bestIteration}) for ${this.wait} evaluations`,
      );
    }
  }
}

/** What a checkpoint keeps of early stopping (the snapshot's arrays as encodeDoubles strings). */
export interface EarlyStoppingState {
  bestIteration: number | null;
  bestValue: number | null;
  bestEvaluation: Evaluation | null;
  stoppedAt: number | null;
  wait: number;
  snapshot: { weights: string[]; biases: string[] } | null;
}

/** Relative size below which two monitored values' gap is rounding (see minDelta). */
export const TIE_TOLERANCE = 1e-12;

function formatValue(v: number): string {
  return Number.isFinite(v) ? v.toPrecision(4) : String(v);
}

export function earlyStopping(options: EarlyStoppingOptions = {}): EarlyStopping {
  return new EarlyStopping(options);
}
