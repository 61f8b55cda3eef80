import { describe, expect, it } from "vitest";
import type { LayeredNetwork } from "../../src/core/layers/network.js";
import { parseLayerSpecs } from "../../src/core/layers/spec.js";
import { matrix } from "../../src/core/matrix.js";
import { RandomState } from "../../src/core/random.js";
import { batchTransform } from "../../src/data/augment/compose.js";
import { parseAugmentation } from "../../src/data/augment/parse.js";
import type { Dataset } from "../../src/data/dataset.js";
import { resolveRunConfig } from "../../src/training/config.js";
import { fitLayered, LayerTrainer, layeredNetworkFor } from "../../src/training/layer-trainer.js";
import { cnnLayers, cnnTakesLive } from "../../web/digits/preset.js";
import { Session } from "../../web/session.js";
import { defaultSettings } from "../../web/state.js";
import { predictOne } from "../../web/worker-loop.js";

/** Three classes of 8 × 8 images: a bright row, column or diagonal, with noise. */
function images(m: number, seed: number): Dataset {
  const rng = new RandomState(seed);
  const X = matrix(64, m);
  const y = new Uint8Array(m);
  for (let j = 0; j < m; j++) {
    const k = j % 3;
    y[j] = k;
    const at = 1 + rng.boundedInt(6);
    for (let r = 0; r < 8; r++) {
      for (let c = 0; c < 8; c++) {
        const on = k === 0 ? r === at : k === 1 ? c === at : r === c;
        X.data[(r * 8 + c) * m + j] = (on ? 0.8 : 0.05) + 0.2 * rng.random();
      }
    }
  }
  return { X, y, shape: { height: 8, width: 8, channels: 1 } };
}

const train = images(90, 1);
const test = images(45, 2);
const layers = parseLayerSpecs("conv:4:3,maxpool:2,6");
const config = resolveRunConfig({
  hidden: [6],
  optimizer: { name: "adam" },
  learningRate: 0.01,
  batchSize: 16,
  iterations: 60,
  costEvery: 20,
  init: "he",
});
const one = [{ key: "model", name: "model", overrides: {} }];

describe("the playground's session with convolutional layers", () => {
  it("trains conv:4:3,maxpool:2,6 as reglab train --layers does, bit for bit", async () => {
    const s = new Session({
      data: { train, test },
      config,
      models: one,
      earlyStopping: { enabled: false, patience: 0 },
      layers,
    });
    while (!s.done) {
      s.advance(7);
      s.scoreSlice();
    }
    const cli = await fitLayered(train, layers, config);
    const run = s.runs[0];
    expect(run.history.costs).toEqual(cli.history.costs);
    expect(run.network.weights).toEqual(cli.network.weights);
    expect(run.evaluations.map((e) => e.iteration)).toEqual([0, 20, 40, 60]);
    const snap = s.snapshot(0)[0];
    // Inputs, 4 filters, 6 dense units, 3 classes; the first layer's filters are 3 × 3 × 1.
    expect(snap.sizes).toEqual([64, 4, 6, 3]);
    expect(snap.filters).toEqual({ size: 3, channels: 1 });
    expect(snap.weights[0]).toHaveLength(3 * 3 * 1 * 4);
    expect(snap.confusion!.reduce((a, b) => a + b, 0)).toBe(45);
    expect(snap.test!.correct).toBeGreaterThan(15);
    const x = Float64Array.from({ length: 64 }, (_, f) => test.X.data[f * 45]);
    const p = predictOne(run.network, 1, x, 1);
    expect(p.probabilities).toHaveLength(3);
    expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // conv, maxpool, flatten, dense, dropout (keep 1: it draws nothing, but keepProb can come live), dense.
    const saved = JSON.parse(run.modelJSON("playground")).layers;
    expect(saved).toHaveLength(6);
    expect(saved[4]).toEqual({ type: "dropout", keepProb: 1 });
  });

  it("takes augmentation, a new limit, λ, keepProb, the optimizer and α live, as LayerTrainer.retune", () => {
    const s = new Session({
      data: { train, test },
      config,
      models: one,
      earlyStopping: { enabled: false, patience: 0 },
      stopAt: null,
      layers,
    });
    s.step(10);
    const next = {
      ...config,
      lambda: 0.5,
      keepProb: 0.8,
      optimizer: { name: "momentum" as const },
      learningRate: 0.05,
    };
    s.retune(next, 30, [{ ...one[0], augment: "noise:0.1" }]);
    while (!s.done) s.step(7);
    const run = s.runs[0];
    expect(run.iteration).toBe(30);
    expect(run.config.lambda).toBe(0.5);
    expect((run.trainer as LayerTrainer).keepProbs).toEqual([0.8]);
    expect(s.snapshot(0)[0].strip).toHaveLength(8 * 64);
    // The engine, retuned the same way at step 10 (the augmentation as the session draws it).
    const rng = new RandomState(config.seed);
    const net = layeredNetworkFor(train, parseLayerSpecs("conv:4:3,maxpool:2,6,dropout:1"), config, rng);
    const noise = batchTransform(parseAugmentation("noise:0.1"), train.shape!);
    let on = false;
    const t = new LayerTrainer(net, train, config, rng, {
      transform: (b, f, m, r) => on && noise(b, f, m, r),
    });
    for (let i = 0; i < 10; i++) t.step();
    on = true;
    t.retune({ lambda: 0.5, keepProb: [0.8], optimizer: { name: "momentum" }, learningRate: 0.05 });
    for (let i = 0; i < 20; i++) t.step();
    expect(run.network.weights).toEqual(net.weights);
    expect((run.network as LayeredNetwork).layers).toEqual(net.layers);
  });

  it("refuses a noise change live (the page starts the run over)", () => {
    const s = new Session({
      data: { train, test },
      config,
      models: one,
      earlyStopping: { enabled: false, patience: 0 },
      layers,
    });
    s.step(5);
    expect(() => s.retune({ ...config, regularizers: [{ kind: "gaussian-noise", sigma: 0.1 }] }, 60)).toThrow(
      /noise cannot change/,
    );
  });

  it("gives a drawn digit the Monte Carlo band when the CNN has dropout, none without", () => {
    const s = new Session({
      data: { train, test },
      config: { ...config, keepProb: 0.7 },
      models: one,
      earlyStopping: { enabled: false, patience: 0 },
      layers,
    });
    s.step(20);
    // Test example 1 (example 0 leaves every hidden unit at 0 here: no mask changes it).
    const x = Float64Array.from({ length: 64 }, (_, f) => test.X.data[f * 45 + 1]);
    const run = s.runs[0];
    const p = predictOne(run.network, run.config.keepProb, x, 3);
    expect(p.low).toHaveLength(3);
    expect(p.high).toHaveLength(3);
    for (let k = 0; k < 3; k++) expect(p.low![k]).toBeLessThanOrEqual(p.high![k]);
    expect(p.high!.some((h, k) => h - p.low![k] > 1e-3)).toBe(true);
    s.retune({ ...config, keepProb: 1 }, 60);
    expect(predictOne(run.network, 1, x, 3).low).toBeUndefined();
  });
});

describe("what a CNN run takes live in the page", () => {
  it("takes every live setting of the dense network but a change of the table's noise", () => {
    const d = defaultSettings();
    expect(cnnTakesLive("lambda", d, { ...d, lambda: 0.3 })).toBe(true);
    expect(cnnTakesLive("keepProb", d, { ...d, keepProb: [0.8] })).toBe(true);
    expect(cnnTakesLive("optimizer", d, { ...d, optimizer: "adam" })).toBe(true);
    expect(cnnTakesLive("hidden", d, { ...d, hidden: [8] })).toBe(false);
    expect(cnnTakesLive("table", d, { ...d, table: { l1: 0.01 } })).toBe(true);
    expect(cnnTakesLive("table", d, { ...d, table: { "gaussian-noise": 0.1 } })).toBe(false);
  });
});

describe("the small CNN's layers", () => {
  it("puts conv:8:5 and maxpool:2 before the dense layers for images only", () => {
    const shape = { height: 28, width: 28, channels: 1 };
    expect(cnnLayers({ net: "cnn", hidden: [64] }, shape)).toEqual(parseLayerSpecs("conv:8:5,maxpool:2,64"));
    expect(cnnLayers({ net: "cnn", hidden: [] }, shape)).toEqual(parseLayerSpecs("conv:8:5,maxpool:2"));
    expect(cnnLayers({ net: "dense", hidden: [64] }, shape)).toBeUndefined();
    expect(cnnLayers({ net: "cnn", hidden: [64] }, undefined)).toBeUndefined();
  });
});
