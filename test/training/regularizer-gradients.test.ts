import { describe, expect, it } from "vitest";
import type { Activation } from "../../src/core/activations.js";
import { Network } from "../../src/core/network.js";
import { RandomState } from "../../src/core/random.js";
import type { RegularizerSpec } from "../../src/core/regularizers.js";
import { generateDataset } from "../../src/data/generators.js";
import { gradientCheck } from "../../src/training/gradient-check.js";

// Every regularizer's gradient, with dropout on (fixed masks, so each cost sees the same masks and
// the same noise), against two-sided differences of the cost it adds.
// Seed 2 draws weights whose ReLU units sit clear of their kink on this data (seed 1 does not,
// with or without any regularizer).
const moons = generateDataset("moons", { n: 40, seed: 5, testFraction: 0 }).train;
const three = (() => {
  const rng = new RandomState(8);
  const m = 30;
  const X = rng.uniform(-1, 1, 3 * m);
  const y = new Uint8Array(m).map((_, j) => (X[j] > 0.3 ? 2 : X[m + j] > 0 ? 1 : 0));
  return { X: { rows: 3, cols: m, data: X }, y };
})();

const cases: Array<{
  name: string;
  specs?: RegularizerSpec[];
  smoothing?: number;
  act?: Activation;
  softmax?: boolean;
}> = [
  { name: "L1", specs: [{ kind: "l1", lambda: 0.4 }] },
  { name: "elastic", specs: [{ kind: "elastic", l1: 0.3, l2: 0.5 }], act: "tanh" },
  { name: "max-norm (a constraint, no gradient)", specs: [{ kind: "max-norm", c: 1 }] },
  { name: "Gaussian noise on the inputs", specs: [{ kind: "gaussian-noise", sigma: 0.3 }] },
  {
    name: "Gaussian noise on hidden layers",
    specs: [{ kind: "gaussian-noise", sigma: 0.2, layers: [1, 2] }],
    act: "tanh",
  },
  { name: "Gaussian dropout", specs: [{ kind: "gaussian-dropout", rate: 0.3 }] },
  {
    name: "Gaussian dropout, sigmoid units, inputs too",
    specs: [{ kind: "gaussian-dropout", rate: 0.2, layers: [0, 1] }],
    act: "sigmoid",
  },
  { name: "label smoothing, sigmoid head", smoothing: 0.2 },
  { name: "label smoothing, softmax head", smoothing: 0.1, softmax: true },
  {
    name: "everything at once",
    specs: [
      { kind: "l1", lambda: 0.1 },
      { kind: "gaussian-noise", sigma: 0.1, layers: [0, 1] },
      { kind: "gaussian-dropout", rate: 0.2, layers: [2] },
    ],
    smoothing: 0.1,
    softmax: true,
  },
];

describe("gradient check of every regularizer, dropout on", () => {
  for (const c of cases) {
    it(c.name, () => {
      const data = c.softmax ? three : moons;
      const sizes = [data.X.rows, 6, 4, c.softmax ? 3 : 1];
      const net = Network.initialize(sizes, new RandomState(2), { activation: c.act ?? "relu" });
      // Biases off zero: a ReLU unit whose inputs are all dropped would otherwise sit on its kink.
      for (const b of net.biases) b.fill(0.05);
      const r = gradientCheck(net, data, {
        lambda: 0.2,
        keepProb: 0.8,
        regularizers: c.specs,
        labelSmoothing: c.smoothing,
      });
      expect(r.relativeDifference).toBeLessThan(1e-7);
    });
  }

  it("would catch a missing term: L1's cost against a gradient without it", () => {
    const net = Network.initialize([2, 5, 1], new RandomState(2), { activation: "tanh" });
    const withL1 = gradientCheck(net, moons, { regularizers: [{ kind: "l1", lambda: 3 }] });
    const without = gradientCheck(net, moons);
    let diff = 0;
    let size = 0;
    for (let i = 0; i < withL1.numeric.length; i++) {
      diff += (without.analytic[i] - withL1.numeric[i]) ** 2;
      size += withL1.numeric[i] ** 2;
    }
    expect(Math.sqrt(diff / size)).toBeGreaterThan(1e-2);
  });
});
