import { describe, expect, it } from "vitest";
import { RandomState } from "../../src/core/random.js";
import { buildNetwork } from "../../src/training/build.js";
import { ConfigError, resolveRunConfig } from "../../src/training/config.js";
import { checkTrainingMemory, estimateTrainingBytes, parameterCount } from "../../src/training/memory.js";

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
