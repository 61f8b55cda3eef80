import { describe, expect, it } from "vitest";
import type { Kernels } from "../../src/core/kernels.js";
import { parseLayerSpecs } from "../../src/core/layers/spec.js";
import type { RandomState } from "../../src/core/random.js";
import { RandomState as Rng } from "../../src/core/random.js";
import { kernelMemory } from "../../src/core/wasm-kernels.js";
import { batchTransform, parseAugmentation } from "../../src/data/augment/index.js";
import type { Dataset } from "../../src/data/dataset.js";
import { generateDataset } from "../../src/data/generators.js";
import { fitLayered } from "../../src/training/layer-trainer.js";
import { fit } from "../../src/training/train.js";
import type { TrainerOptions } from "../../src/training/trainer.js";
import { BARS_SHAPE, bars } from "../support/bars.js";

const data = generateDataset("moons").train;

/** The hook, with its `from` counted. */
function countingFrom(hook: ReturnType<typeof batchTransform>) {
  let calls = 0;
  return Object.assign((X: Float64Array, f: number, e: number, r: RandomState) => hook(X, f, e, r), {
    from: (source: Float64Array, X: Float64Array, f: number, e: number, r: RandomState) => {
      calls++;
      hook.from(source, X, f, e, r);
    },
    fromCalls: () => calls,
  });
}
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

  it("a hook's `from` (the batch written from the data, no copy first) trains as the hook in place", async () => {
    const shape = { height: 5, width: 4, channels: 2 };
    const n = 5 * 4 * 2;
    const k = 90;
    const rng = new Rng(7);
    const images: Dataset = {
      X: { rows: n, cols: k, data: rng.rand(n * k) },
      y: Uint8Array.from({ length: k }, () => (rng.random() < 0.5 ? 1 : 0)),
      shape,
    };
    for (const [spec, batchSize] of [
      ["flip,crop:1", undefined],
      ["flip", undefined],
      ["crop:2", 32],
    ] as const) {
      const config = {
        hidden: [3],
        iterations: 12,
        costEvery: 1,
        learningRate: 0.1,
        ...(batchSize && { batchSize }),
      };
      const hook = batchTransform(parseAugmentation(spec), shape);
      expect(hook.from).toBeDefined();
      const inPlace = batchTransform(parseAugmentation(spec), shape);
      const counted = countingFrom(hook);
      const a = await fit(images, config, { transform: counted });
      // The trainer writes a full batch through `from`; mini-batches are gathered, then changed in place.
      expect(counted.fromCalls()).toBe(batchSize ? 0 : 12);
      const b = await fit(images, config, { transform: (X, f, e, r) => inPlace(X, f, e, r) });
      expect(a.history.costs).toEqual(b.history.costs);
      expect(Array.from(a.network.weights[0])).toEqual(Array.from(b.network.weights[0]));
    }
  });

  it.each([
    ["a dense", (d: Dataset, c: object, o: TrainerOptions) => fit(d, { ...c, hidden: [3] }, o)],
    [
      "a layered",
      (d: Dataset, c: object, o: TrainerOptions) => fitLayered(d, parseLayerSpecs("conv:2:3:1:same,4"), c, o),
    ],
  ] as const)(
    "a hook attached to %s network's kernels (the batch written in their memory) trains as the hook in place",
    async (_, train) => {
      const shape = { height: 5, width: 4, channels: 2 };
      const n = 5 * 4 * 2;
      const k = 90;
      const rng = new Rng(9);
      // Pixel values k/255: a full batch's source is kept as bytes.
      const images: Dataset = {
        X: { rows: n, cols: k, data: rng.rand(n * k).map((u) => Math.floor(u * 256) / 255) },
        y: Uint8Array.from({ length: k }, () => (rng.random() < 0.5 ? 1 : 0)),
        shape,
      };
      for (const batchSize of [undefined, 32]) {
        const config = {
          iterations: 12,
          costEvery: 1,
          learningRate: 0.1,
          ...(batchSize && { batchSize }),
        };
        const hook = batchTransform(parseAugmentation("flip,crop:2"), shape);
        const attached: boolean[] = [];
        const watched = Object.assign(
          (X: Float64Array, f: number, e: number, r: RandomState) => hook(X, f, e, r),
          {
            from: hook.from,
            kernelDoubles: hook.kernelDoubles,
            attach: (kernels: Kernels, f: number, e: number) => {
              attached.push(kernelMemory(kernels) !== undefined);
              hook.attach(kernels, f, e);
            },
          },
        );
        const a = await train(images, config, { transform: watched });
        expect(attached).toEqual([true]);
        const inPlace = batchTransform(parseAugmentation("flip,crop:2"), shape);
        const b = await train(images, config, { transform: (X, f, e, r) => inPlace(X, f, e, r) });
        expect(a.history.costs).toEqual(b.history.costs);
        expect(Array.from(a.network.weights[0])).toEqual(Array.from(b.network.weights[0]));
      }
    },
  );

  it("a layered network's full batch goes through `from` too, as the hook in place", async () => {
    const data = bars(40, 3);
    const layers = parseLayerSpecs("conv:3:3:1:same,maxpool:2,8");
    const config = { iterations: 5, costEvery: 1, learningRate: 0.05 };
    const hook = batchTransform(parseAugmentation("flip,crop:1"), BARS_SHAPE);
    const counted = countingFrom(hook);
    const inPlace = batchTransform(parseAugmentation("flip,crop:1"), BARS_SHAPE);
    const a = await fitLayered(data, layers, config, { transform: counted });
    const b = await fitLayered(data, layers, config, { transform: (X, f, e, r) => inPlace(X, f, e, r) });
    expect(counted.fromCalls()).toBe(5);
    expect(a.history.costs).toEqual(b.history.costs);
  });
});
