import { describe, expect, it } from "vitest";
import { Network } from "../../src/core/network.js";
import { RandomState } from "../../src/core/random.js";
import { buildRegularizer } from "../../src/core/regularizers.js";
import { generateDataset } from "../../src/data/generators.js";
import { type RunConfig, resolveRunConfig } from "../../src/training/config.js";
import { gradientCheck } from "../../src/training/gradient-check.js";
import { settingRow, withSetting } from "../../src/training/settings.js";
import { fit } from "../../src/training/train.js";

// CONTRIBUTING.md's worked example: a penalty in its own file, one settings row, this test.
const moons = generateDataset("moons", { n: 40, seed: 5, testFraction: 0 }).train;
const gap = (W: Float64Array, units: number, fanIn: number) => {
  let s = 0;
  for (let a = 0; a < units; a++)
    for (let b = 0; b < units; b++) {
      let d = 0;
      for (let k = 0; k < fanIn; k++) d += W[a * fanIn + k] * W[b * fanIn + k];
      s += (d - (a === b ? 1 : 0)) ** 2;
    }
  return s;
};

describe("the orthogonality penalty, built from its spec and its settings row", () => {
  it("costs λ/(4m)·Σ‖W Wᵀ − I‖²", () => {
    const r = buildRegularizer({ kind: "orthogonality", lambda: 2 });
    const W = new RandomState(1).randn(6);
    const shapes = [{ units: 2, fanIn: 3 }];
    expect(r.cost!([W], 10, shapes)).toBeCloseTo((2 / 40) * gap(W, 2, 3), 14);
  });

  it("passes the gradient check with dropout on", () => {
    const net = Network.initialize([2, 5, 4, 1], new RandomState(2), { activation: "tanh" });
    const g = gradientCheck(net, moons, {
      keepProb: 0.8,
      regularizers: [{ kind: "orthogonality", lambda: 0.5 }],
    });
    expect(g.relativeDifference).toBeLessThan(1e-7);
  });

  it("its row makes it a setting: the config carries the spec, and training pulls the rows toward orthonormal", async () => {
    const row = settingRow("orthogonality")!;
    const config = resolveRunConfig(
      withSetting<Partial<RunConfig>>({ hidden: [4], iterations: 300, costEvery: 100 }, row, 1),
    );
    expect(config.regularizers).toEqual([{ kind: "orthogonality", lambda: 1 }]);
    const on = await fit(moons, config);
    const off = await fit(moons, { ...config, regularizers: [] });
    expect(gap(on.network.weights[0], 4, 2)).toBeLessThan(gap(off.network.weights[0], 4, 2));
  });
});
