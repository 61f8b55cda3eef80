import { describe, expect, it } from "vitest";
import { crossEntropyFromLogits } from "../../src/core/losses.js";
import { RandomState } from "../../src/core/random.js";
import {
  argmaxColumns,
  softmaxColumns,
  softmaxCrossEntropy,
  softmaxOutputGradient,
} from "../../src/core/softmax.js";

const K = 4;
const m = 5;
const rng = new RandomState(11);
const Z = rng.randn(K * m).map((v) => 3 * v);
const y = Uint8Array.from([0, 3, 1, 2, 3]);

describe("softmax head", () => {
  it("gives columns that sum to 1 and survive huge logits", () => {
    const A = new Float64Array(K * m);
    softmaxColumns(Z, A, K, m);
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += A[k * m + j];
      expect(s).toBeCloseTo(1, 14);
    }
    const big = Float64Array.from([1000, -1000]);
    expect(softmaxCrossEntropy(big, [1], 2, 1)).toBe(2000);
    expect(softmaxCrossEntropy(big, [0], 2, 1)).toBe(0);
  });

  it("with two classes is the sigmoid's cross-entropy of z₁ − z₀", () => {
    const two = rng.randn(2 * m);
    const labels = Uint8Array.from([0, 1, 1, 0, 1]);
    const diff = Float64Array.from({ length: m }, (_, j) => two[m + j] - two[j]);
    expect(softmaxCrossEntropy(two, labels, 2, m)).toBeCloseTo(crossEntropyFromLogits(diff, labels, m), 14);
  });

  it("has the gradient a central difference finds (relative error < 1e-7)", () => {
    const dZ = new Float64Array(K * m);
    softmaxOutputGradient(dZ, Z, y, K, m);
    const h = 1e-5;
    let num2 = 0;
    let diff2 = 0;
    for (let i = 0; i < Z.length; i++) {
      const plus = Z.slice();
      const minus = Z.slice();
      plus[i] += h;
      minus[i] -= h;
      // The cost is a mean, the gradient is per example: numeric × m is what dZ holds.
      const numeric =
        ((softmaxCrossEntropy(plus, y, K, m) - softmaxCrossEntropy(minus, y, K, m)) / (2 * h)) * m;
      num2 += (numeric + dZ[i]) ** 2;
      diff2 += (numeric - dZ[i]) ** 2;
    }
    expect(Math.sqrt(diff2) / Math.sqrt(num2)).toBeLessThan(1e-7);
  });

  it("predicts the largest logit", () => {
    expect(Array.from(argmaxColumns(Float64Array.from([0, 5, 2, 1, 3, 0]), 3, 2))).toEqual([2, 0]);
  });
});
