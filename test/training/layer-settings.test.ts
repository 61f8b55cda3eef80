// The settings table on layered (convolutional) networks: gradient checks with dropout on, the
// constraints' effect on conv filters and dense units, decoupled weight decay, the schedule, the
// noise's places, and checkpoints that resume bit for bit with the settings on.
import { describe, expect, it } from "vitest";
import { LayeredNetwork, resolveLayers } from "../../src/core/layers/network.js";
import { parseLayerSpecs, type TensorShape } from "../../src/core/layers/spec.js";
import { matrix } from "../../src/core/matrix.js";
import { RandomState } from "../../src/core/random.js";
import type { RegularizerSpec } from "../../src/core/regularizers.js";
import type { Dataset } from "../../src/data/dataset.js";
import { checkpointToJSON, fingerprintData, parseCheckpoint } from "../../src/training/checkpoint.js";
import { ConfigError, type RunConfig, resolveRunConfig } from "../../src/training/config.js";
import { layeredGradientCheck } from "../../src/training/layer-gradient-check.js";
import { LayerTrainer } from "../../src/training/layer-trainer.js";
import { TrainingRun } from "../../src/training/run.js";
import { sameBits } from "../support/assertions.js";
import { BARS_SHAPE, bars } from "../support/bars.js";

/** m random images of `shape` in [0, 1) with labels 0…classes−1. */
function images(shape: TensorShape, m: number, classes: number, seed: number): Dataset {
  const rng = new RandomState(seed);
  const n = shape.height * shape.width * shape.channels;
  return { X: matrix(n, m, rng.rand(n * m)), y: Uint8Array.from(rng.randint(0, classes, m)), shape };
}

const SHAPE = { height: 8, width: 8, channels: 1 };
// Spatial dropout after the convolution and dropout 0.7 after the hidden dense layer: on.
const NET = "conv:4:3,spatial-dropout:0.6,maxpool:2,5";

function check(
  settings: { regularizers?: RegularizerSpec[]; labelSmoothing?: number; lambda?: number },
  classes = 3,
) {
  const data = images(SHAPE, 5, classes, 7);
  const layers = resolveLayers(parseLayerSpecs(NET), SHAPE, classes === 2 ? 1 : classes, [0.7]);
  const net = LayeredNetwork.initialize(layers, SHAPE, new RandomState(2));
  // Biases away from 0 so ReLU and max pooling see no ties at the finite differences' scale.
  const rng = new RandomState(5);
  for (const b of net.biases) for (let i = 0; i < b.length; i++) b[i] = 0.1 * rng.randn(1)[0];
  return layeredGradientCheck(net, data, settings);
}

const THRESHOLD = 1e-6;

describe("gradient checks of a small conv net with the settings, dropout on", () => {
  const cases: [string, Parameters<typeof check>[0], number][] = [
    ["L1 λ = 0.05", { regularizers: [{ kind: "l1", lambda: 0.05 }] }, 3],
    ["elastic net λ₁ = 0.05, λ₂ = 0.3", { regularizers: [{ kind: "elastic", l1: 0.05, l2: 0.3 }] }, 3],
    ["L1 beside L2 (λ = 0.5)", { lambda: 0.5, regularizers: [{ kind: "l1", lambda: 0.05 }] }, 3],
    ["label smoothing 0.1, softmax", { labelSmoothing: 0.1 }, 3],
    ["label smoothing 0.2, sigmoid", { labelSmoothing: 0.2 }, 2],
    [
      "Gaussian dropout p = 0.3 on the hidden dense layer",
      { regularizers: [{ kind: "gaussian-dropout", rate: 0.3 }] },
      3,
    ],
    [
      "Gaussian noise σ = 0.2 on the inputs and the hidden dense layer",
      { regularizers: [{ kind: "gaussian-noise", sigma: 0.2, layers: [0, 1] }] },
      3,
    ],
    [
      "L1, label smoothing, Gaussian dropout and noise together",
      {
        labelSmoothing: 0.1,
        regularizers: [
          { kind: "l1", lambda: 0.05 },
          { kind: "gaussian-dropout", rate: 0.2 },
          { kind: "gaussian-noise", sigma: 0.1 },
        ],
      },
      3,
    ],
  ];
  const plain = { 2: check({}, 2), 3: check({}, 3) };
  for (const [name, settings, classes] of cases)
    it(name, () => {
      const r = check(settings, classes);
      expect(r.relativeDifference).toBeLessThan(THRESHOLD);
      // The setting is in the gradient the check held to the differences.
      expect(Array.from(r.analytic)).not.toEqual(Array.from(plain[classes as 2 | 3].analytic));
    });
});

/** A trainer on the bars (3 classes) with `settings` over a base of Adam, batches of 16. */
function trainer(settings: Partial<RunConfig>, kernels: "js" | "wasm" = "js", seed = 4) {
  const config = resolveRunConfig({
    hidden: [12],
    keepProb: 0.9,
    optimizer: { name: "adam" },
    learningRate: 0.01,
    batchSize: 16,
    iterations: 40,
    seed,
    ...settings,
  });
  const rng = new RandomState(seed);
  const layers = resolveLayers(
    parseLayerSpecs("conv:4:3:1:same,maxpool:2,conv:6:3,12"),
    BARS_SHAPE,
    3,
    [0.9],
  );
  const net = LayeredNetwork.initialize(layers, BARS_SHAPE, rng);
  return { net, config, trainer: new LayerTrainer(net, bars(90, 1), config, rng, { kernels }) };
}

/** ‖w‖ of each unit: a conv filter (a column of its K × filters W), a dense unit (a row). */
function unitNorms(net: LayeredNetwork): number[] {
  const norms: number[] = [];
  net.layers
    .filter((s) => s.type === "conv" || s.type === "dense")
    .forEach((s, l) => {
      const W = net.weights[l];
      const units = s.type === "conv" ? s.filters : s.units;
      const fanIn = W.length / units;
      for (let u = 0; u < units; u++) {
        let sq = 0;
        for (let i = 0; i < fanIn; i++) {
          const w = s.type === "conv" ? W[i * units + u] : W[u * fanIn + i];
          sq += w * w;
        }
        norms.push(Math.sqrt(sq));
      }
    });
  return norms;
}

const EVERY_SETTING: Partial<RunConfig> = {
  regularizers: [
    { kind: "l1", lambda: 0.01 },
    { kind: "max-norm", c: 1.5 },
    { kind: "gaussian-dropout", rate: 0.2 },
    { kind: "gaussian-noise", sigma: 0.05 },
  ],
  labelSmoothing: 0.1,
  weightDecay: 0.01,
  lrSchedule: "cosine:5",
};

describe("LayerTrainer with the settings table", () => {
  it("max-norm bounds every conv filter and dense unit, and binds some", () => {
    const c = 1.5;
    const { net, trainer: t } = trainer({ learningRate: 0.05, regularizers: [{ kind: "max-norm", c }] });
    const free = trainer({ learningRate: 0.05 });
    for (let i = 0; i < 30; i++) {
      t.step(false);
      free.trainer.step(false);
    }
    const norms = unitNorms(net);
    for (const n of norms) expect(n).toBeLessThanOrEqual(c * (1 + 1e-12));
    expect(norms.filter((n) => n > c * (1 - 1e-9)).length).toBeGreaterThan(0);
    expect(Math.max(...unitNorms(free.net))).toBeGreaterThan(c);
  });

  it("L1 sets weights exactly to 0 in conv and dense layers; its cost is λ/m·Σ|w| beside L2", () => {
    const { net, trainer: t } = trainer({ lambda: 0.2, regularizers: [{ kind: "l1", lambda: 0.5 }] });
    for (let i = 0; i < 40; i++) t.step(false);
    const zeros = net.weights.map((W) => W.filter((w) => w === 0).length);
    expect(zeros[0] + zeros[1]).toBeGreaterThan(0);
    expect(zeros[2]).toBeGreaterThan(0);
    let abs = 0;
    let sq = 0;
    for (const W of net.weights)
      for (const w of W) {
        abs += Math.abs(w);
        sq += w * w;
      }
    const m = 16;
    expect(t.penaltyCost(net.weights, m)).toBeCloseTo((0.5 / m) * abs + (0.2 / (2 * m)) * sq, 12);
    expect(t.fusedDecay(m)).toBe(0.2 / m);
  });

  it("weight decay is decoupled: one gradient step moves W by −α·wd·W beyond the plain step", () => {
    const settings = { optimizer: { name: "gd" as const }, learningRate: 0.1, keepProb: 1 };
    const a = trainer({ ...settings, weightDecay: 0.05 });
    const b = trainer(settings);
    const before = a.net.parameters().map((p) => p.slice());
    a.trainer.step(false);
    b.trainer.step(false);
    a.net.parameters().forEach((p, k) => {
      const q = b.net.parameters()[k];
      for (let i = 0; i < p.length; i++) {
        // Weights (even k) decay, biases do not.
        const want = k % 2 === 0 ? q[i] - 0.1 * 0.05 * before[k][i] : q[i];
        expect(Math.abs(p[i] - want)).toBeLessThan(1e-15);
      }
    });
  });

  it("follows the learning-rate schedule", () => {
    const { trainer: t } = trainer({ learningRate: 0.02, lrSchedule: "step:5:0.5" });
    expect(t.learningRate).toBe(0.02);
    for (let i = 0; i < 5; i++) t.step(false);
    expect(t.learningRate).toBe(0.01);
    for (let i = 0; i < 5; i++) t.step(false);
    expect(t.learningRate).toBe(0.005);
  });

  it("refuses noise on a layer that is not the inputs or a hidden dense layer, saying why", () => {
    expect(() => trainer({ regularizers: [{ kind: "gaussian-noise", sigma: 0.1, layers: [2] }] })).toThrow(
      ConfigError,
    );
    expect(() => trainer({ regularizers: [{ kind: "gaussian-noise", sigma: 0.1, layers: [2] }] })).toThrow(
      /layer 2 is not the inputs \(0\) or a hidden dense layer \(1…1\); a layered network takes no noise on its convolution or pooling outputs/,
    );
    // Two multiplicative noises on one layer: refused as the dense Trainer refuses them.
    const twice: RegularizerSpec[] = [
      { kind: "gaussian-dropout", rate: 0.1 },
      { kind: "gaussian-dropout", rate: 0.2, layers: [1] },
    ];
    expect(() => trainer({ regularizers: twice })).toThrow(/layer 1 has two multiplicative noises/);
  });

  it("noise trains only: prediction is the same whatever noise the trainer had", () => {
    const a = trainer({ regularizers: [{ kind: "gaussian-noise", sigma: 0.5, layers: [0, 1] }] });
    const b = trainer({});
    const data = bars(20, 3);
    // The same weights, so the same predictions: the noise layers belong to the trainer only.
    sameBits(a.net.logits(data.X), b.net.logits(data.X));
    a.trainer.step(false);
    b.trainer.step(false);
    expect(Array.from(a.net.weights[0])).not.toEqual(Array.from(b.net.weights[0]));
  });

  it("gives the same bits on the WebAssembly kernels as on the JavaScript ones, every setting on", () => {
    const a = trainer(EVERY_SETTING, "js");
    const b = trainer(EVERY_SETTING, "wasm");
    for (let i = 0; i < 8; i++) expect(b.trainer.step(true)).toBe(a.trainer.step(true));
    for (const [k, p] of a.net.parameters().entries()) sameBits(b.net.parameters()[k], p);
  });

  it("resumes from a checkpoint bit for bit with every setting on", () => {
    const settings = { iterations: 12, costEvery: 1, lambda: 0, batch: 16 };
    const whole = trainer(EVERY_SETTING);
    const run = new TrainingRun(whole.trainer, settings);
    run.advance(5);
    const state = run.getState();
    run.advance(100);
    const resumed = trainer(EVERY_SETTING);
    const again = new TrainingRun(resumed.trainer, settings);
    const text = checkpointToJSON({
      config: whole.config,
      data: fingerprintData(whole.trainer.data),
      extra: {},
      state,
    });
    again.restore(parseCheckpoint(text).state);
    again.advance(100);
    expect(again.history.costs).toEqual(run.history.costs);
    expect(run.history.costs.length).toBeGreaterThan(5);
    for (const [k, p] of whole.net.parameters().entries()) sameBits(resumed.net.parameters()[k], p);
  });
});
