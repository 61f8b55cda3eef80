/**
 * The seed's business question — where should France's goalkeeper kick? — answered from a model
 * with uncertainty: a probability map of "a French player wins the header" over the pitch, from
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
import type { Uncertainty, UncertaintyMethod } from "../core/mc-dropout.js";
import { quantileSorted } from "../core/mc-dropout.js";
import type { Network } from "../core/network.js";
import type { Dataset } from "../data/dataset.js";
import { cellX, cellY, gridPoints } from "../plot/grid.js";
import { PITCH_LENGTH, PITCH_WIDTH } from "../plot/pitch.js";
import { checkView, type View } from "../plot/view.js";
import type { RunConfig } from "../training/config.js";
import { fit, type TrainOptions } from "../training/train.js";
import { normalQuantile } from "./stats.js";

/** An uncertainty summary sampled at the centres of an nx × ny grid of cells over `view`. */
export interface ProbabilityMap extends Uncertainty {
  readonly view: View;
  readonly nx: number;
  readonly ny: number;
}

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

export interface Point {
  x: number;
  y: number;
}

export interface Zone {
  /** 1 = best. */
  rank: number;
  /** Grid cells in the zone. */
  cells: number;
  /** Area in data units² (cells × cell area). */
  area: number;
  /** Area in m² when a pitch box was given. */
  areaSquareMetres?: number;
  /** Centroid of the zone's cells (data units); may fall outside a curved zone. */
  centre: Point;
  /**
   * Where to aim: the zone's cell centre farthest from the zone's edge (and from the edge of the
   * map), so that a kick off by up to `clearance` in any direction still lands in the zone.
   */
  target: Point;
  /** Distance from `target` to the zone's edge: metres with a pitch box, else data units. */
  clearance: number;
  /** The win probability at `target`: mean of the passes and the cell's lower/upper bounds. */
  targetProbability: { mean: number; low: number; high: number };
  /** With data: the training examples inside the zone and how many were class 1 (French wins). */
  examples?: { count: number; class1: number };
  /** Bounding box of the zone's cells. */
  boundingBox: View;
  /** Mean over passes of the zone's average win probability. */
  meanProbability: number;
  /** sd(p_t)/√T, the standard error of meanProbability. */
  standardError: number;
  /** 95 % confidence interval of meanProbability (shrinks like 1/√T). */
  interval: { low: number; high: number };
  /** 5th–95th percentile of the zone's average probability across passes (the model's spread). */
  spread: { low: number; high: number };
  /** The smallest per-cell lower bound inside the zone (≥ the threshold by construction). */
  minLowerBound: number;
  /** Ranking score: area × meanProbability. */
  score: number;
  /** Where the target lies on the pitch, in metres, when a pitch box was given. */
  pitch?: PitchPosition;
}

export interface PitchPosition {
  /** Metres from France's goal line (the box's left edge, xMin), along the pitch. */
  fromOwnGoalLine: number;
  /** Metres from the top touchline of the map (yMax). */
  fromTopTouchline: number;
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
 * The zone cell whose centre lies farthest from the zone's outline (cell sides facing a cell
 * outside the zone or the edge of the grid), distances scaled by `scale` per axis; ties go to
 * the cell nearest `centre`.
 */
function deepestCell(
  cells: Int32Array,
  inside: Uint8Array,
  nx: number,
  ny: number,
  view: View,
  scale: { x: number; y: number },
  centre: Point,
  eligible?: (cell: number) => boolean,
): { cell: number; distance: number } {
  const cw = (view.xMax - view.xMin) / nx;
  const ch = (view.yMax - view.yMin) / ny;
  // Outline segments in scaled coordinates: [x0, y0, x1, y1], axis-aligned.
  const segs: number[] = [];
  const X = (i: number) => (view.xMin + i * cw) * scale.x;
  const Y = (j: number) => (view.yMin + j * ch) * scale.y;
  for (const c of cells) {
    const i = c % nx;
    const j = (c - i) / nx;
    if (i === 0 || !inside[c - 1]) segs.push(X(i), Y(j), X(i), Y(j + 1));
    if (i === nx - 1 || !inside[c + 1]) segs.push(X(i + 1), Y(j), X(i + 1), Y(j + 1));
    if (j === 0 || !inside[c - nx]) segs.push(X(i), Y(j), X(i + 1), Y(j));
    if (j === ny - 1 || !inside[c + nx]) segs.push(X(i), Y(j + 1), X(i + 1), Y(j + 1));
  }
  let best = cells[0];
  let bestDist = -1;
  let bestTie = Number.POSITIVE_INFINITY;
  const candidates = eligible ? cells.filter(eligible) : cells;
  for (const c of candidates.length > 0 ? candidates : cells) {
    const i = c % nx;
    const j = (c - i) / nx;
    const px = (view.xMin + (i + 0.5) * cw) * scale.x;
    const py = (view.yMin + (j + 0.5) * ch) * scale.y;
    let d2 = Number.POSITIVE_INFINITY;
    for (let k = 0; k < segs.length; k += 4) {
      // Nearest point of an axis-aligned segment: clamp each coordinate.
      const qx = Math.min(Math.max(px, Math.min(segs[k], segs[k + 2])), Math.max(segs[k], segs[k + 2]));
      const qy = Math.min(
        Math.max(py, Math.min(segs[k + 1], segs[k + 3])),
        Math.max(segs[k + 1], segs[k + 3]),
      );
      const e = (px - qx) ** 2 + (py - qy) ** 2;
      if (e < d2) d2 = e;
    }
    const d = Math.sqrt(d2);
    const tie = (px - centre.x * scale.x) ** 2 + (py - centre.y * scale.y) ** 2;
    if (d > bestDist + 1e-12 || (Math.abs(d - bestDist) <= 1e-12 && tie < bestTie)) {
      best = c;
      bestDist = d;
      bestTie = tie;
    }
  }
  return { cell: best, distance: bestDist };
}

/** Per cell: how many training examples lie within the support radius; and a zone's examples. */
function supportOf(data: Dataset, map: ProbabilityMap, options: ZoneOptions) {
  const { view, nx, ny } = map;
  if (data.X.rows !== 2) throw new RangeError(`zone statistics need 2 features, the data has ${data.X.rows}`);
  const radius = options.supportRadius ?? 0.05 * Math.hypot(view.xMax - view.xMin, view.yMax - view.yMin);
  const min = options.minSupport ?? 3;
  const m = data.X.cols;
  const xs = data.X.data.subarray(0, m);
  const ys = data.X.data.subarray(m, 2 * m);
  const grid = { view, nx, ny, values: map.mean };
  const counts = new Int32Array(nx * ny);
  const r2 = radius * radius;
  for (let j = 0; j < ny; j++) {
    const y = cellY(grid, j);
    for (let i = 0; i < nx; i++) {
      const x = cellX(grid, i);
      let n = 0;
      for (let k = 0; k < m; k++) if ((xs[k] - x) ** 2 + (ys[k] - y) ** 2 <= r2) n++;
      counts[j * nx + i] = n;
    }
  }
  // The cell each example falls in (−1 outside the view).
  const cellOf = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    const i = Math.floor(((xs[k] - view.xMin) / (view.xMax - view.xMin)) * nx);
    const j = Math.floor(((ys[k] - view.yMin) / (view.yMax - view.yMin)) * ny);
    cellOf[k] = i >= 0 && i < nx && j >= 0 && j < ny ? j * nx + i : -1;
  }
  return {
    counts,
    min,
    inZone(cells: Int32Array): { count: number; class1: number } {
      const set = new Set<number>(cells);
      let count = 0;
      let class1 = 0;
      for (let k = 0; k < m; k++) {
        if (cellOf[k] >= 0 && set.has(cellOf[k])) {
          count++;
          class1 += data.y[k];
        }
      }
      return { count, class1 };
    },
  };
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

/** A percentage for a sentence: whole numbers, one decimal from 99 % up, never "100%" below 1. */
function pct(p: number): string {
  if (p < 0.99) return `${Math.round(100 * p)}%`;
  if (p >= 1) return "100%";
  const v = Math.round(1000 * p) / 10;
  return v >= 100 ? ">99.9%" : `${v.toFixed(1)}%`;
}

/** An interval in percent, both ends with one decimal when either needs it. */
function pctRange(lo: number, hi: number): string {
  if (hi < 0.99) return `${pct(lo)}–${pct(hi)}`;
  const one = (p: number) => (p >= 1 ? "100%" : `${(Math.floor(1000 * p) / 10).toFixed(1)}%`);
  return `${one(lo)}–${one(hi)}`;
}

const num = (v: number) => (v < 0 ? `−${Math.abs(v).toFixed(2)}` : v.toFixed(2));

function place(p: Point, position: PitchPosition | undefined): string {
  const at = `(x = ${num(p.x)}, y = ${num(p.y)})`;
  if (!position) return at;
  const { fromOwnGoalLine, fromTopTouchline } = position;
  return `${at}, about ${Math.round(fromOwnGoalLine)} m out from France's goal line and ${Math.round(fromTopTouchline)} m below the top touchline of the map`;
}

export interface SentenceContext {
  threshold: number;
  method: UncertaintyMethod;
  samples: number;
  lowQuantile: number;
  /** With a pitch: distances in metres. */
  pitch?: boolean;
}

/**
 * A plain recommendation a coach can act on, from the ranked zones. With a pitch (the football
 * data) it speaks of kicks, headers and metres; otherwise of class 1 and data units.
 */
export function coachSentence(zones: readonly Zone[], map: ProbabilityMap, ctx: SentenceContext): string {
  const passes =
    ctx.method === "mc-dropout" ? `${ctx.samples} dropout passes` : `${ctx.samples} ensemble members`;
  const sure = 100 - Math.round(100 * ctx.lowQuantile);
  const football = ctx.pitch === true;
  if (zones.length === 0) {
    const b = bestCell(map);
    const what = football
      ? `do French players keep a ${pct(ctx.threshold)} chance of winning the header`
      : `does P(class 1) stay at ${pct(ctx.threshold)} or more`;
    return (
      `No zone qualifies: nowhere ${what} in ${sure}% of the ${passes}. The best spot, ${place(b.point, undefined)}, ` +
      `reaches ${pct(b.mean)} on average but only ${pct(b.low)} in a pessimistic pass — lower the threshold or collect more data.`
    );
  }
  const z1 = zones[0];
  const zoneMean = `${pct(z1.meanProbability)} on average over the zone (95% interval ${pctRange(z1.interval.low, z1.interval.high)})`;
  const atTarget = `${pct(z1.targetProbability.mean)} (at least ${pct(z1.targetProbability.low)} in ${sure}% of the ${passes})`;
  let s: string;
  if (football) {
    s =
      `Aim the goalkeeper's kicks at ${place(z1.target, z1.pitch)}, the middle of zone 1: a French player wins the header there ` +
      `${atTarget.replace(/^(\S+)/, "$1 of the time")}, and a kick that is off by up to ${Math.round(z1.clearance)} m in any direction ` +
      `still lands in the zone, where French players win ${zoneMean}.`;
    if (z1.examples && z1.examples.count > 0) {
      s += ` In the training data, French players won ${z1.examples.class1} of the ${z1.examples.count} headers that fell in this zone.`;
    }
  } else {
    s =
      `Class 1 is most reliable in zone 1, around ${place(z1.target, undefined)}: P(class 1) is ${atTarget} there, ` +
      `and ${zoneMean}; the point lies ${z1.clearance.toFixed(2)} from the zone's edge.`;
    if (z1.examples && z1.examples.count > 0) {
      s += ` ${z1.examples.class1} of the ${z1.examples.count} training examples in the zone are class 1.`;
    }
  }
  if (zones.length > 1) {
    const z2 = zones[1];
    s += ` Second choice: zone 2, around ${place(z2.target, undefined)}, ${pct(z2.meanProbability)} on average.`;
  }
  return s;
}

export interface Recommendation {
  method: UncertaintyMethod;
  samples: number;
  threshold: number;
  /** What the per-cell bounds are: e.g. "5th–95th percentile of 100 MC-dropout passes". */
  bounds: string;
  view: View;
  grid: { nx: number; ny: number; cellArea: number };
  zones: Zone[];
  sentence: string;
}

/** Zones and the coach's sentence for a probability map. */
export function recommend(map: ProbabilityMap, options: ZoneOptions = {}): Recommendation {
  const threshold = options.threshold ?? 0.8;
  const zones = recommendZones(map, options);
  const what = map.method === "mc-dropout" ? "MC-dropout passes" : "ensemble members";
  return {
    method: map.method,
    samples: map.samples,
    threshold,
    bounds: `${Math.round(100 * map.lowQuantile)}th–${Math.round(100 * map.highQuantile)}th percentile of ${map.samples} ${what}`,
    view: map.view,
    grid: {
      nx: map.nx,
      ny: map.ny,
      cellArea: ((map.view.xMax - map.view.xMin) / map.nx) * ((map.view.yMax - map.view.yMin) / map.ny),
    },
    zones,
    sentence: coachSentence(zones, map, {
      threshold,
      method: map.method,
      samples: map.samples,
      lowQuantile: map.lowQuantile,
      pitch: options.pitch !== undefined,
    }),
  };
}

/**
 * Trains one network per seed with the same configuration: an ensemble whose disagreement
 * measures how much the answer depends on the initial weights (for models without dropout).
 */
export async function trainEnsemble(
  data: Dataset,
  config: Partial<RunConfig>,
  seeds: readonly number[],
  options: (seed: number, index: number) => TrainOptions = () => ({}),
): Promise<Network[]> {
  const out: Network[] = [];
  for (let k = 0; k < seeds.length; k++) {
    const result = await fit(data, { ...config, seed: seeds[k] }, options(seeds[k], k));
    out.push(result.network);
  }
  return out;
}
