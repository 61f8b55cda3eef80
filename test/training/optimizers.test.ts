import { describe, expect, it } from "vitest";
import { createOptimizer } from "../../src/core/optimizers.js";
import { RandomState } from "../../src/core/random.js";
import { generateDataset } from "../../src/data/generators.js";
import { buildNetwork } from "../../src/training/build.js";
import { resolveRunConfig } from "../../src/training/config.js";
import { fit as fitModel } from "../../src/training/train.js";
import { Trainer } from "../../src/training/trainer.js";

/** Two parameters [1, −2], then the gradients g1 = [0.5, −1] and g2 = [0.1, 0.2]. */
function steps(spec: Parameters<typeof createOptimizer>[0], lr: number): number[][] {
  const p = [Float64Array.of(1, -2)];
  const opt = createOptimizer(spec, p);
  const out: number[][] = [];
  for (const g of [
    [0.5, -1],
    [0.1, 0.2],
  ]) {
    opt.update(p, [Float64Array.from(g)], lr);
    out.push([...p[0]]);
  }
  return out;
}

describe("optimizers against hand-computed steps", () => {
  it("gradient descent: p − α·g", () => {
    // 1 − 0.1·0.5 = 0.95, −2 + 0.1 = −1.9; then 0.95 − 0.01 = 0.94, −1.9 − 0.02 = −1.92.
    const [s1, s2] = steps({ name: "gd" }, 0.1);
    expect(s1).toEqual([1 - 0.1 * 0.5, -2 - 0.1 * -1]);
    expect(s2[0]).toBeCloseTo(0.94, 15);
    expect(s2[1]).toBeCloseTo(-1.92, 15);
  });

  it("momentum (β = 0.9): v ← βv + (1−β)g, p ← p − α·v", () => {
    // v1 = 0.1·[0.5, −1] = [0.05, −0.1];           p = [1 − 0.005, −2 + 0.01] = [0.995, −1.99]
    // v2 = 0.9·[0.05, −0.1] + 0.1·[0.1, 0.2] = [0.055, −0.07]; p = [0.995 − 0.0055, −1.99 + 0.007]
    const [s1, s2] = steps({ name: "momentum", beta: 0.9 }, 0.1);
    expect(s1[0]).toBeCloseTo(0.995, 15);
    expect(s1[1]).toBeCloseTo(-1.99, 15);
    expect(s2[0]).toBeCloseTo(0.9895, 15);
    expect(s2[1]).toBeCloseTo(-1.983, 15);
  });

  it("Adam (β1 = 0.9, β2 = 0.999, ε = 1e-8) with bias correction", () => {
    // Step 1: m = 0.1·g, v = 0.001·g²; m̂ = m/(1 − 0.9) = g, v̂ = v/(1 − 0.999) = g², so the step is
    // α·g/(|g| + ε): p = 1 − 0.01·0.5/(0.5 + 1e-8), −2 + 0.01·1/(1 + 1e-8).
    // Step 2: m = 0.9·[0.05, −0.1] + 0.1·[0.1, 0.2] = [0.055, −0.07],
    //         v = 0.999·[0.00025, 0.001] + 0.001·[0.01, 0.04] = [0.00025975, 0.001039],
    //         m̂ = m/0.19, v̂ = v/0.001999 (1 − 0.9², 1 − 0.999²).
    const [s1, s2] = steps({ name: "adam" }, 0.01);
    const p1 = [1 - (0.01 * 0.5) / (0.5 + 1e-8), -2 + (0.01 * 1) / (1 + 1e-8)];
    expect(s1[0]).toBeCloseTo(p1[0], 15);
    expect(s1[1]).toBeCloseTo(p1[1], 15);
    const p2 = [
      p1[0] - (0.01 * (0.055 / 0.19)) / (Math.sqrt(0.00025975 / 0.001999) + 1e-8),
      p1[1] - (0.01 * (-0.07 / 0.19)) / (Math.sqrt(0.001039 / 0.001999) + 1e-8),
    ];
    expect(s2[0]).toBeCloseTo(p2[0], 14);
    expect(s2[1]).toBeCloseTo(p2[1], 14);
    // The same numbers from numpy-free arithmetic done independently (python floats).
    expect(s2[0]).toBeCloseTo(0.9819695906384652, 14);
    expect(s2[1]).toBeCloseTo(-1.9848897393990494, 14);
  });

  it("Adam's bias correction makes the first step α in size whatever the gradient's scale", () => {
    // Without the correction the first step would be α·0.1g/√(0.001g²) ≈ 3.16·α.
    for (const g of [1e-6, 1e-2, 1, 1e3]) {
      const p = [Float64Array.of(0)];
      createOptimizer({ name: "adam", epsilon: 1e-12 }, p).update(p, [Float64Array.of(g)], 0.05);
      expect(p[0][0]).toBeCloseTo(-0.05, 6);
    }
  });

  it("rejects bad hyper-parameters", () => {
    const p = [new Float64Array(1)];
    expect(() => createOptimizer({ name: "momentum", beta: 1 }, p)).toThrow(/momentum beta/);
    expect(() => createOptimizer({ name: "adam", beta2: -0.1 }, p)).toThrow(/beta2/);
    expect(() => createOptimizer({ name: "adam", epsilon: 0 }, p)).toThrow(/epsilon/);
  });
});

describe("mini-batches and learning-rate decay", () => {
  const data = generateDataset("moons").train;
  const m = data.X.cols;
  const config = {
    hidden: [8, 4],
    iterations: 300,
    learningRate: 0.1,
    seed: 5,
    batchSize: 32,
    costEvery: 10,
  };

  it("are deterministic for a seed and differ between seeds", async () => {
    const a = await fitModel(data, config);
    const b = await fitModel(data, config);
    const c = await fitModel(data, { ...config, seed: 6 });
    expect(a.history.costs).toEqual(b.history.costs);
    expect(a.network.weights).toEqual(b.network.weights);
    expect(c.history.costs).not.toEqual(a.history.costs);
  });

  it("reshuffle each epoch: the second epoch's batches differ from the first's", async () => {
    // With a constant network (α tiny), batch costs repeat only if the order repeats.
    const tiny = { ...config, learningRate: 1e-12, costEvery: 1, iterations: 2 * Math.ceil(m / 32) };
    const r = await fitModel(data, tiny);
    const perEpoch = Math.ceil(m / 32);
    const first = r.history.costs.slice(0, perEpoch);
    const second = r.history.costs.slice(perEpoch, 2 * perEpoch);
    expect(second).not.toEqual(first);
    // Every example is seen once per epoch: the batch costs, weighted by batch size, average to
    // the full-batch cost of the (unchanged) network.
    const sizes = Array.from({ length: perEpoch }, (_, k) => Math.min(32, m - 32 * k));
    const full = await fitModel(data, { ...tiny, batchSize: 0, iterations: 1 });
    for (const epoch of [first, second]) {
      const avg = epoch.reduce((s, c, k) => s + c * sizes[k], 0) / m;
      expect(avg).toBeCloseTo(full.history.costs[0], 9);
    }
  });

  it("a batch as large as the data is full-batch gradient descent, bit for bit", async () => {
    const full = await fitModel(data, { ...config, batchSize: 0 });
    const whole = await fitModel(data, { ...config, batchSize: m });
    const larger = await fitModel(data, { ...config, batchSize: m + 50 });
    expect(whole.history.costs).toEqual(full.history.costs);
    expect(larger.network.weights).toEqual(full.network.weights);
    const gd = await fitModel(data, { ...config, batchSize: 0, optimizer: { name: "gd" } });
    expect(gd.network.weights).toEqual(full.network.weights);
  });

  it("counts epochs and decays the learning rate as α/(1 + decay·epoch)", () => {
    const c = resolveRunConfig({ ...config, learningRateDecay: 0.5 });
    const rng = new RandomState(c.seed);
    const t = new Trainer(buildNetwork(data.X.rows, c, rng), data, c, rng);
    const perEpoch = Math.ceil(m / 32);
    expect(t.learningRate).toBe(0.1);
    for (let i = 0; i < perEpoch; i++) t.step(false);
    expect(t.epoch).toBe(1);
    expect(t.learningRate).toBeCloseTo(0.1 / 1.5, 15);
    for (let i = 0; i < 2 * perEpoch; i++) t.step(false);
    expect(t.epoch).toBe(3);
    expect(t.learningRate).toBeCloseTo(0.1 / 2.5, 15);
  });

  it("momentum and Adam train the network (the cost falls)", async () => {
    for (const optimizer of [{ name: "momentum" as const }, { name: "adam" as const }]) {
      const r = await fitModel(data, {
        ...config,
        optimizer,
        learningRate: optimizer.name === "adam" ? 0.01 : 0.1,
      });
      expect(r.history.costs.at(-1)!).toBeLessThan(0.8 * r.history.costs[0]);
    }
  });
});
