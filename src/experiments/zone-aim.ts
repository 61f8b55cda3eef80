/**
 * Where to aim inside a zone: the cell deepest inside it, kept where the training data are.
 */
import type { Dataset } from "../data/dataset.js";
import { cellX, cellY } from "../plot/grid.js";
import type { Point, ProbabilityMap } from "../plot/probability-map.js";
import type { View } from "../plot/view.js";

/**
 * The zone cell whose centre lies farthest from the zone's outline (cell sides facing a cell
 * outside the zone or the edge of the grid), distances scaled by `scale` per axis; ties go to
 * the cell nearest `centre`.
 */
export function deepestCell(
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
export function supportOf(
  data: Dataset,
  map: ProbabilityMap,
  options: { minSupport?: number; supportRadius?: number },
) {
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
