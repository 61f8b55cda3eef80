/**
 * What the report measures on each model, before any words are written: the decision boundary's
 * length, pockets, band of doubt and noisy points fitted, and the cost curve's rises.
 */
import type { Matrix } from "../core/matrix.js";
import type { Dataset } from "../data/dataset.js";
import { contourLines, sampleGrid } from "../plot/grid.js";
import type { View } from "../plot/view.js";
import type { RunConfig } from "../training/config.js";
import type { History } from "../training/history.js";
import { connectedComponents } from "./zones.js";

/** What a model's decision-boundary picture shows, in numbers. */
export interface BoundaryStats {
  /** Length of the p = 0.5 line inside the plotted window, data units. */
  boundaryLength: number;
  /** The same in metres, when the data lies on a pitch. */
  boundaryMetres?: number;
  /** The window's width in data units (to say a length without units). */
  windowWidth: number;
  /** Connected regions (4-connectivity on a 120 × 120 grid) predicted class 1 and class 0. */
  regions: { class1: number; class0: number };
  /** Fraction of the window where 0.1 < p < 0.9: how wide the model's band of doubt is. */
  uncertainFraction: number;
  /** Training points surrounded by the other class (≥ 5 of their 7 nearest neighbours). */
  noisyPoints: number;
  /** How many of those the model classifies with their own (surprising) label: noise it fitted. */
  noisyFitted: number;
  /** Misclassified training points. */
  trainErrors: number;
}

export interface CostStats {
  first: number;
  last: number;
  /** Recorded steps where the cost went up by more than 0.1 %. */
  rises: number;
  steps: number;
}

export const K_NEIGHBOURS = 7;
export const NOISY_MAJORITY = 5;

/** Indices of training points whose ≥ 5 of 7 nearest neighbours have the other label. */
export function noisyPoints(d: Dataset): number[] {
  const m = d.X.cols;
  const nx = d.X.rows;
  const out: number[] = [];
  const dist = new Float64Array(m);
  const order = new Int32Array(m);
  for (let j = 0; j < m; j++) {
    for (let k = 0; k < m; k++) {
      let s = 0;
      for (let f = 0; f < nx; f++) s += (d.X.data[f * m + j] - d.X.data[f * m + k]) ** 2;
      dist[k] = k === j ? Number.POSITIVE_INFINITY : s;
      order[k] = k;
    }
    const nearest = Array.from(order)
      .sort((a, b) => dist[a] - dist[b])
      .slice(0, Math.min(K_NEIGHBOURS, m - 1));
    const other = nearest.filter((k) => d.y[k] !== d.y[j]).length;
    if (other >= Math.min(NOISY_MAJORITY, nearest.length)) out.push(j);
  }
  return out;
}

/** Measures a model's decision boundary over `view` (see {@link BoundaryStats}). */
export function boundaryStats(
  predict: (X: Matrix) => Float64Array,
  train: Dataset,
  view: View,
  noisy: readonly number[] = noisyPoints(train),
  metresPerUnit?: { x: number; y: number },
): BoundaryStats {
  const n = 120;
  const grid = sampleGrid(predict, view, n, n);
  let boundaryLength = 0;
  let boundaryMetres = 0;
  for (const line of contourLines(grid, 0.5)) {
    const k = line.x.length;
    for (let i = 1; i < k + (line.closed ? 1 : 0); i++) {
      const a = (i - 1) % k;
      const b = i % k;
      const dx = line.x[b] - line.x[a];
      const dy = line.y[b] - line.y[a];
      boundaryLength += Math.hypot(dx, dy);
      if (metresPerUnit) boundaryMetres += Math.hypot(dx * metresPerUnit.x, dy * metresPerUnit.y);
    }
  }
  const one = new Uint8Array(n * n);
  const zero = new Uint8Array(n * n);
  let uncertain = 0;
  for (let c = 0; c < n * n; c++) {
    const p = grid.values[c];
    one[c] = p >= 0.5 ? 1 : 0;
    zero[c] = 1 - one[c];
    if (p > 0.1 && p < 0.9) uncertain++;
  }
  const p = predict(train.X);
  let trainErrors = 0;
  for (let j = 0; j < p.length; j++) if ((p[j] > 0.5 ? 1 : 0) !== train.y[j]) trainErrors++;
  let noisyFitted = 0;
  for (const j of noisy) if ((p[j] > 0.5 ? 1 : 0) === train.y[j]) noisyFitted++;
  return {
    boundaryLength,
    ...(metresPerUnit && { boundaryMetres }),
    windowWidth: view.xMax - view.xMin,
    regions: {
      class1: connectedComponents(one, n, n).length,
      class0: connectedComponents(zero, n, n).length,
    },
    uncertainFraction: uncertain / (n * n),
    noisyPoints: noisy.length,
    noisyFitted,
    trainErrors,
  };
}

/** Rises smaller than this fraction of the cost are rounding-level plateaus, not counted. */
const RISE_TOLERANCE = 1e-3;

export function costStats(costs: readonly number[]): CostStats {
  let rises = 0;
  for (let i = 1; i < costs.length; i++) if (costs[i] > costs[i - 1] * (1 + RISE_TOLERANCE)) rises++;
  return {
    first: costs[0] ?? Number.NaN,
    last: costs.at(-1) ?? Number.NaN,
    rises,
    steps: Math.max(0, costs.length - 1),
  };
}

/**
 * The training cross-entropy at each recorded iteration: the recorded objective less its
 * penalties' term, recorded with it from the trainer's list — so models with and without
 * penalties share an axis. A history from before penalties were recorded falls back to L2's
 * λ/(2m)·Σ‖W‖² from the norms recorded with it.
 */
export function crossEntropyCurve(
  h: Pick<History, "costs" | "weightNorms" | "penalties">,
  c: Pick<RunConfig, "lambda" | "batchSize">,
  examples: number,
): number[] {
  const penalties = h.penalties;
  if (penalties && penalties.length === h.costs.length) return h.costs.map((cost, k) => cost - penalties[k]);
  if (c.lambda === 0) return [...h.costs];
  const m = c.batchSize > 0 ? Math.min(c.batchSize, examples) : examples;
  return h.costs.map((cost, k) => {
    const norms = h.weightNorms[k];
    if (!norms) return Number.NaN;
    return cost - (c.lambda / (2 * m)) * norms.reduce((s, v) => s + v, 0);
  });
}
