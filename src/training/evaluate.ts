import type { Model } from "../core/model.js";
import type { Dataset } from "../data/dataset.js";
import type { Callback, TrainContext } from "./callbacks.js";
import type { Evaluation } from "./history.js";

/** Evaluate every this many iterations unless told otherwise. */
export const DEFAULT_EVALUATE_EVERY = 100;

/** Cross-entropy (no L2 term, no dropout) and accuracy of `network` on one dataset. */
export function scoreNetwork(network: Model, data: Dataset): { cost: number; accuracy: number } {
  const z = network.logits(data.X);
  const m = data.X.cols;
  const { head, outputs } = network;
  const cost = head.cost(z, data.y, m, outputs);
  const predicted = head.predict(z, m, outputs);
  let right = 0;
  for (let j = 0; j < m; j++) if (predicted[j] === data.y[j]) right++;
  return { cost, accuracy: right / m };
}

/**
 * One evaluation of the network as it stands after `iteration` optimizer steps. Both costs are the
 * plain cross-entropy: no L2 penalty and no dropout, so train and dev cost measure the same thing
 * and can share an axis (the training *objective*, with its penalty, is in `history.costs`).
 */
export function evaluateNetwork(
  network: Model,
  iteration: number,
  train: Dataset,
  dev?: Dataset,
): Evaluation {
  const t = scoreNetwork(network, train);
  const out: Evaluation = { iteration, trainCost: t.cost, trainAccuracy: t.accuracy };
  if (dev) {
    const d = scoreNetwork(network, dev);
    out.devCost = d.cost;
    out.devAccuracy = d.accuracy;
  }
  return out;
}

export interface EvaluationOptions {
  /** Held-out data to score beside the training data (no dev set: train figures only). */
  dev?: Dataset;
  /** The training data to score; by default the trainer's own data. */
  train?: Dataset;
  /** Evaluate at iteration 0, every `evaluateEvery` steps, and at the last iteration run. */
  evaluateEvery?: number;
  /** Replaces the scoring (tests drive callbacks with made-up evaluations this way). */
  evaluate?(network: Model, iteration: number): Evaluation;
  /** Called after each evaluation has been appended to `history.evaluations`. */
  onEvaluation?: (ctx: TrainContext, evaluation: Evaluation) => void;
}

export function checkEvaluateEvery(n: number): number {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`evaluateEvery must be a whole number ≥ 1, got ${n}`);
  return n;
}

/**
 * A callback that records train (and dev) cost and accuracy into `history.evaluations`.
 * Iterations count optimizer steps taken, so the evaluation at iteration k scores the weights the
 * k-th recorded cost is computed with ("Cost after iteration k"): 0 is the initial network.
 * Evaluating reads the weights only; it never touches the generator, so a run is bit-identical with
 * or without it.
 */
export function evaluationCallback(options: EvaluationOptions = {}): Callback {
  const every = checkEvaluateEvery(options.evaluateEvery ?? DEFAULT_EVALUATE_EVERY);
  const run = (ctx: TrainContext, iteration: number) => {
    // The history says what was scored already, so a resumed run carries no hidden state here.
    if (ctx.history.evaluations.at(-1)?.iteration === iteration) return;
    const ev = options.evaluate
      ? options.evaluate(ctx.network, iteration)
      : evaluateNetwork(ctx.network, iteration, options.train ?? ctx.trainer.data, options.dev);
    ctx.history.evaluations.push(ev);
    options.onEvaluation?.(ctx, ev);
  };
  return {
    onTrainBegin(ctx) {
      // A resumed run has its evaluations in the history already.
      if (ctx.history.evaluations.length === 0) run(ctx, 0);
    },
    onIterationEnd(ctx, i) {
      if ((i + 1) % every === 0) run(ctx, i + 1);
    },
    onTrainEnd(ctx) {
      run(ctx, ctx.history.iterationsRun);
    },
  };
}
