import { describe, expect, it } from "vitest";
import type { Activation } from "../../src/core/activations.js";
import { Network } from "../../src/core/network.js";
import { RandomState } from "../../src/core/random.js";
import { subset } from "../../src/data/dataset.js";
import { generateDataset } from "../../src/data/generators.js";
import { gradientCheck } from "../../src/training/gradient-check.js";

// Small batches keep the check quick; smooth activations and ReLU both have to pass.
const moons = generateDataset("moons", { n: 60, seed: 5, testFraction: 0 }).train;
const three = (() => {
  const rng = new RandomState(8);
  const m = 40;
  const X = rng.uniform(-1, 1, 3 * m);
  const y = new Uint8Array(m).map((_, j) => (X[j] + X[m + j] - X[2 * m + j] > 0 ? 1 : 0));
  return { X: { rows: 3, cols: m, data: X }, y };
})();

const cases: Array<{
  sizes: number[];
  act: Activation;
  lambda?: number;
  keepProb?: number | number[];
  data: typeof moons;
}> = [
  { sizes: [2, 5, 1], act: "tanh", data: moons },
  { sizes: [2, 20, 3, 1], act: "relu", data: moons },
  { sizes: [2, 20, 3, 1], act: "relu", lambda: 0.7, data: moons },
  { sizes: [2, 20, 3, 1], act: "relu", keepProb: 0.86, data: moons },
  { sizes: [3, 8, 6, 4, 1], act: "tanh", lambda: 0.3, keepProb: [0.8, 0.9, 1], data: three },
  { sizes: [3, 7, 1], act: "sigmoid", lambda: 1, data: three },
  { sizes: [3, 6, 5, 1], act: "leakyRelu", keepProb: 0.7, lambda: 0.1, data: three },
  { sizes: [2, 4, 4, 1], act: "linear", lambda: 0.05, data: moons },
];

describe("gradient check: backprop matches two-sided differences", () => {
  for (const c of cases) {
    it(`${c.sizes.join("-")} ${c.act} λ=${c.lambda ?? 0} keepProb=${c.keepProb ?? 1}`, () => {
      const net = Network.initialize(c.sizes, new RandomState(1), { activation: c.act });
      const before = net.parameters().map((p) => p.slice());
      const r = gradientCheck(net, c.data, { lambda: c.lambda, keepProb: c.keepProb });
      expect(r.relativeDifference).toBeLessThan(1e-7);
      expect(r.parameterCount).toBe(before.reduce((s, p) => s + p.length, 0));
      for (const [k, p] of net.parameters().entries()) expect(p).toEqual(before[k]);
    });
  }

  it("would catch a wrong gradient: L2's cost against a gradient without its term", () => {
    const net = Network.initialize([2, 5, 1], new RandomState(2), { activation: "tanh" });
    const batch = subset(moons, [0, 1, 2, 3, 4, 5, 6, 7]);
    const withL2 = gradientCheck(net, batch, { lambda: 5 });
    const without = gradientCheck(net, batch);
    let diff = 0;
    let a = 0;
    let b = 0;
    for (let i = 0; i < withL2.numeric.length; i++) {
      diff += (without.analytic[i] - withL2.numeric[i]) ** 2;
      a += without.analytic[i] ** 2;
      b += withL2.numeric[i] ** 2;
    }
    expect(Math.sqrt(diff) / (Math.sqrt(a) + Math.sqrt(b))).toBeGreaterThan(1e-2);
  });
});
