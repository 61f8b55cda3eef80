/**
 * Stratified train/dev splits and k-fold cross-validation. Each class is shuffled on its own
 * with the caller's RandomState, so the same generator state always gives the same split, and
 * every part keeps the class balance of the whole.
 */
import type { RandomState } from "../core/random.js";
import { type Dataset, subset } from "./dataset.js";

/** Example indices grouped by label, in ascending label order (each group in original order). */
function indicesByClass(data: Dataset): Array<{ label: number; indices: number[] }> {
  const groups = new Map<number, number[]>();
  for (let j = 0; j < data.y.length; j++) {
    const label = data.y[j];
    let g = groups.get(label);
    if (!g) {
      g = [];
      groups.set(label, g);
    }
    g.push(j);
  }
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([label, indices]) => ({ label, indices }));
}

/** Sorting keeps the examples' original relative order inside each part. */
function pick(data: Dataset, indices: number[]): Dataset {
  return subset(
    data,
    Int32Array.from(indices).sort((a, b) => a - b),
  );
}

/**
 * How many examples of each class go to the dev set: round(m·fraction) in total, shared by largest
 * remainder so every class is split in (almost) the same proportion, and at least one example of
 * every class left on each side.
 */
function devCounts(counts: number[], fraction: number): number[] {
  const m = counts.reduce((s, c) => s + c, 0);
  const exact = counts.map((c) => c * fraction);
  const out = exact.map(Math.floor);
  let extra = Math.round(m * fraction) - out.reduce((s, c) => s + c, 0);
  const byRemainder = exact
    .map((e, i) => ({ i, r: e - Math.floor(e) }))
    .sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (extra <= 0) break;
    out[i]++;
    extra--;
  }
  return out.map((d, i) => Math.min(Math.max(d, 1), counts[i] - 1));
}

/**
 * Splits `data` into a training and a dev set, stratified by class: each class is shuffled with
 * `rng` and `devFraction` of it (at least one example, never all) goes to dev.
 */
export function trainDevSplit(
  data: Dataset,
  devFraction: number,
  rng: RandomState,
): { train: Dataset; dev: Dataset } {
  if (!(devFraction > 0 && devFraction < 1)) {
    throw new RangeError(
      `dev fraction must be strictly between 0 and 1 (0.2 puts 20% of the examples in the dev set), got ${devFraction}`,
    );
  }
  const classes = indicesByClass(data);
  if (classes.length === 0) throw new RangeError("cannot split a dataset with no examples");
  for (const { label, indices } of classes) {
    if (indices.length < 2) {
      throw new RangeError(
        `cannot split: class ${label} has only 1 example, but each class needs at least 2 (one for training, one for dev)`,
      );
    }
  }
  const dev = devCounts(
    classes.map((c) => c.indices.length),
    devFraction,
  );
  const trainIdx: number[] = [];
  const devIdx: number[] = [];
  classes.forEach(({ indices }, i) => {
    const shuffled = rng.shuffle(indices.slice());
    devIdx.push(...shuffled.slice(0, dev[i]));
    trainIdx.push(...shuffled.slice(dev[i]));
  });
  return { train: pick(data, trainIdx), dev: pick(data, devIdx) };
}

/**
 * Stratified k-fold cross-validation: every example is in exactly one dev fold, and each fold holds
 * ⌊m_c/k⌋ or ⌈m_c/k⌉ examples of class c. Classes are dealt round-robin, continuing from fold to fold
 * across classes, so fold sizes also differ by at most one.
 */
export function kFold(data: Dataset, k: number, rng: RandomState): Array<{ train: Dataset; dev: Dataset }> {
  if (!Number.isInteger(k) || k < 2) {
    throw new RangeError(`number of folds k must be a whole number of at least 2, got ${k}`);
  }
  const classes = indicesByClass(data);
  if (classes.length === 0) throw new RangeError("cannot make folds from a dataset with no examples");
  for (const { label, indices } of classes) {
    if (indices.length < k) {
      throw new RangeError(
        `k = ${k} folds needs at least ${k} examples of every class, but class ${label} has only ${indices.length}; use k ≤ ${Math.min(...classes.map((c) => c.indices.length))}`,
      );
    }
  }
  const folds: number[][] = Array.from({ length: k }, () => []);
  let next = 0;
  for (const { indices } of classes) {
    for (const j of rng.shuffle(indices.slice())) {
      folds[next].push(j);
      next = (next + 1) % k;
    }
  }
  return folds.map((devIdx, f) => ({
    train: pick(
      data,
      folds.flatMap((idx, g) => (g === f ? [] : idx)),
    ),
    dev: pick(data, devIdx),
  }));
}
