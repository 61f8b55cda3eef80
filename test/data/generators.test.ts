import { describe, expect, it } from "vitest";
import { type DataBundle, DataError, type Dataset, validateDataset } from "../../src/data/dataset.js";
import { DATASET_NAMES, DATASETS, football, generateDataset } from "../../src/data/generators.js";

function ones(d: Dataset): number {
  return d.y.reduce((s, v) => s + v, 0);
}

function allX(b: DataBundle): number[] {
  return [...b.train.X.data, ...(b.test?.X.data ?? [])];
}

describe("dataset generators", () => {
  for (const name of DATASET_NAMES) {
    describe(name, () => {
      it("is deterministic per seed and differs between seeds", () => {
        const a = generateDataset(name, { seed: 5 });
        const b = generateDataset(name, { seed: 5 });
        const c = generateDataset(name, { seed: 6 });
        expect(b).toEqual(a);
        expect(allX(c)).not.toEqual(allX(a));
      });

      it("has 2 features, the requested sizes and both classes on each side", () => {
        const b = generateDataset(name, { n: 101, testFraction: 0.2 });
        expect(b.synthetic).toBe(true);
        expect(b.train.X.rows).toBe(2);
        expect(b.test?.X.rows).toBe(2);
        expect(b.train.X.cols + (b.test?.X.cols ?? 0)).toBe(101);
        expect(b.test?.X.cols).toBe(20);
        validateDataset(b.train, name, "train");
        validateDataset(b.test!, name, "test");
        // Classes are ⌈n/2⌉ and ⌊n/2⌋ overall.
        expect(ones(b.train) + ones(b.test!)).toBe(51);
      });

      it("gives no test set for testFraction 0 and survives the smallest n", () => {
        const b = generateDataset(name, { n: 4, testFraction: 0 });
        expect(b.test).toBeUndefined();
        expect(b.train.X.cols).toBe(4);
        const tiny = generateDataset(name, { n: 4, testFraction: 0.5 });
        validateDataset(tiny.train, name);
        validateDataset(tiny.test!, name);
      });

      it("works with zero noise", () => {
        const b = generateDataset(name, { noise: 0, n: 40 });
        validateDataset(b.train, name);
      });
    });
  }

  describe("football stand-in", () => {
    const b = football();

    it("has 211 train and 200 test points like football.mat, labelled synthetic", () => {
      expect(b.train.X.cols).toBe(211);
      expect(b.test?.X.cols).toBe(200);
      expect(b.source).toBe("football (synthetic stand-in)");
      expect(b.synthetic).toBe(true);
    });

    it("keeps positions inside the pitch box and label 1 mostly above y = x + 0.125", () => {
      for (const d of [b.train, b.test!]) {
        const m = d.X.cols;
        let agree = 0;
        for (let j = 0; j < m; j++) {
          const x = d.X.data[j];
          const y = d.X.data[m + j];
          expect(x).toBeGreaterThanOrEqual(-0.75);
          expect(x).toBeLessThanOrEqual(0.4);
          expect(y).toBeGreaterThanOrEqual(-0.75);
          expect(y).toBeLessThanOrEqual(0.65);
          if ((y > x + 0.125 ? 1 : 0) === d.y[j]) agree++;
        }
        expect(agree / m).toBeGreaterThanOrEqual(0.8);
        // Noisy: some points sit on the wrong side, which is what an unregularized net overfits.
        expect(agree / m).toBeLessThan(0.99);
      }
    });
  });

  describe("registry and option checks", () => {
    it("describes every dataset", () => {
      for (const name of DATASET_NAMES) expect(DATASETS[name].description.length).toBeGreaterThan(10);
    });

    it("rejects unknown names, listing the choices", () => {
      expect(() => generateDataset("mooons")).toThrow(DataError);
      expect(() => generateDataset("mooons")).toThrow(
        "unknown dataset 'mooons' (choose one of: football, moons, circles, xor, spiral, gaussians, flower)",
      );
      expect(() => generateDataset("toString")).toThrow(/unknown dataset 'toString'/);
    });

    it.each([
      [{ n: 3 }, /n \(number of points\) must be a whole number from 4/],
      [{ n: 10.5 }, /got 10.5/],
      [{ n: Number.NaN }, /got NaN/],
      [{ noise: -0.1 }, /noise must be a finite number ≥ 0, got -0.1/],
      [{ noise: Number.POSITIVE_INFINITY }, /noise must be/],
      [{ testFraction: 1 }, /testFraction must be at least 0 and less than 1, got 1/],
      [{ testFraction: -0.1 }, /testFraction/],
      [{ seed: -1 }, /seed must be a whole number/],
      [{ seed: 2 ** 32 }, /seed must be a whole number/],
    ])("rejects %o", (options, message) => {
      expect(() => generateDataset("moons", options)).toThrow(DataError);
      expect(() => generateDataset("moons", options)).toThrow(message);
    });

    it("treats undefined options as defaults", () => {
      expect(generateDataset("xor", { n: undefined, seed: undefined })).toEqual(generateDataset("xor"));
    });
  });
});
