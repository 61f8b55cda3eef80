import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sigmoidHead, softmaxHead } from "../../src/core/heads.js";
import { softmaxCrossEntropy } from "../../src/core/softmax.js";

// Written by scripts/fixtures/cross_entropy.py: exact losses (mpmath) from logits of magnitude
// 1e-3 to 1e4, confident and not, right and wrong, single examples and batches of 7.
interface SoftmaxCase {
  K: number;
  m: number;
  Z: number[];
  y: number[];
  loss: number;
}
interface SigmoidCase {
  m: number;
  z: number[];
  y: number[];
  loss: number;
}
const fixture: { softmax: SoftmaxCase[]; sigmoid: SigmoidCase[] } = JSON.parse(
  readFileSync(new URL("../fixtures/cross-entropy.json", import.meta.url), "utf8"),
);

const SMALLEST_NORMAL = 2.2250738585072014e-308;

/** The worst relative error over the cases (where the exact loss is a normal double; below, an absolute one). */
function worstError(cases: { loss: number }[], cost: (i: number) => number): number {
  let worst = 0;
  cases.forEach((c, i) => {
    const got = cost(i);
    const err =
      Math.abs(c.loss) >= SMALLEST_NORMAL
        ? Math.abs(got - c.loss) / c.loss
        : Math.abs(got - c.loss) / SMALLEST_NORMAL;
    if (!(err <= worst)) worst = err;
  });
  return worst;
}

describe("cross-entropy from the logits, against exact values", () => {
  it("softmax: to 1e-10 relative, confident predictions included", () => {
    const { softmax } = fixture;
    expect(softmax.length).toBeGreaterThan(800);
    const worst = worstError(softmax, (i) => {
      const c = softmax[i];
      return softmaxHead.cost(Float64Array.from(c.Z), Uint8Array.from(c.y), c.m, c.K);
    });
    expect(worst).toBeLessThan(1e-10);
  });

  it("softmax: the issue's example, [1000, 977, 980] labelled 0", () => {
    const exact = 2.163772416414621e-9;
    const got = softmaxCrossEntropy(Float64Array.of(1000, 977, 980), [0], 3, 1);
    expect(Math.abs(got - exact) / exact).toBeLessThan(1e-10);
  });

  it("sigmoid (binary cross-entropy from the pre-activation): to 1e-10 relative", () => {
    const { sigmoid } = fixture;
    expect(sigmoid.length).toBeGreaterThan(800);
    const worst = worstError(sigmoid, (i) => {
      const c = sigmoid[i];
      return sigmoidHead.cost(Float64Array.from(c.z), Uint8Array.from(c.y), c.m, 1);
    });
    expect(worst).toBeLessThan(1e-10);
  });
});
