import { describe, expect, it } from "vitest";
import { parseLayerSpecs } from "../../src/core/layers/spec.js";
import { matrix } from "../../src/core/matrix.js";
import { RandomState } from "../../src/core/random.js";
import type { Dataset } from "../../src/data/dataset.js";
import { resolveRunConfig } from "../../src/training/config.js";
import { fitLayered } from "../../src/training/layer-trainer.js";
import { cnnLayers } from "../../web/digits/preset.js";
import { Session } from "../../web/session.js";
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
    expect(JSON.parse(run.modelJSON("playground")).layers).toHaveLength(5);
  });

  it("takes augmentation and a new limit live, and keeps its trainer's settings", () => {
    const s = new Session({
      data: { train, test },
      config,
      models: one,
      earlyStopping: { enabled: false, patience: 0 },
      stopAt: null,
      layers,
    });
    s.step(10);
    s.retune({ ...config, lambda: 0.5 }, 30, [{ ...one[0], augment: "noise:0.1" }]);
    while (!s.done) s.step(7);
    expect(s.runs[0].iteration).toBe(30);
    expect(s.runs[0].config.lambda).toBe(0);
    expect(s.snapshot(0)[0].strip).toHaveLength(8 * 64);
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
