import type { Dataset } from "../data/dataset.js";
import { describeHugeFeatures, formatMagnitude as short } from "../data/feature-scale.js";
import { DivergenceError } from "./errors.js";

/** Σ‖W‖² this many times its starting value (the norm a million times larger) is a blow-up. */
export const WEIGHT_BLOWUP = 1e12;
/** A cost over this many times its start (at least 1) is a blow-up at once. */
export const COST_BLOWUP = 10;
/** The run computes its real cost this often (beside the recorded ones) for the rule below. */
export const WATCH_EVERY = 100;
/** A cost over this many times its start ... */
export const COST_STUCK = 1.5;
/** ... at this many checks in a row (WATCH_EVERY apart) is a run that overshot and stays there. */
export const STUCK_CHECKS = 10;

/** What the divergence rule needs of a run's configuration to name a cause. */
export interface DivergenceContext {
  data: Dataset;
  learningRate: number;
  lambda: number;
  /** Examples per step (the batch size, or m for full batch). */
  batch: number;
  /**
   * The fused decay c each step applies as c·W, from the trainer's list of penalties (L2: λ/m);
   * absent, λ/batch.
   */
  decay?: number;
}

/**
 * The divergence rule. After every step, at the cost of a few comparisons, the trainer hands over
 * a lower bound of the step's cost (the head's part without logarithms plus the penalties of the
 * trainer's list: cost − ln K ≤ bound ≤ cost for K classes, ln 2 for a sigmoid) and Σ‖W‖²: the run has diverged when the bound passes
 * 10× its start (at least 10), or the weights grow a millionfold. Every WATCH_EVERY iterations
 * the real cost is computed too: above 1.5× its start at 10 checks in a row, the steps overshot
 * to a bad plateau (a network that ends worse than a constant guess); a real cost that is not
 * finite ends the run at once. Non-finite outputs are caught inside the step itself
 * (NonFiniteError).
 */
export class DivergenceWatch {
  private startBound = Number.NaN;
  private startNorm = Number.NaN;
  private startCost = Number.NaN;
  private stuck = 0;

  constructor(private readonly context: DivergenceContext) {}

  /** The watch's memory, for checkpoints (NaN becomes null in JSON). */
  getState(): Record<"startBound" | "startNorm" | "startCost" | "stuck", number> {
    const { startBound, startNorm, startCost, stuck } = this;
    return { startBound, startNorm, startCost, stuck };
  }

  setState(s: Record<"startBound" | "startNorm" | "startCost" | "stuck", number | null>): void {
    this.startBound = s.startBound ?? Number.NaN;
    this.startNorm = s.startNorm ?? Number.NaN;
    this.startCost = s.startCost ?? Number.NaN;
    this.stuck = s.stuck ?? 0;
  }

  /** Checks step `iteration` from its cost bound and Σ‖W‖²; throws a DivergenceError. */
  observeStep(iteration: number, costBound: number, weightNorm2: number): void {
    if (Number.isNaN(this.startBound)) {
      this.startBound = costBound;
      this.startNorm = weightNorm2;
    }
    if (!Number.isFinite(weightNorm2) || weightNorm2 > WEIGHT_BLOWUP * Math.max(this.startNorm, 1)) {
      throw this.diverged(iteration, `the weights blew up (Σ‖W‖² = ${short(weightNorm2)})`);
    }
    if (!(costBound <= COST_BLOWUP * Math.max(this.startBound, 1))) {
      throw this.diverged(iteration, `the cost blew up to over ${short(costBound)}`);
    }
  }

  /**
   * Checks a real cost, computed every WATCH_EVERY iterations (iteration 0 first); throws a
   * DivergenceError, at once for a cost that is not finite.
   */
  observeCost(iteration: number, cost: number): void {
    if (!Number.isFinite(cost)) throw this.diverged(iteration, `the cost is not finite (${cost})`);
    if (Number.isNaN(this.startCost)) this.startCost = cost;
    if (!(cost > COST_STUCK * this.startCost)) {
      this.stuck = 0;
      return;
    }
    if (++this.stuck >= STUCK_CHECKS) {
      throw this.diverged(
        iteration,
        `the cost rose from ${short(this.startCost)} to ${short(cost)} and stayed there`,
      );
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
  const huge = describeHugeFeatures(c.data.X);
  if (huge) return `${huge}: standardize the features (mean 0, standard deviation 1) before training`;
  const decay = c.learningRate * (c.decay ?? c.lambda / c.batch);
  if (decay > 1) {
    return (
      `λ = ${short(c.lambda)} is too strong for learning rate ${short(c.learningRate)} ` +
      `(each step scales the weights by 1 − α·λ/m = ${short(1 - decay)}): lower λ or the learning rate`
    );
  }
  return `the learning rate ${short(c.learningRate)} is likely too large: try ${short(c.learningRate / 10)}`;
}
