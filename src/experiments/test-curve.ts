/** A model's test cost and accuracy while it trains (the report's accuracy-over-iterations chart). */
import type { Dataset } from "../data/dataset.js";
import type { Callback, TrainContext } from "../training/callbacks.js";
import { scoreNetwork } from "../training/evaluate.js";

/** Test cross-entropy and accuracy while a model trained (iteration = optimizer steps taken). */
export interface TestPoint {
  iteration: number;
  cost: number;
  accuracy: number;
}

/**
 * Records test cost and accuracy as the model trains. It only reads the weights, so the run is
 * bit-identical with or without it; it goes before early stopping's callback, so its last point
 * scores the weights as trained, before the best ones are put back.
 */
export function testCurveCallback(test: Dataset, every: number, out: TestPoint[]): Callback {
  const score = (ctx: TrainContext, iteration: number) => {
    if (out.at(-1)?.iteration === iteration) return;
    const s = scoreNetwork(ctx.network, test);
    out.push({ iteration, cost: s.cost, accuracy: s.accuracy });
  };
  return {
    onTrainBegin: (ctx) => score(ctx, 0),
    onIterationEnd: (ctx, i) => {
      if ((i + 1) % every === 0) score(ctx, i + 1);
    },
    onTrainEnd: (ctx) => score(ctx, ctx.history.iterationsRun),
  };
}
