import { describe, expect, it } from "vitest";
import { LayeredNetwork, resolveLayers } from "../../src/core/layers/network.js";
import { parseLayerSpecs } from "../../src/core/layers/spec.js";
import { RandomState } from "../../src/core/random.js";
import type { Dataset } from "../../src/data/dataset.js";
import { checkpointToJSON, fingerprintData, parseCheckpoint } from "../../src/training/checkpoint.js";
import { resolveRunConfig } from "../../src/training/config.js";
import { earlyStopping } from "../../src/training/early-stopping.js";
import { fitLayered, LayerTrainer } from "../../src/training/layer-trainer.js";
import { TrainingRun } from "../../src/training/run.js";
import { sameBits } from "../support/assertions.js";
import { bars, BARS_SHAPE as SHAPE } from "../support/bars.js";

const SPEC = "conv:4:3:1:same,spatial-dropout:0.8,maxpool:2,conv:6:3,avgpool:2,12";

function trainer(data: Dataset, kernels: "js" | "wasm", seed = 4) {
  const config = resolveRunConfig({
    hidden: [12],
    keepProb: 0.9,
    lambda: 0.1,
    optimizer: { name: "adam" },
    learningRate: 0.01,
    batchSize: 16,
    iterations: 50,
    seed,
  });
  const rng = new RandomState(seed);
  const layers = resolveLayers(parseLayerSpecs(SPEC), SHAPE, 3, [0.9]);
  const net = LayeredNetwork.initialize(layers, SHAPE, rng);
  return { net, config, trainer: new LayerTrainer(net, data, config, rng, { kernels }) };
}

describe("LayerTrainer", () => {
  const data = bars(90, 1);

  it("learns the bars (cost falls, training accuracy high)", async () => {
    const r = await fitLayered(data, parseLayerSpecs("conv:4:3:1:same,maxpool:2,12"), {
      optimizer: { name: "adam" },
      learningRate: 0.01,
      batchSize: 30,
      iterations: 150,
      costEvery: 50,
      seed: 2,
    });
    expect(r.history.costs[0]).toBeGreaterThan(1);
    expect(r.history.costs.at(-1)!).toBeLessThan(0.5 * r.history.costs[0]);
    const p = r.network.predict(data.X);
    const right = p.reduce((s, v, j) => s + (v === data.y[j] ? 1 : 0), 0);
    expect(right / data.X.cols).toBeGreaterThan(0.9);
  });

  it("gives the same bits on the WebAssembly kernels as on the JavaScript ones", () => {
    const a = trainer(data, "js");
    const b = trainer(data, "wasm");
    expect(b.trainer.kernels.backend).toBe("wasm");
    for (let i = 0; i < 8; i++) expect(b.trainer.step(true)).toBe(a.trainer.step(true));
    for (const [k, p] of a.net.parameters().entries()) sameBits(b.net.parameters()[k], p);
    expect(b.trainer.kernels.fallbacks).toBe(0);
  });

  it("resumes from a run's state bit for bit (checkpoints)", () => {
    const settings = { iterations: 12, costEvery: 1, lambda: 0.1, batch: 16 };
    const whole = trainer(data, "js");
    const run = new TrainingRun(whole.trainer, settings);
    run.advance(5);
    const state = run.getState();
    run.advance(100);
    const resumed = trainer(data, "js", 4);
    const again = new TrainingRun(resumed.trainer, settings);
    // Through the checkpoint file's text, as --checkpoint / --resume do.
    const text = checkpointToJSON({ config: whole.config, data: fingerprintData(data), extra: {}, state });
    again.restore(parseCheckpoint(text).state);
    again.advance(100);
    expect(again.history.costs).toEqual(run.history.costs);
    for (const [k, p] of whole.net.parameters().entries()) sameBits(resumed.net.parameters()[k], p);
  });

  it("stops early and restores the best weights (clone and copyFrom of a layered network)", async () => {
    const dev = bars(30, 9);
    const es = earlyStopping({ dev, patience: 1, evaluateEvery: 5, restoreBest: true });
    const r = await fitLayered(
      data,
      parseLayerSpecs("conv:2:3,maxpool:2,8"),
      {
        learningRate: 0.5,
        optimizer: { name: "gd" },
        iterations: 400,
        seed: 1,
      },
      { callbacks: [es] },
    );
    expect(r.history.evaluations.length).toBeGreaterThan(1);
    expect(es.bestIteration).toBeDefined();
  });
});
