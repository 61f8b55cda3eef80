import { describe, expect, it } from "vitest";
import { headFor, outputUnits, sigmoidHead, softmaxHead } from "../../src/core/heads.js";
import { jsKernels } from "../../src/core/kernels.js";
import { Network } from "../../src/core/network.js";
import { RandomState } from "../../src/core/random.js";
import type { Dataset } from "../../src/data/dataset.js";
import { gradientCheck } from "../../src/training/gradient-check.js";
import { fit } from "../../src/training/train.js";

/** Three Gaussian blobs in the plane, labels 0, 1, 2. */
function blobs(n: number, seed: number): Dataset {
  const rng = new RandomState(seed);
  const centres = [
    [0, 1.2],
    [-1.1, -0.7],
    [1.1, -0.7],
  ];
  const m = 3 * n;
  const X = new Float64Array(2 * m);
  const y = new Uint8Array(m);
  for (let j = 0; j < m; j++) {
    const c = j % 3;
    X[j] = centres[c][0] + 0.45 * rng.gaussian();
    X[m + j] = centres[c][1] + 0.45 * rng.gaussian();
    y[j] = c;
  }
  return { X: { rows: 2, cols: m, data: X }, y };
}

describe("output heads", () => {
  it("a softmax's cost is logΣe^z − z_y, computed without overflow", () => {
    // Two examples, three classes, row-major K × m.
    const Z = Float64Array.from([1, 1000, 2, -1000, 3, 0]);
    const y = [2, 0];
    const direct0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3;
    const direct1 = 1000 + Math.log1p(Math.exp(-2000) + Math.exp(-1000)) - 1000;
    expect(softmaxHead.cost(Z, y, 2, 3)).toBeCloseTo((direct0 + direct1) / 2, 14);
    const p = softmaxHead.probabilities(Z.slice(), 2, 3);
    expect(p[0] + p[2] + p[4]).toBeCloseTo(1, 15);
    expect(p[1]).toBe(1);
    expect(Array.from(softmaxHead.predict(Float64Array.from([1, 1000, 2, -1000, 3, 0]), 2, 3))).toEqual([
      2, 0,
    ]);
  });

  it("its gradient is softmax − onehot, and the cost bound holds: bound ≤ cost ≤ bound + ln K", () => {
    const rng = new RandomState(4);
    const m = 7;
    const K = 4;
    const Z = rng.randn(K * m).map((v) => 3 * v);
    const y = Float64Array.from({ length: m }, (_, j) => j % K);
    const dZ = new Float64Array(K * m);
    softmaxHead.gradient(dZ, Z, y, m, K, jsKernels);
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += dZ[k * m + j];
      expect(Math.abs(s)).toBeLessThan(1e-15); // probabilities sum to 1, minus the one-hot 1
      expect(dZ[y[j] * m + j]).toBeLessThan(0);
    }
    const cost = softmaxHead.cost(Z, y, m, K);
    const { bound, finite } = softmaxHead.bound(Z, y, m, K);
    expect(finite).toBe(true);
    expect(bound).toBeLessThanOrEqual(cost);
    expect(cost).toBeLessThanOrEqual(bound + Math.log(K));
  });

  it("two classes keep the sigmoid; three or more get a softmax", () => {
    expect(outputUnits([0, 1, 1, 0])).toBe(1);
    expect(outputUnits([0, 2, 1])).toBe(3);
    expect(headFor(1)).toBe(sigmoidHead);
    expect(headFor(3)).toBe(softmaxHead);
    expect(new Network([2, 4, 3]).head.name).toBe("softmax");
  });

  it("softmax backpropagation passes the gradient check, with L2 and dropout too", () => {
    const data = blobs(8, 1);
    for (const [activation, lambda, keepProb] of [
      ["relu", 0, 1],
      ["tanh", 0.7, 1],
      ["tanh", 0.3, 0.8],
    ] as const) {
      const net = Network.initialize([2, 6, 5, 3], new RandomState(2), { activation });
      const r = gradientCheck(net, data, { lambda, keepProb });
      expect(r.relativeDifference).toBeLessThan(1e-7);
    }
  });

  it("trains a three-class problem to high accuracy through fit()", async () => {
    const train = blobs(60, 3);
    const test = blobs(60, 9);
    const r = await fit(train, { hidden: [16], iterations: 2000, learningRate: 0.5, costEvery: 500 });
    expect(r.network.outputs).toBe(3);
    expect(r.history.costs[0]).toBeCloseTo(Math.log(3), 0);
    expect(r.history.costs.at(-1)).toBeLessThan(0.3);
    const predicted = r.network.predict(test.X);
    const right = predicted.filter((c, j) => c === test.y[j]).length;
    expect(right / test.y.length).toBeGreaterThan(0.9);
  });
});
