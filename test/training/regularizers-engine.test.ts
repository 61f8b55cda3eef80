import { describe, expect, it } from "vitest";
import { RandomState } from "../../src/core/random.js";
import { zeroWeights } from "../../src/core/regularizers.js";
import { generateDataset } from "../../src/data/generators.js";
import { buildNetwork } from "../../src/training/build.js";
import { checkpointToJSON, fingerprintData, parseCheckpoint } from "../../src/training/checkpoint.js";
import { type RunConfig, resolveRunConfig } from "../../src/training/config.js";
import type { RunState } from "../../src/training/run.js";
import { fit } from "../../src/training/train.js";
import { Trainer } from "../../src/training/trainer.js";

const moons = generateDataset("moons", { n: 200, seed: 3, testFraction: 0 }).train;
const base: Partial<RunConfig> = {
  hidden: [16, 8],
  iterations: 600,
  learningRate: 0.3,
  costEvery: 100,
  seed: 2,
};
const zeros = (ws: Float64Array[]) => zeroWeights(ws).reduce((a, b) => a + b, 0);
const rowNorms = (W: Float64Array, fanIn: number) =>
  Array.from({ length: W.length / fanIn }, (_, u) => Math.hypot(...W.subarray(u * fanIn, (u + 1) * fanIn)));

describe("the regularizers in training", () => {
  it("L1 makes weights exactly zero, more of them as λ grows; L2 alone makes none", async () => {
    const counts = [];
    for (const lambda of [0, 0.3, 3]) {
      const r = await fit(moons, { ...base, regularizers: [{ kind: "l1", lambda }] });
      counts.push(zeros(r.network.weights));
    }
    const l2 = await fit(moons, { ...base, lambda: 3 });
    expect(counts[0]).toBe(0);
    expect(zeros(l2.network.weights)).toBe(0);
    expect(counts[1]).toBeGreaterThan(0);
    expect(counts[2]).toBeGreaterThan(counts[1]);
  });

  it("max-norm keeps every unit's incoming weights within c; without it some row is longer", async () => {
    const c = 0.8;
    const on = await fit(moons, { ...base, regularizers: [{ kind: "max-norm", c }] });
    const off = await fit(moons, base);
    const sizes = on.network.sizes;
    const longest = (ws: Float64Array[]) => Math.max(...ws.flatMap((W, l) => rowNorms(W, sizes[l])));
    expect(longest(on.network.weights)).toBeLessThanOrEqual(c * (1 + 1e-12));
    expect(longest(off.network.weights)).toBeGreaterThan(c);
  });

  it("noise trains differently, the same for a seed, under both mask policies, and never at prediction", async () => {
    // Short: numpy's randn, bit for bit, is the slow part of Gaussian noise.
    const noisy: Partial<RunConfig> = {
      ...base,
      iterations: 150,
      keepProb: 0.9,
      regularizers: [
        { kind: "gaussian-noise", sigma: 0.2 },
        { kind: "gaussian-dropout", rate: 0.2 },
      ],
    };
    for (const dropoutMasks of ["fresh", "fixed"] as const) {
      const a = await fit(moons, { ...noisy, dropoutMasks });
      const b = await fit(moons, { ...noisy, dropoutMasks });
      const plain = await fit(moons, { ...noisy, regularizers: [], dropoutMasks });
      expect(a.history.costs).toEqual(b.history.costs);
      expect(a.history.costs).not.toEqual(plain.history.costs);
      expect(a.network.predictProba(moons.X)).toEqual(a.network.predictProba(moons.X));
    }
  });

  it("label smoothing makes the model less sure of itself", async () => {
    const sure = await fit(moons, base);
    const smooth = await fit(moons, { ...base, labelSmoothing: 0.2 });
    const confidence = (p: Float64Array) => p.reduce((s, v) => s + Math.max(v, 1 - v), 0) / p.length;
    expect(confidence(smooth.network.predictProba(moons.X))).toBeLessThan(
      confidence(sure.network.predictProba(moons.X)),
    );
  });

  it("AdamW's decay differs from Adam + L2 and shrinks the weights against plain Adam", async () => {
    const adam: Partial<RunConfig> = { ...base, optimizer: { name: "adam" }, learningRate: 0.01 };
    const plain = await fit(moons, adam);
    const decoupled = await fit(moons, { ...adam, weightDecay: 0.5 });
    const coupled = await fit(moons, { ...adam, lambda: 0.5 * moons.X.cols });
    const norm = (ws: Float64Array[]) => ws.reduce((s, W) => s + W.reduce((t, w) => t + w * w, 0), 0);
    expect(norm(decoupled.network.weights)).toBeLessThan(norm(plain.network.weights));
    expect(decoupled.history.costs).not.toEqual(coupled.history.costs);
  });

  it("a schedule sets the learning rate of every step", async () => {
    const seen: number[] = [];
    await fit(
      moons,
      { ...base, iterations: 10, lrSchedule: "step:4:0.5" },
      { callbacks: [{ onIterationEnd: (ctx) => seen.push(ctx.trainer.learningRate) }] },
    );
    // Read after step i, the rate of step i + 1.
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((t) => 0.3 * 0.5 ** Math.floor(t / 4)));
  });

  it("the trainer's one list holds every penalty; the cost bound and history read it", async () => {
    const config = resolveRunConfig({ ...base, lambda: 0.5, regularizers: [{ kind: "l1", lambda: 0.2 }] });
    const rng = new RandomState(config.seed);
    const net = buildNetwork(2, config, rng);
    const t = new Trainer(net, moons, config, rng);
    expect(t.penalties.map((p) => p.spec?.kind)).toEqual(["l2", "l1"]);
    const m = moons.X.cols;
    const abs = net.weights.reduce((s, W) => s + W.reduce((a, w) => a + Math.abs(w), 0), 0);
    const sq = net.weights.reduce((s, W) => s + W.reduce((a, w) => a + w * w, 0), 0);
    const expected = (1 / m) * (0.5 / 2) * sq + (0.2 / m) * abs;
    expect(t.penaltyCost(net.weights, m)).toBeCloseTo(expected, 14);
    t.step();
    expect(t.lastPenalty()).toBeCloseTo(expected, 14);
    const r = await fit(moons, config);
    expect(r.history.penalties).toHaveLength(r.history.costs.length);
    expect(r.history.penalties![0]).toBeCloseTo(expected, 14);
  });

  it("a checkpoint with every setting on resumes bit for bit", async () => {
    const config: Partial<RunConfig> = {
      ...base,
      keepProb: 0.8,
      batchSize: 64,
      optimizer: { name: "adam" },
      learningRate: 0.01,
      weightDecay: 0.01,
      labelSmoothing: 0.1,
      lrSchedule: "cosine:50",
      regularizers: [
        { kind: "l1", lambda: 0.05 },
        { kind: "max-norm", c: 2 },
        { kind: "gaussian-noise", sigma: 0.1, layers: [0, 1] },
        { kind: "gaussian-dropout", rate: 0.1 },
      ],
    };
    const whole = await fit(moons, config);
    let saved: string | undefined;
    const first = await fit(moons, config, {
      checkpointEvery: 250,
      onCheckpoint: (state: RunState) => {
        saved ??= checkpointToJSON({
          config: resolveRunConfig(config),
          data: fingerprintData(moons),
          extra: {},
          state,
        });
      },
    });
    expect(first.network.weights).toEqual(whole.network.weights);
    const ck = parseCheckpoint(saved!);
    expect(ck.config.regularizers).toEqual(config.regularizers);
    const resumed = await fit(moons, ck.config, { resume: ck.state });
    expect(resumed.history.costs).toEqual(whole.history.costs);
    for (let l = 0; l < whole.network.weights.length; l++) {
      expect(resumed.network.weights[l]).toEqual(whole.network.weights[l]);
    }
  });

  it("retune changes the regularizers live (the playground's path)", () => {
    const config = resolveRunConfig(base);
    const rng = new RandomState(config.seed);
    const net = buildNetwork(2, config, rng);
    const t = new Trainer(net, moons, config, rng, { retunableDropout: true });
    t.step();
    t.retune({
      regularizers: [
        { kind: "l1", lambda: 5 },
        { kind: "gaussian-noise", sigma: 0.3, layers: [0, 2] },
      ],
    });
    expect(t.penalties.map((p) => p.spec?.kind)).toEqual(["l2", "l1", "gaussian-noise"]);
    for (let i = 0; i < 300; i++) t.step();
    expect(zeros(net.weights)).toBeGreaterThan(0);
    const fixed = new Trainer(buildNetwork(2, config, new RandomState(1)), moons, config, new RandomState(1));
    expect(() => fixed.retune({ regularizers: [{ kind: "gaussian-noise", sigma: 0.3 }] })).toThrow(
      /retunableDropout/,
    );
  });
});
