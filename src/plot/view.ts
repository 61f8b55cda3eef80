/** The data window a 2-D plot shows. */
import type { Dataset } from "../data/dataset.js";

export interface View {
  readonly xMin: number;
  readonly xMax: number;
  readonly yMin: number;
  readonly yMax: number;
}

/**
 * The plot box of the article's football figures. The pitch drawing maps this box onto the whole
 * pitch (see `pitch.ts`).
 */
export const FOOTBALL_VIEW: View = Object.freeze({ xMin: -0.75, xMax: 0.4, yMin: -0.75, yMax: 0.65 });

/** Throws unless the dataset has exactly two feature rows (x1, x2). */
export function assertTwoFeatures(d: Dataset, what: string): void {
  if (d.X.rows !== 2) {
    throw new RangeError(`${what} has ${d.X.rows} features; a 2-D plot needs exactly 2 (x1, x2)`);
  }
  if (d.y.length !== d.X.cols) {
    throw new RangeError(`${what} has ${d.X.cols} examples but ${d.y.length} labels`);
  }
}

/**
 * The bounding box of the datasets' points (finite values only), widened on each side by
 * `margin` × its extent. A degenerate extent gets a unit-sized window.
 */
export function dataView(datasets: readonly Dataset[], margin = 0.06): View {
  let xMin = Number.POSITIVE_INFINITY;
  let xMax = Number.NEGATIVE_INFINITY;
  let yMin = Number.POSITIVE_INFINITY;
  let yMax = Number.NEGATIVE_INFINITY;
  for (const d of datasets) {
    const m = d.X.cols;
    for (let j = 0; j < m; j++) {
      const x = d.X.data[j];
      const y = d.X.data[m + j];
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      if (x < xMin) xMin = x;
      if (x > xMax) xMax = x;
      if (y < yMin) yMin = y;
      if (y > yMax) yMax = y;
    }
  }
  if (xMin > xMax) return { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };
  const widen = (lo: number, hi: number): [number, number] => {
    const span = hi - lo;
    if (span === 0) return [lo - 0.5, hi + 0.5];
    return [lo - span * margin, hi + span * margin];
  };
  const [x0, x1] = widen(xMin, xMax);
  const [y0, y1] = widen(yMin, yMax);
  return { xMin: x0, xMax: x1, yMin: y0, yMax: y1 };
}

/** True when every point of the datasets lies inside the view. */
export function viewContains(view: View, datasets: readonly Dataset[]): boolean {
  for (const d of datasets) {
    const m = d.X.cols;
    for (let j = 0; j < m; j++) {
      const x = d.X.data[j];
      const y = d.X.data[m + j];
      if (x < view.xMin || x > view.xMax || y < view.yMin || y > view.yMax) return false;
    }
  }
  return true;
}

export function checkView(view: View): void {
  const ok =
    Number.isFinite(view.xMin) &&
    Number.isFinite(view.xMax) &&
    Number.isFinite(view.yMin) &&
    Number.isFinite(view.yMax) &&
    view.xMax > view.xMin &&
    view.yMax > view.yMin;
  if (!ok) {
    throw new RangeError(
      `view must have finite bounds with xMin < xMax and yMin < yMax, got ${JSON.stringify(view)}`,
    );
  }
}
