import { describe, expect, it } from "vitest";
import { LayeredNetwork, resolveLayers } from "../../src/core/layers/network.js";
import { parseLayerSpecs } from "../../src/core/layers/spec.js";
import { RandomState } from "../../src/core/random.js";
import type { Precision } from "../../src/core/wasm-kernels.js";
import { nodeHelperSpawner } from "../../src/node/kernel-threads.js";
import { enableRelaxedSimd } from "../../src/node/relaxed-simd.js";
import { resolveRunConfig } from "../../src/training/config.js";
import { LayerTrainer } from "../../src/training/layer-trainer.js";
import { sameBits } from "../support/assertions.js";
import { BARS_SHAPE, bars } from "../support/bars.js";

const data = bars(300, 3);

/** Four steps of a CNN with dropout on the bars; its costs and parameters. */
function run(threads: number, precision: Precision, seed = 6) {
  const config = resolveRunConfig({
    hidden: [24],
    keepProb: 0.8,
    lambda: 0.2,
    optimizer: { name: "momentum" },
    learningRate: 0.05,
    batchSize: 150,
    seed,
  });
  const rng = new RandomState(seed);
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
    precision,
    ...(threads > 1 ? { spawnHelper: nodeHelperSpawner } : {}),
  });
  const costs = Array.from({ length: 4 }, () => trainer.step(true));
  expect(trainer.kernels.fallbacks).toBe(0);
  trainer.kernels.close?.();
  return { costs, params: net.parameters() };
}

describe("a layered network on more than one thread", () => {
  const precisions: Precision[] = enableRelaxedSimd() ? ["f64", "f32", "f32-fma"] : ["f64", "f32"];
  for (const precision of precisions)
    it(`trains to the same bits on 1, 2 and 3 threads (${precision})`, () => {
      const one = run(1, precision);
      for (const threads of [2, 3]) {
        const many = run(threads, precision);
        expect(many.costs).toEqual(one.costs);
        for (const [k, p] of one.params.entries()) sameBits(many.params[k], p);
      }
    });
});

describe("a layered network in f32", () => {
  it("is deterministic for a seed, differs from f64 by about f32's rounding, and differs from it", () => {
    const f64 = run(1, "f64");
    const a = run(1, "f32");
    const b = run(1, "f32");
    expect(b.costs).toEqual(a.costs);
    for (const [k, p] of a.params.entries()) sameBits(b.params[k], p);
    // The products ran in f32: not the f64 bits, but within a few f32 roundings of them.
    expect(a.costs).not.toEqual(f64.costs);
    for (const [i, c] of a.costs.entries())
      expect(Math.abs(c - f64.costs[i]) / f64.costs[i]).toBeLessThan(1e-5);
    for (const [k, p] of f64.params.entries()) {
      let diff = 0;
      let norm = 0;
      for (let i = 0; i < p.length; i++) {
        diff = Math.max(diff, Math.abs(a.params[k][i] - p[i]));
        norm = Math.max(norm, Math.abs(p[i]));
      }
      expect(diff).toBeLessThan(1e-5 * Math.max(norm, 1e-3));
    }
  });
});
