/**
 * Features whose values are too large for a network to train on. A network multiplies features
 * by weights and backpropagation multiplies them again, so values far from the usual [-10, 10]
 * make the steps overshoot, and values beyond about 1e150 overflow float64 when squared. Used to
 * name the cause when training diverges or a computation cannot be done.
 */
import type { Matrix } from "../core/matrix.js";

/** Above this magnitude a feature is worth naming as the likely cause of a diverging run. */
export const HUGE_FEATURE = 1e3;
/** Above this magnitude products of two features overflow float64: nothing can be computed. */
export const OVERFLOWING_FEATURE = 1e150;

export interface HugeFeature {
  /** 0-based row of X (feature index). */
  readonly feature: number;
  /** The value of largest magnitude it takes. */
  readonly extreme: number;
}

/** The features of X (features × m) whose largest magnitude exceeds `limit`, largest first. */
export function hugeFeatures(X: Matrix, limit = HUGE_FEATURE): HugeFeature[] {
  const out: HugeFeature[] = [];
  const m = X.cols;
  for (let f = 0; f < X.rows; f++) {
    let extreme = 0;
    for (let j = 0; j < m; j++) {
      const v = X.data[f * m + j];
      if (!(Math.abs(v) <= Math.abs(extreme))) extreme = v;
    }
    if (!(Math.abs(extreme) <= limit)) out.push({ feature: f, extreme });
  }
  return out.sort((a, b) => Math.abs(b.extreme) - Math.abs(a.extreme));
}

/** 1e308, -3.5e12, 2000: short and exact enough to recognize. */
export function formatMagnitude(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) < 1e6) return String(Number(v.toPrecision(3)));
  return v
    .toExponential(2)
    .replace(/\.?0+e/, "e")
    .replace("e+", "e");
}

/**
 * "feature 1 reaches 1e308, feature 2 reaches -3e12" for the (at most three) largest features
 * beyond `limit`, or undefined when none is. Feature numbers count from 1, as in messages.
 */
export function describeHugeFeatures(X: Matrix, limit = HUGE_FEATURE): string | undefined {
  const huge = hugeFeatures(X, limit);
  if (huge.length === 0) return undefined;
  const named = huge
    .slice(0, 3)
    .map((h) => `feature ${h.feature + 1} reaches ${formatMagnitude(h.extreme)}`)
    .join(", ");
  return huge.length > 3 ? `${named} (and ${huge.length - 3} more)` : named;
}
