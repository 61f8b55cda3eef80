import { describe, expect, it } from "vitest";
import { matrix } from "../../src/core/matrix.js";
import { RandomState } from "../../src/core/random.js";
import { DataError, type Dataset } from "../../src/data/dataset.js";
import { subsample } from "../../src/data/subsample.js";

/** 97 examples of class 1 and 3 of class 0: a small draw usually misses class 0. */
function lopsided(): Dataset {
  const m = 100;
  const X = matrix(1, m);
  const y = Uint8Array.from({ length: m }, (_, j) => (j < 3 ? 0 : 1));
  for (let j = 0; j < m; j++) X.data[j] = j;
  return { X, y };
}

/** The first subset seed whose draw of n examples leaves class 0 out. */
function seedThatLosesClass0(n: number): number {
  for (let seed = 0; ; seed++) {
    const part = subsample(lopsided(), n, new RandomState(seed), "f.csv", "the training set");
    if (!part.y.includes(0)) return seed;
  }
}

describe("subsample keeping classes", () => {
  it("blames the draw, not the labels, when a draw loses a class", () => {
    const seed = seedThatLosesClass0(10);
    const draw = () => subsample(lopsided(), 10, new RandomState(seed), "f.csv", "the training set", true);
    expect(draw).toThrow(DataError);
    expect(draw).toThrow(
      "10 examples drawn from the training set hold no example of class 0; take more (--train-size) or another draw (--subset-seed)",
    );
    expect(draw).not.toThrow(/count from 1/);
  });

  it("lets a draw that keeps every class through, the same examples as without the check", () => {
    const n = 90;
    const plain = subsample(lopsided(), n, new RandomState(5), "f.csv", "the training set");
    expect(plain.y.includes(0)).toBe(true);
    const kept = subsample(lopsided(), n, new RandomState(5), "f.csv", "the training set", true);
    expect(Array.from(kept.X.data)).toEqual(Array.from(plain.X.data));
  });
});
