import { accuracy } from "../core/network.js";
import type { DataBundle } from "../data/dataset.js";
import type { RunConfig } from "../training/config.js";
import { type FitResult, fit, type TrainOptions } from "../training/train.js";

/** One model of the seed's experiment: a name and how its config differs from the baseline. */
export interface ComparisonModel {
  key: string;
  name: string;
  overrides: Partial<RunConfig>;
}

/**
 * The seed's three models — none, L2 λ = 0.7, dropout keepProb = 0.86 with the reference code's
 * reseeded (fixed) masks — and real dropout with fresh masks, all on [n_x, 20, 3, 1], α = 0.3,
 * 30 000 iterations, seed 3.
 */
export const SEED_MODELS: readonly ComparisonModel[] = [
  { key: "none", name: "no regularization", overrides: {} },
  { key: "l2", name: "L2, λ = 0.7", overrides: { lambda: 0.7 } },
  {
    key: "dropout-fixed",
    name: "dropout 0.86, fixed masks",
    overrides: { keepProb: 0.86, dropoutMasks: "fixed" },
  },
  {
    key: "dropout-fresh",
    name: "dropout 0.86, fresh masks",
    overrides: { keepProb: 0.86, dropoutMasks: "fresh" },
  },
];

export interface ComparisonRow {
  model: ComparisonModel;
  result: FitResult;
  trainAccuracy: number;
  testAccuracy: number | null;
  /** 1 where the model classified the test example correctly (for McNemar's test). */
  testCorrect: Uint8Array | null;
}

export interface ComparisonOptions {
  models?: readonly ComparisonModel[];
  /** Applied under each model's overrides (e.g. fewer iterations). */
  base?: Partial<RunConfig>;
  /** Training options per model (progress callbacks, abort signal). */
  trainOptions?: (model: ComparisonModel) => TrainOptions;
}

export async function runComparison(
  data: DataBundle,
  options: ComparisonOptions = {},
): Promise<ComparisonRow[]> {
  const rows: ComparisonRow[] = [];
  for (const model of options.models ?? SEED_MODELS) {
    const result = await fit(
      data.train,
      { ...options.base, ...model.overrides },
      options.trainOptions?.(model),
    );
    let testCorrect: Uint8Array | null = null;
    if (data.test) {
      const p = result.network.predict(data.test.X);
      testCorrect = p.map((v, j) => (v === data.test!.y[j] ? 1 : 0));
    }
    rows.push({
      model,
      result,
      trainAccuracy: accuracy(result.network, data.train),
      testAccuracy: testCorrect ? testCorrect.reduce((s, v) => s + v, 0) / testCorrect.length : null,
      testCorrect,
    });
  }
  return rows;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** One sentence on what a row shows, read off its numbers and the baseline's. */
export function explainRow(row: ComparisonRow, baseline: ComparisonRow): string {
  const tr = pct(row.trainAccuracy);
  const te = row.testAccuracy === null ? "no test set" : pct(row.testAccuracy);
  const gap =
    row.testAccuracy === null
      ? ""
      : `, a train–test gap of ${(100 * (row.trainAccuracy - row.testAccuracy)).toFixed(1)} points`;
  const vs = (x: number | null, y: number | null) =>
    x === null || y === null
      ? ""
      : ` (${x >= y ? "+" : "−"}${Math.abs(100 * (x - y)).toFixed(1)} vs no regularization)`;
  const c = row.result.config;
  if (row === baseline || (c.lambda === 0 && c.keepProb === 1)) {
    return `Baseline: ${tr} on train, ${te} on test${gap}; nothing stops it bending its boundary around noisy points.`;
  }
  if (c.lambda > 0 && c.keepProb === 1) {
    return `L2 shrinks every weight toward 0, so the boundary is smoother: train ${tr}${vs(row.trainAccuracy, baseline.trainAccuracy)}, test ${te}${vs(row.testAccuracy, baseline.testAccuracy)}.`;
  }
  if (c.dropoutMasks === "fixed") {
    return `The seed's dropout row: its code reseeds the generator before every pass, so the same mask is used in all ${c.iterations} iterations — one thinned network, not real dropout; test ${te}${vs(row.testAccuracy, baseline.testAccuracy)}.`;
  }
  return `Real inverted dropout, new masks every iteration: train ${tr}, test ${te}${vs(row.testAccuracy, baseline.testAccuracy)}; its cost curve is noisy because each step trains a different thinned network.`;
}
