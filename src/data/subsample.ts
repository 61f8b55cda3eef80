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

/** A reproducible subset of `n` examples (all of them when n is undefined or m). */
export function subsample(
  d: Dataset,
  n: number | undefined,
  rng: RandomState,
  source: string,
  what: string,
): Dataset {
  const m = d.X.cols;
  if (n === undefined || n === m) return d;
  if (n > m) throw new DataError(source, `${what} has ${m} examples; cannot take ${n}`);
  return subset(d, drawIndices(m, n, rng));
}
