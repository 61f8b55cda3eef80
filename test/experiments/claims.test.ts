/**
 * The claim sentences are written from the numbers: hand-made runs that agree with the article give
 * "held", the same runs with the numbers turned give "did not hold", and the sentence says so.
 */
import { describe, expect, it } from "vitest";
import {
  ALPHA,
  type AugmentedScore,
  augmentationClaim,
  dropoutCostClaim,
  MIN_GAIN,
  type NormRun,
  normAt,
  orthogonalizationClaim,
  overSmoothing,
  SHRINK_RATIO,
  summedNorms,
  thresholdsText,
  weightNormClaims,
  wideLayerClaim,
} from "../../src/experiments/claims.js";
import { round3 } from "../../src/experiments/format.js";

const it10 = [0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000];
const run = (name: string, norms: number[], final = norms.at(-1)!, kept?: number): NormRun => ({
  name,
  iterations: it10,
  norms,
  final,
  ...(kept !== undefined && { kept }),
});
const growing = run("none", [25, 60, 120, 200, 300, 420, 520, 600, 680, 727]);
const shrinking = run("none", [727, 680, 600, 520, 420, 300, 200, 120, 60, 25]);

describe("weight-norm claims", () => {
  it("hold when L2 and dropout end smaller and early stopping keeps a mid-sized W", () => {
    const claims = weightNormClaims({
      none: growing,
      l2: run("L2", [25, 28, 30, 30, 30, 30, 30, 30, 30, 30]),
      dropout: run("dropout", [25, 50, 90, 150, 250, 350, 450, 550, 600, 632]),
      earlyStopping: run("ES", [25, 60, 120, 200, 300, 420], 117, 5300),
    });
    // Mid-sized, but 3.9 times L2's: the claim's second half fails, so it holds in part. Dropout
    // ends at 87% of the unregularized norm: smaller, but not the 20% drop a shrink needs.
    expect(claims.map((c) => [c.id, c.held, c.partly ?? false])).toEqual([
      ["l2-shrinks", true, false],
      ["dropout-shrinks", false, false],
      ["early-stopping-mid", false, true],
    ]);
    expect(claims[0].sentence).toBe(
      "“L2” ends with Σ‖W‖² = 30, 4% of the unregularized model's 727: it shrank the weights, as the article says.",
    );
    expect(claims[1].sentence).toBe(
      "“dropout” ends with Σ‖W‖² = 632, 87% of the unregularized model's 727: smaller, but by less than the 20% a shrink needs, so the claim does not hold here.",
    );
    expect(claims[2].sentence).toContain("from 25 at iteration 0 to 727 at the end of training");
    expect(claims[2].sentence).toContain(
      "iteration 5,300, Σ‖W‖² = 117, 16% of the unregularized model's: a mid-sized W",
    );
    expect(claims[2].sentence).toContain("L2's is 4%, so early stopping's is 3.9 times L2's, not close");
  });

  it("flip when the numbers do", () => {
    const claims = weightNormClaims({
      none: shrinking,
      l2: run("L2", [25, 900, 900, 900, 900, 900, 900, 900, 900, 900]),
      dropout: run("dropout", [25, 800, 800, 800, 800, 800, 800, 800, 800, 800]),
      earlyStopping: run("ES", [727, 680, 600, 520, 420, 300], 40, 5300),
    });
    expect(claims.map((c) => c.held)).toEqual([false, false, false]);
    expect(claims[0].sentence).toContain(
      "3600% of the unregularized model's 25: on this data it did not shrink",
    );
    expect(claims[2].sentence).toContain("it does not grow with iterations here");
    // Early stopping's W close to L2's: within a factor of 2.
    const close = weightNormClaims({
      none: growing,
      l2: run("L2", [25, 100]),
      earlyStopping: run("ES", [25, 60, 120, 200, 300, 420], 117, 5300),
    });
    expect(close[1].sentence).toContain("L2's is 14%, close to it");
    expect([close[1].held, close[1].partly]).toEqual([true, undefined]);
    // Early stopping that kept a larger W than the unregularized end.
    const larger = weightNormClaims({ none: growing, earlyStopping: run("ES", [25], 800, 5300) });
    expect(larger[0].held).toBe(false);
    expect(larger[0].sentence).toContain("Σ‖W‖² = 800, 110% of the unregularized model's: no smaller");
  });

  it("call a shrink only at the stated threshold: 80% of the unregularized norm holds, 81% and 95% do not", () => {
    expect(SHRINK_RATIO).toBe(0.8);
    const none = run("none", [25, 100]);
    const at = (final: number) => weightNormClaims({ none, l2: run("L2", [25, final]) })[0].held;
    expect([at(80), at(81), at(95), at(100), at(120)]).toEqual([true, false, false, false, false]);
  });

  it("sums layers and interpolates between recorded iterations", () => {
    expect(
      summedNorms([
        [1, 2],
        [3, 4],
      ]),
    ).toEqual([3, 7]);
    expect(normAt(growing, 5300)).toBeCloseTo(420 + 0.3 * 100, 12);
    expect(normAt(growing, 99_999)).toBe(727);
    expect(round3(0.9478672985781991)).toBe("0.948");
    expect(round3(-1.1347460600000001)).toBe("-1.13");
    expect(round3(12_345.6)).toBe("12,346");
  });
});

describe("over-smoothing", () => {
  const grid = (train: number[], dev: number[]) =>
    [0, 0.1, 0.3, 1, 3, 10].map((value, k) => ({ value, trainAccuracy: train[k], devAccuracy: dev[k] }));

  it("marks the region where train and dev accuracy both fall past the best λ", () => {
    const r = overSmoothing(grid([0.96, 0.95, 0.94, 0.93, 0.9, 0.8], [0.9, 0.91, 0.925, 0.92, 0.89, 0.8]));
    expect(r.held).toBe(true);
    expect(r.from).toBe(3);
    expect(r.sentence).toContain("dev accuracy peaks at λ = 0.3 (92.5%)");
    expect(r.sentence).toContain(
      "From λ = 3 train and dev accuracy both fall (train 94.0% → 90.0%, dev 92.5% → 89.0%): high bias",
    );
    expect(r.sentence).toContain("a gap of 6.0 points: variance");
  });

  it("says there is none when train accuracy holds up", () => {
    const r = overSmoothing(grid([0.96, 0.95, 0.94, 0.94, 0.94, 0.94], [0.9, 0.91, 0.925, 0.92, 0.89, 0.8]));
    expect(r.held).toBe(false);
    expect(r.from).toBeUndefined();
    expect(r.sentence).toContain("Up to λ = 10 train and dev accuracy never both fall");
  });
});

describe("wide layer and keepProb", () => {
  const points = (devs: number[]) =>
    [
      [0.5, 1],
      [0.7, 1],
      [0.86, 1],
      [0.86, 0.86],
      [1, 0.7],
    ].map((keepProb, k) => ({ keepProb, devAccuracy: devs[k] }));

  it("held when the best setting drops more in the 20-unit layer", () => {
    const c = wideLayerClaim(points([0.9, 0.93, 0.92, 0.91, 0.88]), [20, 3]);
    expect(c.held).toBe(true);
    expect(c.sentence).toContain("keepProb 0.7:1 (dev 93.0%)");
    expect(c.sentence).toContain("the wide layer wanted the lower keepProb");
  });

  it("not held when the best keeps the wide layer whole or treats both alike", () => {
    expect(wideLayerClaim(points([0.9, 0.9, 0.9, 0.9, 0.95]), [20, 3]).held).toBe(false);
    const same = wideLayerClaim(points([0.9, 0.9, 0.9, 0.95, 0.9]), [20, 3]);
    expect(same.held).toBe(false);
    expect(same.sentence).toContain("did not want a lower keepProb");
    expect(wideLayerClaim([{ keepProb: [0.8, 0.8], devAccuracy: 0.9 }], [20, 3]).held).toBeUndefined();
  });
});

describe("the check and orthogonalization claims", () => {
  it("the dropout cost claim counts rises", () => {
    expect(dropoutCostClaim("d", [1, 0.8, 0.9, 0.7], "reglab check").sentence).toContain(
      "rises at 1 of its 3 recorded steps",
    );
    const steady = dropoutCostClaim("d", [1, 0.8, 0.7], "reglab check");
    expect(steady.held).toBe(false);
    expect(steady.sentence).toContain("never rose");
    // With mini-batches the unregularized cost wanders too: dropout must rise more often than it.
    const noisy = [1, 0.8, 0.9, 0.7, 0.75, 0.6];
    const asNoisy = dropoutCostClaim("d", noisy, "reglab check", [1, 0.9, 0.95, 0.8, 0.85, 0.7]);
    expect(asNoisy.held).toBe(false);
    expect(asNoisy.sentence).toContain("no more often than no regularization's (2)");
    expect(dropoutCostClaim("d", noisy, "reglab check", [1, 0.9, 0.8, 0.7, 0.6, 0.5]).held).toBe(true);
  });

  it("L2 to the end against early stopping turns with McNemar", () => {
    const n = 100;
    const mk = (right: (j: number) => boolean) =>
      Uint8Array.from({ length: n }, (_, j) => (right(j) ? 1 : 0));
    const l2 = { name: "L2, trained to the end", testAccuracy: 0.9, testCorrect: mk((j) => j < 90) };
    const esClose = {
      name: "early stopping",
      testAccuracy: 0.92,
      testCorrect: mk((j) => j < 88 || (j >= 90 && j < 94)),
    };
    const tie = orthogonalizationClaim(l2, esClose);
    expect(tie.held).toBe(true);
    expect(tie.sentence).toContain("no significant difference at 5%, though “early stopping” is ahead");
    const esFar = { name: "early stopping", testAccuracy: 0.9, testCorrect: mk((j) => j >= 10) };
    const l2Bad = { ...l2, testAccuracy: 0.7, testCorrect: mk((j) => j < 70) };
    const lost = orthogonalizationClaim(l2Bad, esFar);
    expect(lost.held).toBe(false);
    expect(lost.sentence).toContain("“early stopping” wins significantly");
    const won = orthogonalizationClaim({ ...esFar, name: "L2" }, { ...l2Bad, name: "ES" });
    expect(won.held).toBe(true);
    expect(won.sentence).toContain("“L2” wins significantly");
  });
});

describe("the augmentation claim", () => {
  const none = { name: "no regularization", testAccuracy: 0.9 };
  const score = (name: string, acc: number, adjusted: number): AugmentedScore => ({
    name,
    testAccuracy: acc,
    onlyThis: 60,
    onlyNone: 20,
    pValue: adjusted / 3,
    adjusted,
  });

  it("holds when every augmented model is at least 1 point better with Holm p < 0.05", () => {
    expect([MIN_GAIN, ALPHA]).toEqual([0.01, 0.05]);
    const c = augmentationClaim(none, [score("flip", 0.93, 0.001), score("crop", 0.91, 0.049)]);
    expect([c.id, c.held, c.partly]).toEqual(["augmentation", true, undefined]);
    expect(c.quote).toBe("by synthesizing images like this you are making the training more generalized");
    expect(c.sentence).toBe(
      "Against “no regularization” at 90.0% on the test set: “flip” 93.0% (+3.0 points; 60 vs 20 test images only one of the two got right, McNemar p = 3.3e-4, Holm 0.001): better; " +
        "“crop” 91.0% (+1.0 points; 60 vs 20 test images only one of the two got right, McNemar p = 0.016, Holm 0.049): better. " +
        "All 2 augmented models generalize significantly better, as the article says.",
    );
  });

  it("holds in part when some do; not at all for a small or an insignificant gain", () => {
    const part = augmentationClaim(none, [score("flip", 0.93, 0.001), score("crop", 0.905, 0.001)]);
    expect([part.held, part.partly]).toEqual([false, true]);
    expect(part.sentence).toContain("“crop” 90.5% (+0.5 points;");
    expect(part.sentence).toContain("): not 1 point better.");
    expect(part.sentence).toContain("1 of the 2 augmented models generalize significantly better");
    const none2 = augmentationClaim(none, [score("flip", 0.95, 0.06), score("crop", 0.88, 0.001)]);
    expect([none2.held, none2.partly]).toEqual([false, undefined]);
    expect(none2.sentence).toContain("“flip” 95.0% (+5.0 points;");
    expect(none2.sentence).toContain("): better, but not significantly;");
    expect(none2.sentence).toContain("“crop” 88.0% (−2.0 points;");
    expect(none2.sentence).toMatch(/No augmented model generalizes significantly better here\.$/);
    // The same accuracy is "the same", never "−0.0".
    expect(augmentationClaim(none, [score("flip", 0.9000001, 1)]).sentence).toContain("(the same;");
    expect(augmentationClaim(none, []).held).toBeUndefined();
  });

  it("the thresholds the report states are the ones the verdicts use", () => {
    const t = thresholdsText();
    expect(t).toContain("at most 80% of the unregularized model's");
    expect(t).toContain(
      "by at least 1 point and McNemar's test, Holm-corrected over all the pairs, gives p < 0.05",
    );
  });
});
