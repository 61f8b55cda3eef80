import { describe, expect, it } from "vitest";
import { matrix } from "../../src/core/matrix.js";
import type { Network } from "../../src/core/network.js";
import { RandomState } from "../../src/core/random.js";
import type { Dataset } from "../../src/data/dataset.js";
import { resolveRunConfig } from "../../src/training/config.js";
import { fit } from "../../src/training/train.js";
import { augmentSpec } from "../../web/digits/augment-kinds.js";
import { modelSpecs } from "../../web/models.js";
import { Session, STRIP, testErrors } from "../../web/session.js";
import { parseSettings } from "../../web/state.js";
import { predictOne } from "../../web/worker-loop.js";

/** Three classes of 6 × 6 images: a bright row, column or diagonal, with noise. */
function images(m: number, seed: number): Dataset {
  const rng = new RandomState(seed);
  const X = matrix(36, m);
  const y = new Uint8Array(m);
  for (let j = 0; j < m; j++) {
    const k = j % 3;
    y[j] = k;
    const at = 1 + rng.boundedInt(4);
    for (let r = 0; r < 6; r++) {
      for (let c = 0; c < 6; c++) {
        const on = k === 0 ? r === at : k === 1 ? c === at : r === c;
        X.data[(r * 6 + c) * m + j] = (on ? 0.9 : 0.05) + 0.05 * rng.random();
      }
    }
  }
  return { X, y, shape: { height: 6, width: 6, channels: 1 } };
}

const train = images(120, 1);
const test = images(60, 2);
const config = resolveRunConfig({
  hidden: [8],
  optimizer: { name: "adam" },
  learningRate: 0.01,
  batchSize: 16,
  iterations: 200,
  costEvery: 50,
  init: "he",
});
const one = [{ key: "model", name: "model", overrides: {} }];

describe("the playground's session on images with K classes", () => {
  it("trains a softmax network as reglab train does, bit for bit, and scores K classes", async () => {
    const s = new Session({
      data: { train, test },
      config,
      models: one,
      earlyStopping: { enabled: false, patience: 0 },
    });
    while (!s.done) s.step(37);
    const cli = await fit(train, config);
    expect((s.runs[0].network as Network).sizes).toEqual([36, 8, 3]);
    expect(s.runs[0].history.costs).toEqual(cli.history.costs);
    expect(s.runs[0].network.weights).toEqual(cli.network.weights);
    const snap = s.snapshot(0)[0];
    expect(snap.classes).toBe(3);
    expect(snap.test!.n).toBe(60);
    expect(snap.test!.correct).toBeGreaterThan(50);
    // The confusion matrix counts every test image once; the gallery lists the mistakes.
    const c = snap.confusion!;
    expect(c.reduce((a, b) => a + b, 0)).toBe(60);
    expect(c[0] + c[4] + c[8]).toBe(snap.test!.correct);
    expect(snap.misclassified!.length / 2).toBe(60 - snap.test!.correct);
    expect(snap.strip).toBeUndefined();
  });

  it("augments live: off draws nothing from the generator, on shows the batch it trained on", async () => {
    const aug = new Session({
      data: { train, test },
      config,
      models: [{ key: "model", name: "model", overrides: {}, augment: "" }],
      earlyStopping: { enabled: false, patience: 0 },
      stopAt: null,
    });
    aug.step(30);
    const plain = new Session({
      data: { train, test },
      config,
      models: one,
      earlyStopping: { enabled: false, patience: 0 },
      stopAt: null,
    });
    plain.step(30);
    expect(aug.runs[0].network.weights).toEqual(plain.runs[0].network.weights);
    aug.retune(config, null, [
      { key: "model", name: "model", overrides: {}, augment: augmentSpec(["noise"]) },
    ]);
    aug.step(1);
    const strip = aug.snapshot(0)[0].strip!;
    expect(strip).toHaveLength(STRIP * 36);
    // The strip holds augmented examples: noise moved them off the originals' levels.
    expect(strip.some((v) => v < 0 || v > 1)).toBe(true);
    aug.step(1);
    expect(aug.snapshot(0)[0].strip).not.toEqual(strip);
    aug.retune(config, null, one);
    aug.step(1);
    expect(aug.snapshot(0)[0].strip).toBeUndefined();
  });

  it("compares none, L2, dropout and augmentation on digits", () => {
    const s = parseSettings("data=digits&compare=1&lambda=0.5&keep=0.8&aug=noise").settings;
    const specs = modelSpecs(s);
    expect(specs.map((m) => [m.key, m.overrides, m.augment ?? ""])).toEqual([
      ["none", { lambda: 0, keepProb: 1 }, ""],
      ["l2", { lambda: 0.5, keepProb: 1 }, ""],
      ["dropout", { lambda: 0, keepProb: 0.8 }, ""],
      ["augment", { lambda: 0, keepProb: 1 }, "noise:0.1"],
    ]);
  });

  it("predicts one example's K probabilities, with a Monte Carlo band for dropout", () => {
    const s = new Session({
      data: { train, test },
      config: { ...config, keepProb: 0.7 },
      models: one,
      earlyStopping: { enabled: false, patience: 0 },
    });
    s.step(100);
    const x = Float64Array.from({ length: 36 }, (_, f) => test.X.data[f * 60]);
    const p = predictOne(s.runs[0].network, 0.7, x, 1);
    expect(p.probabilities).toHaveLength(3);
    expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (let k = 0; k < 3; k++) expect(p.low![k]).toBeLessThanOrEqual(p.high![k]);
    expect(predictOne(s.runs[0].network, 1, x, 1).low).toBeUndefined();
  });

  it("counts a confusion matrix by true row and predicted column", () => {
    const { confusion, misclassified } = testErrors(Uint8Array.of(0, 1, 2, 2), Uint8Array.of(0, 2, 2, 1), 3);
    expect(Array.from(confusion)).toEqual([1, 0, 0, 0, 0, 1, 0, 1, 1]);
    expect(Array.from(misclassified)).toEqual([1, 2, 3, 1]);
  });
});
