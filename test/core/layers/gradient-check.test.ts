import { describe, expect, it } from "vitest";
import { LayeredNetwork, resolveLayers } from "../../../src/core/layers/network.js";
import { parseLayerSpecs, type TensorShape } from "../../../src/core/layers/spec.js";
import { matrix } from "../../../src/core/matrix.js";
import { RandomState } from "../../../src/core/random.js";
import type { Dataset } from "../../../src/data/dataset.js";
import { layeredGradientCheck } from "../../../src/training/layer-gradient-check.js";

/** m random images of `shape` in [0, 1) with labels 0…classes−1. */
function images(shape: TensorShape, m: number, classes: number, seed: number): Dataset {
  const rng = new RandomState(seed);
  const n = shape.height * shape.width * shape.channels;
  const X = matrix(n, m, rng.rand(n * m));
  const y = Uint8Array.from(rng.randint(0, classes, m));
  return { X, y, shape };
}

function check(
  text: string,
  shape: TensorShape,
  options: { classes?: number; lambda?: number; keepProbs?: number[]; activation?: "relu" | "tanh" } = {},
) {
  const classes = options.classes ?? 3;
  const data = images(shape, 5, classes, 7);
  const outputs = classes === 2 ? 1 : classes;
  const layers = resolveLayers(parseLayerSpecs(text), shape, outputs, options.keepProbs);
  const net = LayeredNetwork.initialize(layers, shape, new RandomState(2), {
    activation: options.activation ?? "relu",
  });
  // Biases away from 0 so ReLU and max pooling see no ties at the finite differences' scale.
  const rng = new RandomState(5);
  for (const b of net.biases) for (let i = 0; i < b.length; i++) b[i] = 0.1 * rng.randn(1)[0];
  return layeredGradientCheck(net, data, { lambda: options.lambda ?? 0 });
}

const THRESHOLD = 1e-6;

describe("gradient checks of every layer (backpropagation against finite differences)", () => {
  const cases: [string, TensorShape, Parameters<typeof check>[2]][] = [
    ["conv:3:3", { height: 6, width: 5, channels: 2 }, {}],
    ["conv:3:3:2:same", { height: 7, width: 6, channels: 2 }, { lambda: 0.7 }],
    ["conv:2:4:1:same,maxpool:2", { height: 6, width: 7, channels: 1 }, {}],
    ["conv:3:3,avgpool:2,4", { height: 7, width: 7, channels: 2 }, { classes: 2, lambda: 0.3 }],
    ["conv:4:3,spatial-dropout:0.5,maxpool:2,5", { height: 8, width: 8, channels: 1 }, { keepProbs: [0.6] }],
    ["conv:2:3,dropout:0.7,conv:3:3:1:same,avgpool:2:1,flatten,6", { height: 7, width: 6, channels: 2 }, {}],
    [
      "conv:3:3:2,maxpool:3:2,4",
      { height: 9, width: 9, channels: 3 },
      { activation: "tanh", keepProbs: [0.5] },
    ],
    ["6,4", { height: 1, width: 1, channels: 10 }, { keepProbs: [0.7, 0.8], lambda: 0.5 }],
  ];
  for (const [text, shape, options] of cases) {
    it(`${text} on ${shape.height}×${shape.width}×${shape.channels}${options?.keepProbs ? `, keepProb ${options.keepProbs}` : ""}${options?.lambda ? `, λ ${options.lambda}` : ""}`, () => {
      const r = check(text, shape, options);
      expect(r.parameterCount).toBeGreaterThan(0);
      expect(r.relativeDifference).toBeLessThan(THRESHOLD);
    });
  }

  it("runs with the dropout layers on (their masks change the gradient)", () => {
    const shape = { height: 8, width: 8, channels: 1 };
    const on = check("conv:4:3,spatial-dropout:0.5,maxpool:2,5", shape);
    const off = check("conv:4:3,spatial-dropout:1,maxpool:2,5", shape);
    expect(on.relativeDifference).toBeLessThan(THRESHOLD);
    expect(Array.from(on.analytic)).not.toEqual(Array.from(off.analytic));
  });
});
