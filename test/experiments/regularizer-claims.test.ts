import { describe, expect, it } from "vitest";
import type { Confidences } from "../../src/experiments/calibration.js";
import {
  adamwClaim,
  bootstrapEcePValue,
  type LearningRatePoint,
  l1SparsityClaim,
  labelSmoothingCalibrationClaim,
  maxNormLearningRateClaim,
} from "../../src/experiments/regularizer-claims.js";

const bits = (s: string) => Uint8Array.from(s, (c) => Number(c));

describe("l1SparsityClaim", () => {
  it("holds at 10 % zeros and more than without L1, naming each layer's count", () => {
    const c = l1SparsityClaim(
      { name: "L1, λ = 0.01", zeros: [30, 1], sizes: [200, 20] },
      { name: "none", zeros: [0, 0], sizes: [200, 20] },
    );
    expect(c.held).toBe(true);
    expect(c.sentence).toContain(
      "31 of its 220 weights exactly 0 (14.1%: layer 1 30 of 200, layer 2 1 of 20)",
    );
    expect(c.sentence).toContain("“none” has 0 of 220");
  });

  it("fails below the threshold or without more zeros than the baseline", () => {
    expect(l1SparsityClaim({ name: "L1", zeros: [21], sizes: [220] }).held).toBe(false);
    expect(l1SparsityClaim({ name: "L1", zeros: [22], sizes: [220] }).held).toBe(true);
    const same = l1SparsityClaim(
      { name: "L1", zeros: [50], sizes: [100] },
      { name: "none", zeros: [50], sizes: [100] },
    );
    expect(same.held).toBe(false);
    expect(same.sentence).toContain("no more zeros");
  });
});

describe("maxNormLearningRateClaim", () => {
  const p = (
    learningRate: number,
    maxNorm: boolean,
    accuracy?: number,
    correct?: Uint8Array,
  ): LearningRatePoint => ({
    learningRate,
    maxNorm,
    diverged: accuracy === undefined,
    ...(accuracy !== undefined && { accuracy }),
    ...(correct && { correct }),
  });

  it("holds when dropout alone diverges at max-norm's largest tolerated α", () => {
    const c = maxNormLearningRateClaim([
      p(0.1, true, 0.9),
      p(1, true, 0.88),
      p(0.1, false, 0.9),
      p(1, false),
    ]);
    expect(c.held).toBe(true);
    expect(c.sentence).toContain(
      "With max-norm the largest α within 5 points of the best (90.0%) is α = 1, without it α = 0.1 (10 times larger); at α = 1 dropout alone diverged",
    );
  });

  it("needs McNemar's test when dropout alone trained but badly, and fails on equal reach", () => {
    const good = bits("1".repeat(40) + "0".repeat(10));
    const bad = bits("1".repeat(10) + "0".repeat(40));
    const c = maxNormLearningRateClaim([
      p(0.1, true, 0.8),
      p(1, true, 0.8, good),
      p(0.1, false, 0.8),
      p(1, false, 0.2, bad),
    ]);
    expect(c.held).toBe(true);
    expect(c.sentence).toMatch(/McNemar p = /);
    const close = bits("1".repeat(38) + "0".repeat(12));
    // 0.76 is within 5 points of 0.8: dropout alone reaches α = 1 too.
    const tie = maxNormLearningRateClaim([
      p(0.1, true, 0.8),
      p(1, true, 0.8, good),
      p(0.1, false, 0.8),
      p(1, false, 0.76, close),
    ]);
    expect(tie.held).toBe(false);
    expect(tie.sentence).toContain("no larger learning rate");
  });

  it("says nothing from one α, and fails when max-norm tolerates nothing", () => {
    expect(maxNormLearningRateClaim([p(0.1, true, 0.9), p(0.1, false, 0.9)]).held).toBeUndefined();
    expect(maxNormLearningRateClaim([p(0.1, true), p(1, true), p(0.1, false, 0.9), p(1, false)]).held).toBe(
      false,
    );
  });
});

/** Confidences of n examples: all at `conf`, the first `right` correct. */
function conf(n: number, c: number, right: number): Confidences {
  return {
    confidence: new Float64Array(n).fill(c),
    correct: Uint8Array.from({ length: n }, (_, j) => (j < right ? 1 : 0)),
  };
}

describe("labelSmoothingCalibrationClaim", () => {
  it("holds when ECE falls by at least 0.01, significantly", () => {
    // Both right on 80 of 100; plain says 0.99 (ECE 0.19), smoothed 0.82 (ECE 0.02).
    const c = labelSmoothingCalibrationClaim(
      { name: "none", confidences: conf(100, 0.99, 80) },
      { name: "label smoothing 0.1", confidences: conf(100, 0.82, 80) },
    );
    expect(c.held).toBe(true);
    expect(c.sentence).toContain("“none” has ECE 0.19");
    expect(c.sentence).toContain("overconfident");
  });

  it("fails when smoothing leaves calibration as it was or worse", () => {
    const same = labelSmoothingCalibrationClaim(
      { name: "none", confidences: conf(100, 0.85, 80) },
      { name: "ls", confidences: conf(100, 0.855, 80) },
    );
    expect(same.held).toBe(false);
    expect(same.sentence).toContain("did not improve calibration");
  });

  it("bootstrap p: small for a clear gain, large for none, never 0", () => {
    const p1 = bootstrapEcePValue(conf(200, 0.99, 160), conf(200, 0.8, 160), 200);
    expect(p1).toBeCloseTo(1 / 201, 12);
    const p2 = bootstrapEcePValue(conf(200, 0.8, 160), conf(200, 0.99, 160), 200);
    expect(p2).toBe(1);
  });
});

describe("adamwClaim", () => {
  const n = 200;
  const run = (name: string, wrong: number[]) => {
    const c = new Uint8Array(n).fill(1);
    for (const j of wrong) c[j] = 0;
    return { name, testAccuracy: (n - wrong.length) / n, testCorrect: c };
  };
  const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

  it("holds only when AdamW wins by McNemar's test", () => {
    const l2 = run("Adam + L2", range(0, 40));
    expect(adamwClaim(l2, run("AdamW", range(0, 5))).held).toBe(true);
    const tie = adamwClaim(l2, run("AdamW", range(0, 38)));
    expect(tie.held).toBe(false);
    expect(tie.sentence).toContain("no significant difference, though “AdamW” is ahead");
    const lose = adamwClaim(run("Adam + L2", range(0, 5)), run("AdamW", range(0, 40)));
    expect(lose.held).toBe(false);
    expect(lose.sentence).toContain("“Adam + L2” wins significantly");
  });
});

describe("maxNormLearningRateClaim when dropout alone reaches further", () => {
  it("says each arm's reach", () => {
    const pt = (learningRate: number, maxNorm: boolean, accuracy: number) => ({
      learningRate,
      maxNorm,
      accuracy,
      diverged: false,
    });
    const c = maxNormLearningRateClaim([
      pt(0.01, true, 0.9),
      pt(0.03, true, 0.75),
      pt(0.01, false, 0.88),
      pt(0.03, false, 0.876),
    ]);
    expect(c.held).toBe(false);
    expect(c.sentence).toContain(
      "with max-norm the largest α within 5 points of the best (90.0%) is α = 0.01, without it α = 0.03, so max-norm bought no larger learning rate",
    );
  });
});
