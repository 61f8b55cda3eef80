import { describe, expect, it } from "vitest";
import { jsKernels } from "../../src/core/kernels.js";
import { LayeredNetwork } from "../../src/core/layers/network.js";
import { parseLayerSpecs } from "../../src/core/layers/spec.js";
import { matrix } from "../../src/core/matrix.js";
import { RandomState } from "../../src/core/random.js";
import { estimateLayeredSeconds } from "../../src/experiments/data-defaults.js";
import { buildNetwork } from "../../src/training/build.js";
import { ConfigError, resolveRunConfig } from "../../src/training/config.js";
import { fitLayered } from "../../src/training/layer-trainer.js";
import {
  checkLayeredTrainingMemory,
  checkTrainingMemory,
  estimateLayeredTrainingMemory,
  estimateTrainingBytes,
  layeredMultiplyAdds,
  layeredParameterCount,
  parameterCount,
} from "../../src/training/memory.js";

describe("the memory estimate refuses networks that cannot fit, before allocating", () => {
  it("counts weights and biases, the trainer's copies, optimizer state and the batch's buffers", () => {
    expect(parameterCount([2, 20, 3, 1])).toBe(2 * 20 + 20 + 20 * 3 + 3 + 3 + 1);
    const params = parameterCount([2, 20, 3, 1]);
    // No examples: the network, the trainer's copy and the gradients.
    expect(estimateTrainingBytes([2, 20, 3, 1])).toBe(8 * 3 * params);
    expect(estimateTrainingBytes([2, 20, 3, 1], 0, { optimizer: { name: "adam" } })).toBe(8 * 5 * params);
    // 211 examples: per example the input and a bias row, and Z, A, dZ of each layer.
    expect(estimateTrainingBytes([2, 20, 3, 1], 211)).toBe(8 * (3 * params + 211 * (3 + 3 * (20 + 3 + 1))));
    // A mini-batch bounds the per-example part; dropout adds two mask buffers per hidden layer.
    expect(estimateTrainingBytes([2, 20, 3, 1], 1000, { batchSize: 10, keepProb: 0.5 })).toBe(
      8 * (3 * params + 10 * (3 + 5 * 20 + 5 * 3 + 3)),
    );
  });

  it("--layers 100000,100000 is refused with its estimate; the seed's network is not", () => {
    expect(() => checkTrainingMemory([2, 100000, 100000, 1])).toThrow(
      /the network \[2, 100000, 100000, 1\] has 10,000,500,001 weights; training it needs about 240 GB/,
    );
    expect(() => checkTrainingMemory([2, 20, 3, 1], 211)).not.toThrow();
    expect(() => checkTrainingMemory([2, 1000, 1], 1_000_000)).toThrow(
      /on 1000000 examples .* or a --batch-size/,
    );
    const config = resolveRunConfig({ hidden: [100000, 100000] });
    expect(() => buildNetwork(2, config, new RandomState(0))).toThrow(ConfigError);
  });
});

describe("the memory estimate of a layered (convolutional) network", () => {
  // 6 × 6 × 1 images → conv:2:3 (4 × 4 × 2) → maxpool:2 (2 × 2 × 2) → flatten (8) → dense 3.
  const input = { height: 6, width: 6, channels: 1 };
  const layers = parseLayerSpecs("conv:2:3,maxpool:2,flatten,3");

  it("matches a hand count for a small conv net, layer by layer", () => {
    // Weights: conv 3·3·1·2 + 2 = 20, dense 8·3 + 3 = 27.
    expect(layeredParameterCount(layers, input)).toBe(47);
    const m = estimateLayeredTrainingMemory(layers, input, 100, { batchSize: 5 });
    // Batch 5. conv (first layer, no input gradient): Wt 18 + bk 2 + dWt 18 + db 2, patches 9 × 16
    // positions × 5 = 720, z and dz 2 × 80 each, output 160 → 1240; maxpool: output 40, dx 160;
    // dense (output): Wk 24 + bk 3 + grads 27, out and dz 15 each, dx 40 → 124; the trainer's
    // batch: inputs 36 × 5, labels 5, output gradients 3 × 5 → 200.
    expect(m.kernelDoubles).toBe(1240 + 200 + 124 + 200);
    // Outside the kernels: W and b (47), the conv's gradients and gradient sums (2 × 20); maxpool's
    // argmax, 40 four-byte integers.
    expect(m.bytes).toBe(8 * (1764 + 47 + 40) + 4 * 40);
    // Adam keeps two more copies of the 47 parameters.
    expect(
      estimateLayeredTrainingMemory(layers, input, 100, { batchSize: 5, optimizer: { name: "adam" } }).bytes,
    ).toBe(m.bytes + 8 * 2 * 47);
  });

  it("counts a forward pass's multiply-adds for the time estimate", () => {
    // conv 4 × 4 positions × 3·3·1 × 2 filters = 288; maxpool one per input value, 32; flatten 8;
    // dense 8 × 3 = 24.
    expect(layeredMultiplyAdds(layers, input)).toBe(288 + 32 + 8 + 24);
    const config = resolveRunConfig({ iterations: 10, batchSize: 5 });
    expect(estimateLayeredSeconds(352, 100, config)).toBeCloseTo(10 * ((6 * 352 * 5) / 1e9 + 1e-4), 12);
  });

  it("counts the kernels' memory as the layer trainer sizes it", () => {
    for (const text of [
      "conv:2:3,maxpool:2,flatten,3",
      "conv:3:3:2:same,spatial-dropout:0.5,avgpool:2,8,dropout:0.5,4",
    ]) {
      const specs = parseLayerSpecs(text);
      const net = LayeredNetwork.initialize(specs, input, new RandomState(0));
      for (const batch of [1, 7, 64]) {
        let counted = (36 + 1 + net.outputs) * batch;
        const alloc = (n: number) => {
          counted += n;
          return new Float64Array(0);
        };
        net.buildLayers({ ...jsKernels, alloc }, batch);
        expect(
          estimateLayeredTrainingMemory(specs, input, 1000, { batchSize: batch }).kernelDoubles,
          text,
        ).toBe(counted);
      }
    }
  });

  it("refuses a CNN that cannot fit before drawing a weight, with its estimate", async () => {
    const big = parseLayerSpecs("conv:512:3:1:same,conv:512:3:1:same,10");
    const images = { height: 64, width: 64, channels: 3 };
    expect(() => checkLayeredTrainingMemory(big, images, 209)).toThrow(
      /^the network \[conv:512:3:1:same, conv:512:3:1:same, 10\] has [\d,]+ weights; training it on 209 examples needs about \d+ GB, more than the 4\.3 GB reglab allows/,
    );
    expect(() => checkLayeredTrainingMemory(layers, input, 100)).not.toThrow();
    const X = matrix(64 * 64 * 3, 209);
    const data = { X, y: Uint8Array.from({ length: 209 }, (_, j) => j % 2), shape: images };
    await expect(fitLayered(data, big.slice(0, 2), { iterations: 1 })).rejects.toThrow(ConfigError);
  });
});
