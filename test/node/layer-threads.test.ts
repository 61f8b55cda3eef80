import { describe, expect, it } from "vitest";
import { LayeredNetwork, resolveLayers } from "../../src/core/layers/network.js";
import { parseLayerSpecs } from "../../src/core/layers/spec.js";
import { RandomState } from "../../src/core/random.js";
import { nodeHelperSpawner } from "../../src/node/kernel-threads.js";
import { resolveRunConfig } from "../../src/training/config.js";
import { LayerTrainer } from "../../src/training/layer-trainer.js";
import { sameBits } from "../support/assertions.js";
import { BARS_SHAPE, bars } from "../support/bars.js";

describe("a layered network on more than one thread", () => {
  it("trains to the same bits on 1, 2 and 3 threads", () => {
    const data = bars(300, 3);
    const run = (threads: number) => {
      const config = resolveRunConfig({
        hidden: [24],
        keepProb: 0.8,
        lambda: 0.2,
        optimizer: { name: "momentum" },
        learningRate: 0.05,
        batchSize: 150,
        seed: 6,
      });
      const rng = new RandomState(6);
      const layers = resolveLayers(
        parseLayerSpecs("conv:12:3:1:same,spatial-dropout:0.9,maxpool:2,conv:16:3,24"),
        BARS_SHAPE,
        3,
        [0.8],
      );
      const net = LayeredNetwork.initialize(layers, BARS_SHAPE, rng);
      const trainer = new LayerTrainer(net, data, config, rng, {
        kernels: "wasm",
        threads,
        ...(threads > 1 ? { spawnHelper: nodeHelperSpawner } : {}),
      });
      const costs = Array.from({ length: 4 }, () => trainer.step(true));
      expect(trainer.kernels.fallbacks).toBe(0);
      trainer.kernels.close?.();
      return { costs, params: net.parameters() };
    };
    const one = run(1);
    for (const threads of [2, 3]) {
      const many = run(threads);
      expect(many.costs).toEqual(one.costs);
      for (const [k, p] of one.params.entries()) sameBits(many.params[k], p);
    }
  });
});
