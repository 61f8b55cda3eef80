import { describe, expect, it } from "vitest";
import { RandomState } from "../../src/core/random.js";
import type { Regularizer } from "../../src/core/regularizers.js";
import { batchTransform, parseAugmentation } from "../../src/data/augment/index.js";
import type { Dataset } from "../../src/data/dataset.js";
import { generateDataset } from "../../src/data/generators.js";
import { trainDevSplit } from "../../src/data/split.js";
import type { Callback } from "../../src/training/callbacks.js";
import { checkpointToJSON, fingerprintData, parseCheckpoint } from "../../src/training/checkpoint.js";
import type { RunConfig } from "../../src/training/config.js";
import { earlyStopping } from "../../src/training/early-stopping.js";
import { DivergenceError, TrainingInterrupted } from "../../src/training/errors.js";
import type { RunState } from "../../src/training/run.js";
import { fit } from "../../src/training/train.js";

const moons = generateDataset("moons", { n: 200, seed: 5, testFraction: 0 }).train;

/** Interrupts a fit at iteration `at` and returns the checkpoint it hands out then. */
async function interruptedAt(
  config: Partial<RunConfig>,
  at: number,
  callbacks: () => Callback[] = () => [],
): Promise<RunState> {
  const controller = new AbortController();
  let saved: RunState | undefined;
  const stop: Callback = { onIterationEnd: (_c, i) => i + 1 === at && controller.abort() };
  await expect(
    fit(moons, config, {
      callbacks: [...callbacks(), stop],
      signal: controller.signal,
      checkpointEvery: 1_000_000,
      onCheckpoint: (s) => {
        saved = s;
      },
    }),
  ).rejects.toThrow(TrainingInterrupted);
  if (!saved) throw new Error("no checkpoint on interrupt");
  // Through the file format, as --resume reads it.
  const file = checkpointToJSON({
    config: config as RunConfig,
    data: fingerprintData(moons),
    extra: {},
    state: saved,
  });
  const back = parseCheckpoint(file).state;
  back.callbacks.pop(); // the stop callback is not part of the resumed run
  return back;
}

describe("the training run: interrupted and resumed equals uninterrupted, to the bit", () => {
  const cases: [string, Partial<RunConfig>][] = [
    [
      "fresh dropout masks, Adam, mini-batches",
      {
        hidden: [12, 6],
        iterations: 700,
        costEvery: 50,
        keepProb: [0.8, 0.9],
        dropoutMasks: "fresh",
        optimizer: { name: "adam" },
        learningRate: 0.01,
        batchSize: 48,
        seed: 11,
      },
    ],
    [
      "fixed masks, momentum, L2, full batch",
      {
        hidden: [8],
        iterations: 400,
        costEvery: 25,
        keepProb: 0.7,
        dropoutMasks: "fixed",
        optimizer: { name: "momentum" },
        lambda: 0.3,
        learningRate: 0.2,
      },
    ],
  ];
  for (const [name, config] of cases) {
    it(name, async () => {
      const whole = await fit(moons, config);
      // Stop mid-epoch (batch 48 does not divide 200) and at an odd iteration.
      const state = await interruptedAt(config, 333);
      const resumed = await fit(moons, config, { resume: state });
      expect(resumed.history.costs).toEqual(whole.history.costs);
      expect(resumed.history.iterations).toEqual(whole.history.iterations);
      expect(resumed.history.iterationsRun).toBe(whole.history.iterationsRun);
      for (let l = 0; l < whole.network.weights.length; l++) {
        expect(resumed.network.weights[l]).toEqual(whole.network.weights[l]);
        expect(resumed.network.biases[l]).toEqual(whole.network.biases[l]);
      }
    });
  }

  it("with online augmentation (flip, crop, elastic on images): the batches' draws resume too", async () => {
    // 40 grey 6×6 images; the transforms draw from the run's generator, which the checkpoint holds.
    const rng = new RandomState(8);
    const m = 40;
    const X = Float64Array.from(rng.rand(36 * m));
    const y = Uint8Array.from({ length: m }, (_, j) => j % 2);
    const images: Dataset = {
      X: { rows: 36, cols: m, data: X },
      y,
      shape: { height: 6, width: 6, channels: 1 },
    };
    const transform = batchTransform(parseAugmentation("flip,crop:1,elastic:alpha=2,sigma=1"), images.shape);
    const config = { hidden: [8], iterations: 300, costEvery: 20, batchSize: 16, learningRate: 0.1, seed: 6 };
    const whole = await fit(images, config, { transform });
    const controller = new AbortController();
    let saved: RunState | undefined;
    await expect(
      fit(images, config, {
        transform,
        callbacks: [{ onIterationEnd: (_c, i) => i + 1 === 137 && controller.abort() }],
        signal: controller.signal,
        onCheckpoint: (s) => {
          saved = s;
        },
      }),
    ).rejects.toThrow(TrainingInterrupted);
    const state = parseCheckpoint(
      checkpointToJSON({
        config: config as RunConfig,
        data: fingerprintData(images),
        extra: {},
        state: saved!,
      }),
    ).state;
    state.callbacks.pop();
    const resumed = await fit(images, config, { transform, resume: state });
    expect(resumed.history.costs).toEqual(whole.history.costs);
    expect(resumed.network.weights).toEqual(whole.network.weights);
    // And the augmentation did change the run: without it the weights differ.
    const plain = await fit(images, config);
    expect(plain.network.weights[0]).not.toEqual(whole.network.weights[0]);
  });

  it("with early stopping: same stop, same best, same restored weights", async () => {
    const { train, dev } = trainDevSplit(moons, 0.25, new RandomState(3));
    const config = { hidden: [16, 8], iterations: 3000, costEvery: 100, learningRate: 0.5, seed: 4 };
    const es = () => earlyStopping({ dev, patience: 3, evaluateEvery: 50 });
    const a = es();
    const whole = await fit(train, config, { callbacks: [a] });
    expect(a.stoppedAt).toBeDefined();
    const controller = new AbortController();
    let saved: RunState | undefined;
    await expect(
      fit(train, config, {
        callbacks: [es(), { onIterationEnd: (_c, i) => i + 1 === 120 && controller.abort() }],
        signal: controller.signal,
        onCheckpoint: (s) => {
          saved = s;
        },
      }),
    ).rejects.toThrow(TrainingInterrupted);
    const state = parseCheckpoint(
      checkpointToJSON({ config: config as RunConfig, data: "", extra: {}, state: saved as RunState }),
    ).state;
    state.callbacks.pop();
    const b = es();
    const resumed = await fit(train, config, { callbacks: [b], resume: state });
    expect(b.stoppedAt).toBe(a.stoppedAt);
    expect(b.bestIteration).toBe(a.bestIteration);
    expect(resumed.history.evaluations).toEqual(whole.history.evaluations);
    expect(resumed.network.weights).toEqual(whole.network.weights);
  });

  it("hands out a checkpoint every checkpointEvery iterations", async () => {
    const at: number[] = [];
    await fit(
      moons,
      { hidden: [4], iterations: 250 },
      {
        checkpointEvery: 100,
        onCheckpoint: (s) => {
          at.push(s.trainer.iteration);
        },
      },
    );
    expect(at).toEqual([100, 200]);
  });

  it("refuses a checkpoint of another network", async () => {
    const state = await interruptedAt({ hidden: [4], iterations: 50 }, 10);
    await expect(fit(moons, { hidden: [5], iterations: 50 }, { resume: state })).rejects.toThrow(
      /do not fit this network/,
    );
  });
});

describe("the divergence rule: every blow-up ends the run with a cause, at any cost cadence", () => {
  const base = { hidden: [20, 3], costEvery: 1e9 };
  const diverges = async (config: Partial<RunConfig>, cause: RegExp, data = moons) => {
    const run = fit(data, { ...base, ...config });
    await expect(run).rejects.toThrow(DivergenceError);
    await expect(run).rejects.toThrow(cause);
  };

  it("a huge learning rate, though the cost is recorded only at iteration 0", () =>
    diverges({ learningRate: 1e6, iterations: 1000 }, /learning rate 1e\+?6 is likely too large/));
  it("a learning rate that overshoots to a flat, bad plateau", () =>
    diverges({ learningRate: 100, iterations: 3000 }, /learning rate 100 is likely too large/));
  it("adam and momentum with a huge step", async () => {
    await diverges({ learningRate: 1e4, iterations: 2000, optimizer: { name: "adam" } }, /learning rate/);
    await diverges({ learningRate: 1e4, iterations: 2000, optimizer: { name: "momentum" } }, /learning rate/);
  });
  it("tanh with a huge step", () =>
    diverges({ learningRate: 1e5, iterations: 2000, activation: "tanh" }, /learning rate/));
  it("a λ whose decay step overshoots names λ", () =>
    diverges({ lambda: 1e12, iterations: 5 }, /λ = 1e\+?12 is too strong/));
  it("huge features name the features, not the learning rate", async () => {
    const X = moons.X.data.slice();
    for (let j = 0; j < moons.X.cols; j++) X[moons.X.cols + j] *= 1e300;
    const huge = { X: { ...moons.X, data: X }, y: moons.y };
    await diverges({ iterations: 100 }, /feature 2 reaches 1(\.\d+)?e\+?30\d: standardize/, huge);
  });
  it("early stopping does not hide it", async () => {
    const { train, dev } = trainDevSplit(moons, 0.25, new RandomState(3));
    const run = fit(
      train,
      { ...base, learningRate: 100, iterations: 3000 },
      {
        callbacks: [earlyStopping({ dev, patience: 1000 })],
      },
    );
    await expect(run).rejects.toThrow(DivergenceError);
  });
  it("healthy runs are left alone: the seed's setting, noisy small batches, strong but sane L2", async () => {
    await fit(moons, { hidden: [20, 3], iterations: 3000 });
    await fit(moons, { hidden: [8], iterations: 3000, batchSize: 1, learningRate: 0.05, keepProb: 0.5 });
    await fit(moons, { hidden: [8], iterations: 3000, lambda: 50 });
  });
});

describe("the history's weight norms", () => {
  it("equal ‖W_l‖² of the weights each recorded cost was computed with", async () => {
    const config = { hidden: [10, 4], iterations: 1000, costEvery: 100, lambda: 0.2, seed: 6 };
    const long = await fit(moons, config);
    expect(long.history.weightNorms).toHaveLength(10);
    for (const k of [0, 3, 7]) {
      const short = await fit(moons, { ...config, iterations: Math.max(1, k * 100) });
      const net =
        k === 0
          ? (await fit(moons, { ...config, iterations: 1, learningRate: 1e-300 })).network
          : short.network;
      const direct = net.weights.map((W) => W.reduce((s, w) => s + w * w, 0));
      expect(long.history.weightNorms[k]).toEqual(direct);
    }
  });
});

describe("extension points", () => {
  it("an L1 penalty written here trains without touching the trainer", async () => {
    const lambda = 0.5;
    const l1: Regularizer = {
      name: "L1",
      cost: (weights, m) => {
        let s = 0;
        for (const W of weights) for (const w of W) s += Math.abs(w);
        return (lambda / m) * s;
      },
      addGradient: (dW, W, _layer, m) => {
        for (let i = 0; i < W.length; i++) dW[i] += (lambda / m) * Math.sign(W[i]);
      },
    };
    const config = { hidden: [16], iterations: 2000, seed: 2 };
    const plain = await fit(moons, config);
    const sparse = await fit(moons, config, { regularizers: [l1] });
    const small = (ws: Float64Array[]) => ws.flatMap((W) => [...W]).filter((w) => Math.abs(w) < 1e-2).length;
    // L1 drives weights to (near) zero; its cost term is in the objective.
    expect(small(sparse.network.weights)).toBeGreaterThan(small(plain.network.weights) + 5);
    expect(sparse.history.costs[0]).toBeGreaterThan(plain.history.costs[0]);
  });
});
