/**
 * A model's output sampled on a regular grid, and its level lines by marching squares. Pure
 * numbers in, numbers out: the SVG heat map and a canvas renderer can both use them.
 */
import { type Matrix, matrix } from "../core/matrix.js";
import type { View } from "./view.js";

/** Values at the centres of an nx × ny grid of cells covering `view`. */
export interface Grid {
  readonly view: View;
  readonly nx: number;
  readonly ny: number;
  /** values[j * nx + i]: cell column i (from xMin), row j (from yMin). */
  readonly values: Float64Array;
}

/** x of the centre of cell column i. */
export function cellX(g: Grid, i: number): number {
  return g.view.xMin + ((i + 0.5) * (g.view.xMax - g.view.xMin)) / g.nx;
}

/** y of the centre of cell row j. */
export function cellY(g: Grid, j: number): number {
  return g.view.yMin + ((j + 0.5) * (g.view.yMax - g.view.yMin)) / g.ny;
}

/** The grid's cell centres as a 2 × (nx·ny) matrix, examples as columns (column j·nx + i). */
export function gridPoints(view: View, nx: number, ny: number): Matrix {
  const m = nx * ny;
  const X = matrix(2, m);
  const g: Grid = { view, nx, ny, values: new Float64Array(0) };
  for (let j = 0; j < ny; j++) {
    const y = cellY(g, j);
    for (let i = 0; i < nx; i++) {
      X.data[j * nx + i] = cellX(g, i);
      X.data[m + j * nx + i] = y;
    }
  }
  return X;
}

/**
 * Evaluates `predict` once on all grid points. It must return one value per column of its
 * input (for a classifier: the probability of class 1).
 */
export function sampleGrid(predict: (X: Matrix) => ArrayLike<number>, view: View, nx = 120, ny = nx): Grid {
  if (!Number.isInteger(nx) || !Number.isInteger(ny) || nx < 2 || ny < 2) {
    throw new RangeError(`grid size must be integers ≥ 2, got ${nx}×${ny}`);
  }
  const X = gridPoints(view, nx, ny);
  const out = predict(X);
  if (!out || out.length !== nx * ny) {
    throw new RangeError(
      `predict returned ${out ? out.length : "nothing"} values for ${nx * ny} grid points`,
    );
  }
  return { view, nx, ny, values: Float64Array.from(out) };
}

/** A level line: x and y coordinates (data units) of its vertices; closed when it loops. */
export interface Polyline {
  readonly x: number[];
  readonly y: number[];
  readonly closed: boolean;
}

/**
 * The lines where the grid's values cross `level`, by marching squares on the lattice of cell
 * centres with linear interpolation along edges. Ambiguous (saddle) cells are resolved by the
 * mean of their corners. Cells with a NaN corner are skipped. Segments are joined into polylines.
 */
export function contourLines(g: Grid, level = 0.5): Polyline[] {
  const { nx, ny, values } = g;
  // Edge ids: horizontal edge from lattice point (i, j) to (i+1, j) is 2(j·nx+i); vertical edge
  // from (i, j) to (i, j+1) is 2(j·nx+i)+1.
  const hEdge = (i: number, j: number) => 2 * (j * nx + i);
  const vEdge = (i: number, j: number) => 2 * (j * nx + i) + 1;
  const segA: number[] = [];
  const segB: number[] = [];
  for (let j = 0; j < ny - 1; j++) {
    for (let i = 0; i < nx - 1; i++) {
      const v0 = values[j * nx + i];
      const v1 = values[j * nx + i + 1];
      const v2 = values[(j + 1) * nx + i + 1];
      const v3 = values[(j + 1) * nx + i];
      if (Number.isNaN(v0) || Number.isNaN(v1) || Number.isNaN(v2) || Number.isNaN(v3)) continue;
      const c = (v0 >= level ? 1 : 0) | (v1 >= level ? 2 : 0) | (v2 >= level ? 4 : 0) | (v3 >= level ? 8 : 0);
      if (c === 0 || c === 15) continue;
      const bottom = hEdge(i, j);
      const right = vEdge(i + 1, j);
      const top = hEdge(i, j + 1);
      const left = vEdge(i, j);
      // Corner k's two edges: 0 bottom-left, 1 bottom-right, 2 top-right, 3 top-left.
      const cut = (k: number) => {
        if (k === 0) return [bottom, left];
        if (k === 1) return [bottom, right];
        if (k === 2) return [right, top];
        return [left, top];
      };
      const add = (e: number[]) => {
        segA.push(e[0]);
        segB.push(e[1]);
      };
      if (c === 5 || c === 10) {
        const centreAbove = (v0 + v1 + v2 + v3) / 4 >= level;
        // Corners 0 and 2 are above when c = 5. When the centre agrees with them, they are
        // joined through the middle and the other two corners are cut off, and vice versa.
        const aboveCorners = c === 5 ? [0, 2] : [1, 3];
        const belowCorners = c === 5 ? [1, 3] : [0, 2];
        const isolated = centreAbove ? belowCorners : aboveCorners;
        add(cut(isolated[0]));
        add(cut(isolated[1]));
        continue;
      }
      // Exactly one connected crossing: the edges whose ends differ.
      const crossed: number[] = [];
      if ((c & 1) !== (c & 2) >> 1) crossed.push(bottom);
      if ((c & 2) >> 1 !== (c & 4) >> 2) crossed.push(right);
      if ((c & 4) >> 2 !== (c & 8) >> 3) crossed.push(top);
      if ((c & 8) >> 3 !== (c & 1)) crossed.push(left);
      add(crossed);
    }
  }

  const point = (edge: number): [number, number] => {
    const k = edge >> 1;
    const i = k % nx;
    const j = (k - i) / nx;
    const i2 = edge & 1 ? i : i + 1;
    const j2 = edge & 1 ? j + 1 : j;
    const va = values[j * nx + i];
    const vb = values[j2 * nx + i2];
    const t = vb === va ? 0.5 : Math.max(0, Math.min(1, (level - va) / (vb - va)));
    const x = cellX(g, i) + (cellX(g, i2) - cellX(g, i)) * t;
    const y = cellY(g, j) + (cellY(g, j2) - cellY(g, j)) * t;
    return [x, y];
  };

  // Join segments that share an edge into polylines.
  const byEdge = new Map<number, number[]>();
  const link = (e: number, s: number) => {
    const list = byEdge.get(e);
    if (list) list.push(s);
    else byEdge.set(e, [s]);
  };
  for (let s = 0; s < segA.length; s++) {
    link(segA[s], s);
    link(segB[s], s);
  }
  const used = new Uint8Array(segA.length);
  const next = (edge: number, from: number): number => {
    const list = byEdge.get(edge);
    if (!list) return -1;
    for (const s of list) if (s !== from && !used[s]) return s;
    return -1;
  };
  const lines: Polyline[] = [];
  for (let s0 = 0; s0 < segA.length; s0++) {
    if (used[s0]) continue;
    used[s0] = 1;
    // Walk forward from segB, then backward from segA.
    const forward: number[] = [segA[s0], segB[s0]];
    let edge = segB[s0];
    let s = s0;
    for (;;) {
      const n = next(edge, s);
      if (n < 0) break;
      used[n] = 1;
      edge = segA[n] === edge ? segB[n] : segA[n];
      forward.push(edge);
      s = n;
    }
    const closed = forward.length > 2 && forward[forward.length - 1] === forward[0];
    const backward: number[] = [];
    if (!closed) {
      edge = segA[s0];
      s = s0;
      for (;;) {
        const n = next(edge, s);
        if (n < 0) break;
        used[n] = 1;
        edge = segA[n] === edge ? segB[n] : segA[n];
        backward.push(edge);
        s = n;
      }
    }
    const edges = backward.reverse().concat(forward);
    if (closed) edges.pop();
    const x: number[] = [];
    const y: number[] = [];
    for (const e of edges) {
      const [px, py] = point(e);
      x.push(px);
      y.push(py);
    }
    lines.push({ x, y, closed });
  }
  return lines;
}
