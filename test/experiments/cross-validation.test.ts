import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RandomState } from "../../src/core/random.js";
import { type Dataset, fromExampleRows } from "../../src/data/dataset.js";
import {
  type CvModel,
  correctedResampledT,
  crossValidate,
  crossValidationLines,
  poolLabelled,
} from "../../src/experiments/cross-validation.js";

const ref = JSON.parse(
  readFileSync(new URL("../fixtures/power-reference.json", import.meta.url), "utf8"),
) as {
  correctedT: {
    differences: number[];
    folds: number;
    t: number;
    df: number;
    pValue: number;
    halfWidth95: number;
  };
};

/** Two noisy blobs in the plane: 30 examples, 18 of class 0 and 12 of class 1. */
function blobs(): Dataset {
  const rng = new RandomState(7);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let j = 0; j < 30; j++) {
    const c = j < 18 ? 0 : 1;
    rows.push([c * 1.5 + rng.gaussian(), c * 1.5 + rng.gaussian()]);
    labels.push(c);
  }
  return fromExampleRows(rows, labels);
}

const MODELS: CvModel[] = [
  { key: "none", name: "no regularization", overrides: {} },
  { key: "l2", name: "L2", overrides: { lambda: 5 } },
];
const BASE = { hidden: [4], iterations: 60, learningRate: 0.3 };

describe("correctedResampledT (Nadeau & Bengio) against scipy", () => {
  it("matches the fixture's t, p and interval", () => {
    const c = ref.correctedT;
    const got = correctedResampledT(c.differences, c.folds);
    expect(got.df).toBe(c.df);
    expect(got.t).toBeCloseTo(c.t, 12);
    expect(got.pValue).toBeCloseTo(c.pValue, 12);
    expect(got.halfWidth).toBeCloseTo(c.halfWidth95, 12);
  });
  it("is wider than the naive t-test's interval", () => {
    const d = ref.correctedT.differences;
    const naive = correctedResampledT(d, Number.POSITIVE_INFINITY);
    expect(correctedResampledT(d, 5).halfWidth).toBeGreaterThan(naive.halfWidth);
  });
});

describe("crossValidate on tiny data", () => {
  it("scores every model on every fold of every repeat, each example held out once per repeat", async () => {
    const data = blobs();
    const seen: string[] = [];
    const r = await crossValidate(data, {
      folds: 3,
      repeats: 2,
      models: MODELS,
      base: BASE,
      onFold: (a) =>
        seen.push(`fold ${a.fold} of ${a.folds}, repeat ${a.repeat} of ${a.repeats}, ${a.model.key}`),
    });
    expect(seen[0]).toBe("fold 1 of 3, repeat 1 of 2, none");
    expect(seen).toHaveLength(12);
    expect(r.examples).toBe(30);
    for (const m of r.models) {
      expect(m.folds).toHaveLength(6);
      for (const rep of [1, 2]) {
        const folds = m.folds.filter((f) => f.repeat === rep);
        expect(folds.reduce((s, f) => s + f.heldOut, 0)).toBe(30);
        for (const f of folds) expect(f.trainExamples + f.heldOut).toBe(30);
      }
      expect(m.low).toBeLessThanOrEqual(m.mean);
      expect(m.high).toBeGreaterThanOrEqual(m.mean);
      expect(m.mean).toBeGreaterThan(0.6); // the blobs are mostly separable
    }
    expect(r.pairs).toHaveLength(1);
    const p = r.pairs[0];
    const diffs = r.models[1].folds.map((f, i) => f.accuracy - r.models[0].folds[i].accuracy);
    expect(p.meanDifference).toBeCloseTo(diffs.reduce((s, v) => s + v, 0) / 6, 14);
    expect(p.df).toBe(5);
    expect(crossValidationLines(r)[0]).toMatch(
      /^Cross-validation \(not a test score\): 3-fold, 2 repeats, 30 labelled/,
    );
  });

  it("is deterministic, and other fold seeds give other folds", async () => {
    const data = blobs();
    const opts = { folds: 3, repeats: 1, models: MODELS.slice(0, 1), base: BASE };
    const a = await crossValidate(data, opts);
    const b = await crossValidate(data, opts);
    expect(b.models[0].folds).toEqual(a.models[0].folds);
    const c = await crossValidate(data, { ...opts, foldSeed: 1 });
    expect(c.models[0].folds.map((f) => f.accuracy)).not.toEqual(a.models[0].folds.map((f) => f.accuracy));
  });

  it("trains a layered (convolutional) model on images", async () => {
    const rng = new RandomState(1);
    const rows: number[][] = [];
    const labels: number[] = [];
    for (let j = 0; j < 12; j++) {
      const c = j % 2;
      // 4×4 grayscale: class 1 is bright on the left half.
      rows.push(Array.from({ length: 16 }, (_, i) => (c === 1 && i % 4 < 2 ? 1 : 0) + 0.1 * rng.gaussian()));
      labels.push(c);
    }
    const data = { ...fromExampleRows(rows, labels), shape: { height: 4, width: 4, channels: 1 } };
    const r = await crossValidate(data, {
      folds: 2,
      repeats: 1,
      models: [{ key: "cnn", name: "CNN", overrides: {}, layers: [{ type: "conv", filters: 2, size: 3 }] }],
      base: { iterations: 40, learningRate: 0.1 },
    });
    expect(r.models[0].folds).toHaveLength(2);
    expect(r.pairs).toEqual([]);
  });

  it("refuses folds the data cannot fill", async () => {
    await expect(
      crossValidate(blobs(), { folds: 13, repeats: 1, models: MODELS, base: BASE }),
    ).rejects.toThrow(/needs at least 13 examples of every class/);
  });
});

describe("poolLabelled", () => {
  it("puts the test examples after the training ones", () => {
    const train = fromExampleRows(
      [
        [1, 2],
        [3, 4],
      ],
      [0, 1],
    );
    const test = fromExampleRows([[5, 6]], [1]);
    const pooled = poolLabelled({ train, test, source: "t" });
    expect(Array.from(pooled.X.data)).toEqual([1, 3, 5, 2, 4, 6]);
    expect(Array.from(pooled.y)).toEqual([0, 1, 1]);
  });
});
