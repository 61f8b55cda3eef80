import { describe, expect, it } from "vitest";
import { describeConfig } from "../../src/experiments/describe-config.js";
import { DEFAULT_RUN_CONFIG, resolveRunConfig } from "../../src/training/config.js";

describe("describeConfig", () => {
  it("says the seed's configuration in one line", () => {
    expect(describeConfig(DEFAULT_RUN_CONFIG, 2)).toBe(
      "[2, 20, 3, 1] relu, reference init, seed 3 · gradient descent α = 0.3 · λ = 0 · no dropout · 30,000 iterations",
    );
  });

  it("names the optimizer, batches, decay, per-layer keepProb and early stopping", () => {
    const c = resolveRunConfig({
      optimizer: { name: "adam" },
      learningRate: 0.01,
      batchSize: 64,
      learningRateDecay: 0.5,
      lambda: 0.7,
      keepProb: [0.86, 1],
      dropoutMasks: "fixed",
      iterations: 2000,
    });
    expect(describeConfig(c, 5, { earlyStopping: { patience: 4 } })).toBe(
      "[5, 20, 3, 1] relu, reference init, seed 3 · Adam α = 0.01, batches of 64, decay 0.5 · λ = 0.7 · " +
        "keepProb 0.86, 1 (fixed masks) · early stopping, patience 4 · 2,000 iterations",
    );
  });

  it("leaves out what compared models differ in", () => {
    const c = resolveRunConfig({ lambda: 0.7, keepProb: 0.86 });
    const line = describeConfig(c, 2, { regularization: false, earlyStopping: { patience: 4 } });
    expect(line).toBe(
      "[2, 20, 3, 1] relu, reference init, seed 3 · gradient descent α = 0.3 · 30,000 iterations",
    );
  });
});

describe("describeConfig reads the settings table", () => {
  it("names every setting in use: L1, max-norm, noise, label smoothing, AdamW, a schedule", () => {
    const c = resolveRunConfig({
      optimizer: { name: "adam" },
      learningRate: 0.01,
      weightDecay: 0.05,
      lrSchedule: "cosine:100",
      labelSmoothing: 0.1,
      regularizers: [
        { kind: "l1", lambda: 0.01 },
        { kind: "max-norm", c: 3 },
        { kind: "gaussian-noise", sigma: 0.2 },
        { kind: "gaussian-dropout", rate: 0.3 },
      ],
    });
    expect(describeConfig(c, 2)).toBe(
      "[2, 20, 3, 1] relu, reference init, seed 3 · AdamW, weight decay 0.05, α = 0.01, schedule cosine:100 · " +
        "λ = 0 · no dropout · L1 λ₁ 0.01 · max-norm c 3 · Gaussian noise σ 0.2 · Gaussian dropout p 0.3 · " +
        "label smoothing ε 0.1 · 30,000 iterations",
    );
  });
});
