import { describe, expect, it } from "vitest";
import { RandomState } from "../../src/core/random.js";
import { generateDataset } from "../../src/data/generators.js";
import { buildNetwork } from "../../src/training/build.js";
import { type RunConfig, resolveRunConfig } from "../../src/training/config.js";
import { fit } from "../../src/training/train.js";
import { Trainer } from "../../src/training/trainer.js";

const spiral = generateDataset("spiral", { n: 151, seed: 5, testFraction: 0 }).train;

// One of each: activations, L2, per-layer dropout under both mask policies, mini-batches with a
// short last batch, every optimizer, a deep and a single-unit-wide network.
const CONFIGS: Partial<RunConfig>[] = [
  { hidden: [20, 3] },
  { hidden: [16, 8], activation: "tanh", lambda: 0.3, keepProb: [0.9, 0.7] },
  {
    hidden: [7, 5, 3],
    activation: "sigmoid",
    batchSize: 32,
    optimizer: { name: "adam" },
    learningRate: 0.01,
  },
  {
    hidden: [9],
    activation: "leakyRelu",
    keepProb: 0.8,
    dropoutMasks: "fixed",
    optimizer: { name: "momentum" },
  },
  { hidden: [1, 6], init: "he", lambda: 0.05, batchSize: 50, keepProb: 0.6 },
];

describe("the WebAssembly and JavaScript backends train to the same bits", () => {
  for (const config of CONFIGS) {
    it(JSON.stringify(config), async () => {
      const run = { ...config, iterations: 300, costEvery: 10 };
      const wasm = await fit(spiral, run, { kernels: "wasm" });
      const js = await fit(spiral, run, { kernels: "js" });
      expect(wasm.history.costs).toEqual(js.history.costs);
      expect(wasm.network.parameters()).toEqual(js.network.parameters());
      // And the WASM run computed everything in WebAssembly: no array fell outside its memory.
      const trainer = new Trainer(wasm.network, spiral, resolveRunConfig(run), new RandomState(1));
      for (let i = 0; i < 3; i++) trainer.step();
      expect(trainer.kernels.backend).toBe("wasm");
      expect(trainer.kernels.fallbacks).toBe(0);
    });
  }
});

describe("a Trainer", () => {
  it("computes on WebAssembly by default and on JavaScript when asked", () => {
    const config = resolveRunConfig({ hidden: [4] });
    const make = (kernels?: "js") =>
      new Trainer(buildNetwork(2, config, new RandomState(1)), spiral, config, new RandomState(1), {
        kernels,
      });
    expect(make().kernels.backend).toBe("wasm");
    expect(make("js").kernels.backend).toBe("js");
  });
});
