import type { RandomState } from "../core/random.js";
import { DataError, type Dataset, subset } from "./dataset.js";

/**
 * `n` of the indices 0 … m−1, drawn without replacement (the first n of `rng.permutation(m)`, as
 * numpy would draw them) and returned in ascending order so the examples keep their file order.
 */
export function drawIndices(m: number, n: number, rng: RandomState): Int32Array {
  if (!Number.isInteger(n) || n < 1 || n > m) {
    throw new RangeError(`cannot draw ${n} of ${m} examples`);
  }
  return rng
    .permutation(m)
    .subarray(0, n)
    .sort((a, b) => a - b);
}

/**
 * A reproducible subset of `n` examples (all of them when n is undefined or m); with
 * `keepClasses`, one that holds every class of `d` or a DataError saying the draw lost one.
 */
export function subsample(
  d: Dataset,
  n: number | undefined,
  rng: RandomState,
  source: string,
  what: string,
  keepClasses = false,
): Dataset {
  const m = d.X.cols;
  if (n === undefined || n === m) return d;
  if (n > m) throw new DataError(source, `${what} has ${m} examples; cannot take ${n}`);
  const part = subset(d, drawIndices(m, n, rng));
  if (keepClasses) checkDrawKeepsClasses(d, part, n, source, what);
  return part;
}

/**
 * A draw that leaves a class out is the draw's fault, not the labels': say so here, before the
 * label rule would read the gap as labels that count from 1.
 */
function checkDrawKeepsClasses(full: Dataset, part: Dataset, n: number, source: string, what: string): void {
  const seen = (y: ArrayLike<number>) => new Set(Array.from(y));
  const drawn = seen(part.y);
  const lost = [...seen(full.y)].filter((c) => !drawn.has(c)).sort((a, b) => a - b);
  if (lost.length === 0) return;
  const classes = lost.length === 1 ? `class ${lost[0]}` : `classes ${lost.join(", ")}`;
  throw new DataError(
    source,
    `${n} examples drawn from ${what} hold no example of ${classes}; take more (--train-size) or another draw (--subset-seed)`,
  );
}
