import type { Dataset } from "../data/dataset.js";
import { DivergenceError } from "./errors.js";

/** Features whose magnitude reaches this are "huge": standardize before blaming the step size. */
export const HUGE_FEATURE = 1e4;
/** Σ‖W‖² this many times its starting value (the norm a million times larger) is a blow-up. */
export const WEIGHT_BLOWUP = 1e12;
/** A cost over this many times its start (at least 1) is a blow-up at once. */
export const COST_BLOWUP = 10;
/** A cost over this many times max(start, ln 2) ... */
export const COST_STUCK = 2;
/** ... for this many iterations in a row is a run that overshoots and stays there. */
export const STUCK_ITERATIONS = 200;

/** What the divergence rule needs of a run's configuration to name a cause. */
export interface DivergenceContext {
  data: Dataset;
  learningRate: number;
  lambda: number;
  /** Examples per step (the batch size, or m for full batch). */
  batch: number;
}

/**
 * The divergence rule, checked after every step at the cost of a few comparisons: the trainer
 * hands over a lower bound of the step's cost (the hinge part of the cross-entropy plus the
 * penalty, no logarithms: cost − ln 2 ≤ bound ≤ cost) and Σ‖W‖². A run has diverged when that
 * bound passes 10× its starting cost, when it stays above 2× max(start, ln 2) for 200 iterations
 * (a step that overshoots to a flat, bad plateau), or when the weights grow a millionfold.
 * Non-finite outputs are caught inside the step itself (NonFiniteError).
 */
export class DivergenceWatch {
  private startCost = Number.NaN;
  private startNorm = Number.NaN;
  private stuckSince = -1;

  constructor(private readonly context: DivergenceContext) {}

  /** The watch's memory, for checkpoints. */
  getState(): { startCost: number; startNorm: number; stuckSince: number } {
    return { startCost: this.startCost, startNorm: this.startNorm, stuckSince: this.stuckSince };
  }

  setState(s: { startCost: number | null; startNorm: number | null; stuckSince: number }): void {
    this.startCost = s.startCost ?? Number.NaN;
    this.startNorm = s.startNorm ?? Number.NaN;
    this.stuckSince = s.stuckSince;
  }

  /** Checks step `iteration`; throws a DivergenceError naming the likely cause. */
  observe(iteration: number, costBound: number, weightNorm2: number): void {
    if (Number.isNaN(this.startCost)) {
      this.startCost = costBound;
      this.startNorm = weightNorm2;
    }
    if (!Number.isFinite(weightNorm2) || weightNorm2 > WEIGHT_BLOWUP * Math.max(this.startNorm, 1)) {
      throw this.diverged(iteration, `the weights blew up (Σ‖W‖² = ${short(weightNorm2)})`);
    }
    if (!(costBound <= COST_BLOWUP * Math.max(this.startCost, 1))) {
      throw this.diverged(iteration, `the cost blew up to over ${short(costBound)}`);
    }
    if (costBound > COST_STUCK * Math.max(this.startCost, Math.LN2)) {
      if (this.stuckSince < 0) this.stuckSince = iteration;
      else if (iteration - this.stuckSince >= STUCK_ITERATIONS) {
        throw this.diverged(
          iteration,
          `the cost rose from ${short(this.startCost)} to over ${short(costBound)} and stayed there`,
        );
      }
    } else {
      this.stuckSince = -1;
    }
  }

  /** The error for a run that blew up at `iteration`, with its likely cause. */
  diverged(iteration: number, symptom: string): DivergenceError {
    return new DivergenceError(iteration, symptom, divergenceAdvice(this.context));
  }
}

/**
 * The likely cause of a divergence, most specific first: huge features (no step size suits
 * them), a λ whose decay step alone overshoots (lr·λ/m > 1 flips the weights' sign each step),
 * else the learning rate.
 */
export function divergenceAdvice(c: DivergenceContext): string {
  const huge = hugeFeatures(c.data);
  if (huge.length > 0) {
    const list = huge
      .slice(0, 3)
      .map((f) => `feature ${f.index + 1} reaches ${short(f.max)}`)
      .join(", ");
    return `${list}: standardize the features (mean 0, standard deviation 1) before training`;
  }
  const decay = (c.learningRate * c.lambda) / c.batch;
  if (decay > 1) {
    return (
      `λ = ${short(c.lambda)} is too strong for learning rate ${short(c.learningRate)} ` +
      `(each step scales the weights by 1 − α·λ/m = ${short(1 - decay)}): lower λ or the learning rate`
    );
  }
  return `the learning rate ${short(c.learningRate)} is likely too large: try ${short(c.learningRate / 10)}`;
}

/** Features (0-based rows of X) whose largest magnitude is huge or not finite, largest first. */
export function hugeFeatures(data: Dataset): { index: number; max: number }[] {
  const { rows, cols, data: X } = data.X;
  const out: { index: number; max: number }[] = [];
  for (let f = 0; f < rows; f++) {
    let max = 0;
    for (let j = 0; j < cols; j++) {
      const v = Math.abs(X[f * cols + j]);
      if (!(v <= max)) max = v;
    }
    if (!(max < HUGE_FEATURE)) out.push({ index: f, max });
  }
  return out.sort((a, b) => (b.max > a.max ? 1 : b.max < a.max ? -1 : 0));
}

/** A number in at most 3 significant digits, for messages. */
function short(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e5 || a < 1e-3)
    ? v.toExponential(2).replace(/\.?0+e/, "e")
    : String(Number(v.toPrecision(3)));
}
