/**
 * Zones of a probability map: a map of "a French player wins the header" over the pitch, from
 * MC-dropout passes (or ensemble members), and the target zones where even a pessimistic pass
 * stays above a threshold.
 *
 * Definitions (what the numbers in a recommendation mean):
 * - per grid cell, `low`/`high` are the 5th/95th percentiles of the T passes (the spread of the
 *   model's belief; it converges to a fixed band as T grows, it does not shrink to nothing);
 * - a zone is a 4-connected set of cells whose `low` ≥ threshold;
 * - a zone's `meanProbability` is the mean over passes of the zone's average probability p_t;
 *   `interval` is the 95 % confidence interval of that mean, mean ± 1.96·sd(p_t)/√T — it shrinks
 *   like 1/√T as passes are added; `spread` is the 5th–95th percentile of p_t across passes;
 * - zones are ranked by score = area × meanProbability: a large sure zone forgives an imprecise
 *   kick better than a small slightly surer one.
 */
import type { Matrix } from "../core/matrix.js";
import type { Uncertainty } from "../core/mc-dropout.js";
import { quantileSorted } from "../core/mc-dropout.js";
import type { Dataset } from "../data/dataset.js";
import { cellX, cellY, gridPoints } from "../plot/grid.js";
import { PITCH_LENGTH, PITCH_WIDTH } from "../plot/pitch.js";
import type { PitchPosition, Point, ProbabilityMap, Zone } from "../plot/probability-map.js";
import { checkView, type View } from "../plot/view.js";
import { normalQuantile } from "./stats.js";
import { deepestCell, supportOf } from "./zone-aim.js";

/**
 * Evaluates `predict` (e.g. `(X) => predictWithUncertainty(net, X, { keepProb, samples })`) on the
 * centres of an nx × ny grid over `view`. Cell (i, j) — column i from xMin, row j from yMin — is
 * entry j·nx + i of every array.
 */
export function probabilityMap(
  predict: (X: Matrix) => Uncertainty,
  view: View,
  nx = 100,
  ny = nx,
): ProbabilityMap {
  checkView(view);
  if (!Number.isInteger(nx) || !Number.isInteger(ny) || nx < 2 || ny < 2) {
    throw new RangeError(`grid size must be whole numbers ≥ 2, got ${nx}×${ny}`);
  }
  const u = predict(gridPoints(view, nx, ny));
  if (u.points !== nx * ny) throw new RangeError(`predict returned ${u.points} points for ${nx * ny} cells`);
  return { ...u, view, nx, ny };
}

export interface ZoneOptions {
  /** A cell belongs to a zone when its lower bound is ≥ this; default 0.8. */
  threshold?: number;
  /** Zones with fewer cells are dropped as specks; default 3. */
  minCells?: number;
  /** Confidence of `interval`; default 0.95. */
  confidence?: number;
  /**
   * Where the whole pitch lies in data coordinates (left edge = France's goal line): adds metres
   * to zones and sentences.
   */
  pitch?: View;
  /**
   * The training data: zones then report how many past examples fell inside them and how many of
   * those the French won, and the aim point is kept where the data are (see `minSupport`).
   */
  data?: Dataset;
  /**
   * With `data`: the aim point must have at least this many examples within `supportRadius`
   * (else the deepest cell overall is used); default 3.
   */
  minSupport?: number;
  /** Radius for `minSupport`, data units; default 5 % of the view's diagonal. */
  supportRadius?: number;
}

function pitchPosition(p: Point, box: View): PitchPosition {
  return {
    fromOwnGoalLine: ((p.x - box.xMin) / (box.xMax - box.xMin)) * PITCH_LENGTH,
    fromTopTouchline: ((box.yMax - p.y) / (box.yMax - box.yMin)) * PITCH_WIDTH,
  };
}

/** Labels the 4-connected components of `inside` (1 = in); returns each component's cell list. */
export function connectedComponents(inside: Uint8Array, nx: number, ny: number): Int32Array[] {
  const seen = new Uint8Array(nx * ny);
  const queue = new Int32Array(nx * ny);
  const out: Int32Array[] = [];
  for (let start = 0; start < nx * ny; start++) {
    if (!inside[start] || seen[start]) continue;
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    seen[start] = 1;
    while (head < tail) {
      const c = queue[head++];
      const i = c % nx;
      const j = (c - i) / nx;
      const visit = (n: number) => {
        if (inside[n] && !seen[n]) {
          seen[n] = 1;
          queue[tail++] = n;
        }
      };
      if (i > 0) visit(c - 1);
      if (i < nx - 1) visit(c + 1);
      if (j > 0) visit(c - nx);
      if (j < ny - 1) visit(c + nx);
    }
    out.push(queue.slice(0, tail).sort());
  }
  return out;
}

/**
 * The target zones of a probability map: 4-connected regions where the per-cell lower bound is
 * at least `threshold`, each with its centre, area, mean probability and intervals, ranked by
 * area × mean probability.
 */
export function recommendZones(map: ProbabilityMap, options: ZoneOptions = {}): Zone[] {
  const threshold = options.threshold ?? 0.8;
  if (!(threshold > 0 && threshold < 1))
    throw new RangeError(`threshold must be in (0, 1), got ${threshold}`);
  const minCells = options.minCells ?? 3;
  const confidence = options.confidence ?? 0.95;
  const z = -normalQuantile((1 - confidence) / 2);
  const { nx, ny, view, samples: T, values, low } = map;
  const m = nx * ny;
  const grid = { view, nx, ny, values: map.mean };
  const cellArea = ((view.xMax - view.xMin) / nx) * ((view.yMax - view.yMin) / ny);
  const metres = options.pitch
    ? (PITCH_LENGTH / (options.pitch.xMax - options.pitch.xMin)) *
      (PITCH_WIDTH / (options.pitch.yMax - options.pitch.yMin))
    : 0;
  const inside = new Uint8Array(m);
  for (let c = 0; c < m; c++) inside[c] = low[c] >= threshold ? 1 : 0;
  // Distances for the aim point: metres on the pitch when given, else data units.
  const metricScale = options.pitch
    ? {
        x: PITCH_LENGTH / (options.pitch.xMax - options.pitch.xMin),
        y: PITCH_WIDTH / (options.pitch.yMax - options.pitch.yMin),
      }
    : { x: 1, y: 1 };

  const support = options.data ? supportOf(options.data, map, options) : undefined;

  const zones: Zone[] = [];
  const perPass = new Float64Array(T);
  for (const cells of connectedComponents(inside, nx, ny)) {
    if (cells.length < minCells) continue;
    let sx = 0;
    let sy = 0;
    let minLow = Number.POSITIVE_INFINITY;
    let x0 = Number.POSITIVE_INFINITY;
    let x1 = Number.NEGATIVE_INFINITY;
    let y0 = Number.POSITIVE_INFINITY;
    let y1 = Number.NEGATIVE_INFINITY;
    for (const c of cells) {
      const i = c % nx;
      const j = (c - i) / nx;
      const x = cellX(grid, i);
      const y = cellY(grid, j);
      sx += x;
      sy += y;
      minLow = Math.min(minLow, low[c]);
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
    const centre = { x: sx / cells.length, y: sy / cells.length };
    const cw = (view.xMax - view.xMin) / nx;
    const ch = (view.yMax - view.yMin) / ny;
    const deepest = deepestCell(
      cells,
      inside,
      nx,
      ny,
      view,
      metricScale,
      centre,
      support ? (c) => support.counts[c] >= support.min : undefined,
    );
    const di = deepest.cell % nx;
    const target = { x: cellX(grid, di), y: cellY(grid, (deepest.cell - di) / nx) };
    // The zone's average probability in each pass, then its mean, standard error and spread.
    for (let t = 0; t < T; t++) {
      let s = 0;
      const o = t * m;
      for (const c of cells) s += values[o + c];
      perPass[t] = s / cells.length;
    }
    let mu = 0;
    for (let t = 0; t < T; t++) mu += perPass[t];
    mu /= T;
    let ss = 0;
    for (let t = 0; t < T; t++) ss += (perPass[t] - mu) ** 2;
    const se = T > 1 ? Math.sqrt(ss / (T - 1)) / Math.sqrt(T) : 0;
    const sorted = perPass.slice().sort();
    const area = cells.length * cellArea;
    const zone: Zone = {
      rank: 0,
      cells: cells.length,
      area,
      centre,
      target,
      boundingBox: { xMin: x0 - cw / 2, xMax: x1 + cw / 2, yMin: y0 - ch / 2, yMax: y1 + ch / 2 },
      meanProbability: mu,
      standardError: se,
      interval: { low: Math.max(0, mu - z * se), high: Math.min(1, mu + z * se) },
      spread: {
        low: quantileSorted(sorted, map.lowQuantile),
        high: quantileSorted(sorted, map.highQuantile),
      },
      minLowerBound: minLow,
      clearance: deepest.distance,
      targetProbability: {
        mean: map.mean[deepest.cell],
        low: low[deepest.cell],
        high: map.high[deepest.cell],
      },
      score: area * mu,
    };
    if (support) zone.examples = support.inZone(cells);
    if (options.pitch) {
      zone.areaSquareMetres = area * metres;
      zone.pitch = pitchPosition(target, options.pitch);
    }
    zones.push(zone);
  }
  zones.sort((a, b) => b.score - a.score || b.meanProbability - a.meanProbability);
  zones.forEach((zone, k) => {
    zone.rank = k + 1;
  });
  return zones;
}

/**
 * Which zone each cell belongs to: its rank (1 = best), or 0 outside every zone. Recomputed from
 * the map and threshold the zones were made with; a component is matched to the zone whose aim
 * point lies in it.
 */
export function zoneMembership(map: ProbabilityMap, zones: readonly Zone[], threshold: number): Int32Array {
  const { nx, ny, view, low } = map;
  const inside = new Uint8Array(nx * ny);
  for (let c = 0; c < nx * ny; c++) inside[c] = low[c] >= threshold ? 1 : 0;
  const out = new Int32Array(nx * ny);
  const cellOf = (p: Point) => {
    const i = Math.min(nx - 1, Math.max(0, Math.floor(((p.x - view.xMin) / (view.xMax - view.xMin)) * nx)));
    const j = Math.min(ny - 1, Math.max(0, Math.floor(((p.y - view.yMin) / (view.yMax - view.yMin)) * ny)));
    return j * nx + i;
  };
  const byTarget = new Map<number, number>(zones.map((z) => [cellOf(z.target), z.rank]));
  for (const cells of connectedComponents(inside, nx, ny)) {
    let rank = 0;
    for (const c of cells) {
      const r = byTarget.get(c);
      if (r !== undefined) {
        rank = r;
        break;
      }
    }
    if (rank > 0) for (const c of cells) out[c] = rank;
  }
  return out;
}

/** The cell whose lower bound is highest (what comes closest when no zone qualifies). */
export function bestCell(map: ProbabilityMap): { point: Point; low: number; mean: number } {
  let best = 0;
  for (let c = 1; c < map.low.length; c++) if (map.low[c] > map.low[best]) best = c;
  const grid = { view: map.view, nx: map.nx, ny: map.ny, values: map.mean };
  const i = best % map.nx;
  return {
    point: { x: cellX(grid, i), y: cellY(grid, (best - i) / map.nx) },
    low: map.low[best],
    mean: map.mean[best],
  };
}
