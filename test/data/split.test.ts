import { describe, expect, it } from "vitest";
import { matrix } from "../../src/core/matrix.js";
import { RandomState } from "../../src/core/random.js";
import type { Dataset } from "../../src/data/dataset.js";
import { kFold, trainDevSplit } from "../../src/data/split.js";

/** m examples whose first feature is the example's index, so parts can be traced back. */
function indexed(labels: number[]): Dataset {
  const m = labels.length;
  const X = matrix(2, m);
  for (let j = 0; j < m; j++) {
    X.data[j] = j;
    X.data[m + j] = -j;
  }
  return { X, y: Uint8Array.from(labels) };
}

function ids(d: Dataset): number[] {
  return Array.from(d.X.data.subarray(0, d.X.cols));
}

function count(d: Dataset, label: number): number {
  return d.y.filter((v) => v === label).length;
}

/** 70 of class 0 then 30 of class 1, interleaved a little. */
const labels = Array.from({ length: 100 }, (_, j) => (j % 10 < 3 ? 1 : 0));
const data = indexed(labels);

describe("trainDevSplit", () => {
  it("splits each class in the same proportion with no overlap and nothing lost", () => {
    const { train, dev } = trainDevSplit(data, 0.2, new RandomState(0));
    expect(dev.X.cols).toBe(20);
    expect(count(dev, 1)).toBe(6);
    expect(count(dev, 0)).toBe(14);
    const all = [...ids(train), ...ids(dev)].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 100 }, (_, j) => j));
    // Features and labels travel together.
    for (const part of [train, dev]) {
      ids(part).forEach((j, c) => {
        expect(part.y[c]).toBe(labels[j]);
        expect(part.X.data[part.X.cols + c]).toBe(-j);
      });
    }
  });

  it("is deterministic for a seed, varies between seeds, keeps original order", () => {
    const a = trainDevSplit(data, 0.3, new RandomState(4));
    const b = trainDevSplit(data, 0.3, new RandomState(4));
    const c = trainDevSplit(data, 0.3, new RandomState(5));
    expect(ids(a.dev)).toEqual(ids(b.dev));
    expect(ids(a.dev)).not.toEqual(ids(c.dev));
    expect(ids(a.train)).toEqual([...ids(a.train)].sort((x, y) => x - y));
  });

  it("leaves at least one example of every class on each side", () => {
    const small = indexed([0, 0, 0, 0, 0, 0, 1, 1]);
    for (const f of [0.01, 0.5, 0.99]) {
      const { train, dev } = trainDevSplit(small, f, new RandomState(1));
      for (const part of [train, dev]) {
        expect(count(part, 0)).toBeGreaterThan(0);
        expect(count(part, 1)).toBeGreaterThan(0);
      }
    }
  });

  it("rejects bad fractions and classes too small to split", () => {
    const rng = new RandomState(0);
    for (const f of [0, 1, -0.2, 1.5, Number.NaN]) {
      expect(() => trainDevSplit(data, f, rng)).toThrow(RangeError);
    }
    expect(() => trainDevSplit(data, 1, rng)).toThrow("strictly between 0 and 1");
    expect(() => trainDevSplit(indexed([0, 0, 0, 1]), 0.5, rng)).toThrow("class 1 has only 1 example");
    expect(() => trainDevSplit(indexed([]), 0.5, rng)).toThrow("no examples");
  });
});

describe("kFold", () => {
  it("puts every example in exactly one dev fold, balanced within ±1 per class", () => {
    const folds = kFold(data, 7, new RandomState(2));
    expect(folds).toHaveLength(7);
    const seen = new Map<number, number>();
    for (const { train, dev } of folds) {
      for (const j of ids(dev)) seen.set(j, (seen.get(j) ?? 0) + 1);
      // 70 / 7 = 10 of class 0; 30 / 7 ≈ 4.3 of class 1.
      expect(count(dev, 0)).toBe(10);
      expect(count(dev, 1)).toBeGreaterThanOrEqual(4);
      expect(count(dev, 1)).toBeLessThanOrEqual(5);
      expect(dev.X.cols).toBeGreaterThanOrEqual(14);
      expect(dev.X.cols).toBeLessThanOrEqual(15);
      // Train is exactly the complement of dev.
      const devSet = new Set(ids(dev));
      expect(ids(train).some((j) => devSet.has(j))).toBe(false);
      expect(train.X.cols + dev.X.cols).toBe(100);
    }
    expect(seen.size).toBe(100);
    expect([...seen.values()].every((v) => v === 1)).toBe(true);
  });

  it("is deterministic for a seed", () => {
    const a = kFold(data, 5, new RandomState(9)).map((f) => ids(f.dev));
    const b = kFold(data, 5, new RandomState(9)).map((f) => ids(f.dev));
    const c = kFold(data, 5, new RandomState(10)).map((f) => ids(f.dev));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("rejects k below 2, fractional k and k above the smallest class", () => {
    const rng = new RandomState(0);
    expect(() => kFold(data, 1, rng)).toThrow("at least 2, got 1");
    expect(() => kFold(data, 2.5, rng)).toThrow(RangeError);
    expect(() => kFold(data, 31, rng)).toThrow("class 1 has only 30; use k ≤ 30");
    expect(kFold(data, 30, rng)).toHaveLength(30);
  });
});
