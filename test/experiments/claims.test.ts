/**
 * The claim sentences are written from the numbers: hand-made runs that agree with the seed give
 * "held", the same runs with the numbers turned give "did not hold", and the sentence says so.
 */
import { describe, expect, it } from "vitest";
import {
  dropoutCostClaim,
  type NormRun,
  normAt,
  orthogonalizationClaim,
  overSmoothing,
  summedNorms,
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
    // Mid-sized, but 3.9 times L2's: the claim's second half fails, so it holds in part.
    expect(claims.map((c) => [c.id, c.held, c.partly ?? false])).toEqual([
      ["l2-shrinks", true, false],
      ["dropout-shrinks", true, false],
      ["early-stopping-mid", false, true],
    ]);
    expect(claims[0].sentence).toBe(
      "“L2” ends with Σ‖W‖² = 30, 4% of the unregularized model's 727: it shrank the weights, as the seed says.",
    );
    expect(claims[1].sentence).toContain("632, 87% of the unregularized model's 727");
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
