import { describe, expect, it } from "vitest";
import type { RandomState } from "../../src/core/random.js";
import { generateDataset } from "../../src/data/generators.js";
import { fit } from "../../src/training/train.js";

const data = generateDataset("moons").train;
const m = data.X.cols;
const base = { hidden: [5], iterations: 30, costEvery: 1, learningRate: 0.3 };

describe("the trainer's per-batch transform (online augmentation)", () => {
  it("sees every full batch afresh, never changes the dataset, and an identity changes nothing", async () => {
    const before = data.X.data.slice();
    const calls: [number, number][] = [];
    const plain = await fit(data, base);
    const hooked = await fit(data, base, {
      transform: (X, features, examples) => {
        calls.push([features, examples]);
        expect(X).toHaveLength(features * examples);
        // What a previous call did must be gone: the batch is copied from the data each step.
        expect(X[0]).toBe(data.X.data[0]);
        X.fill(X[0]);
      },
    });
    expect(calls).toHaveLength(30);
    expect(calls[0]).toEqual([2, m]);
    expect(Array.from(data.X.data)).toEqual(Array.from(before));
    expect(hooked.history.costs).not.toEqual(plain.history.costs);
    const identity = await fit(data, base, { transform: () => {} });
    expect(identity.history.costs).toEqual(plain.history.costs);
  });

  it("gets each mini-batch's columns, and a transform drawing from the run's generator is reproducible", async () => {
    const sizes: number[] = [];
    const jitter = (X: Float64Array, _f: number, examples: number, rng: RandomState) => {
      sizes.push(examples);
      const noise = rng.randn(X.length);
      for (let i = 0; i < X.length; i++) X[i] += 0.1 * noise[i];
    };
    const config = { ...base, batchSize: 64, iterations: Math.ceil(m / 64) };
    const a = await fit(data, config, { transform: jitter });
    expect(sizes.reduce((s, n) => s + n, 0)).toBe(m);
    const b = await fit(data, config, { transform: jitter });
    expect(b.history.costs).toEqual(a.history.costs);
    expect(Array.from(b.network.weights[0])).toEqual(Array.from(a.network.weights[0]));
  });
});
