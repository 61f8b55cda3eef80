import { describe, expect, it } from "vitest";
import { generateDataset } from "../../src/data/generators.js";
import type { Callback } from "../../src/training/callbacks.js";
import { ConfigError, resolveRunConfig } from "../../src/training/config.js";
import { DivergenceError, TrainingInterrupted } from "../../src/training/errors.js";
import { fit } from "../../src/training/train.js";

const moons = generateDataset("moons", { n: 120, seed: 2, testFraction: 0 }).train;

describe("fit and the training loop", () => {
  it("records the cost every costEvery iterations, iteration 0 first", async () => {
    const r = await fit(moons, { hidden: [8], iterations: 250, costEvery: 100 });
    expect(r.history.iterations).toEqual([0, 100, 200]);
    expect(r.history.costs[2]).toBeLessThan(r.history.costs[0]);
    expect(r.history.iterationsRun).toBe(250);
  });

  it("is deterministic for a seed, with mini-batches, dropout and Adam too", async () => {
    const config = {
      hidden: [8, 4],
      iterations: 200,
      batchSize: 32,
      keepProb: 0.8,
      optimizer: { name: "adam" as const },
      learningRate: 0.01,
      costEvery: 50,
    };
    const a = await fit(moons, config);
    const b = await fit(moons, config);
    expect(a.history.costs).toEqual(b.history.costs);
    expect(a.network.weights).toEqual(b.network.weights);
    const c = await fit(moons, { ...config, seed: 4 });
    expect(c.history.costs).not.toEqual(a.history.costs);
  });

  it("calls callbacks in order and stops when one asks", async () => {
    const seen: string[] = [];
    const cb: Callback = {
      onTrainBegin: () => seen.push("begin"),
      onCostRecorded: (_c, i) => seen.push(`cost ${i}`),
      onIterationEnd: (ctx, i) => {
        if (i === 15) ctx.stop("enough");
      },
      onTrainEnd: () => seen.push("end"),
    };
    const r = await fit(moons, { hidden: [4], iterations: 100, costEvery: 10 }, { callbacks: [cb] });
    expect(seen).toEqual(["begin", "cost 0", "cost 10", "end"]);
    expect(r.history.iterationsRun).toBe(16);
    expect(r.history.stopReason).toBe("enough");
  });

  it("ends an aborted run with TrainingInterrupted, never a result", async () => {
    const controller = new AbortController();
    const cb: Callback = { onIterationEnd: (_c, i) => i === 9 && controller.abort() };
    const run = fit(moons, { hidden: [4], iterations: 100 }, { callbacks: [cb], signal: controller.signal });
    await expect(run).rejects.toThrow(TrainingInterrupted);
    await expect(run).rejects.toThrow("training interrupted at iteration 10 of 100");
  });

  it("stops a diverging run with an error that names the learning rate", async () => {
    const run = fit(moons, {
      hidden: [8],
      activation: "tanh",
      learningRate: 5000,
      iterations: 3000,
      costEvery: 100,
    });
    await expect(run).rejects.toThrow(DivergenceError);
    await expect(run).rejects.toThrow(/learning rate 5000 is likely too large/);
  });

  it("validates every setting with a message that names it", () => {
    const bad: Array<[object, RegExp]> = [
      [{ learningRate: 0 }, /learningRate must be a number > 0, got 0/],
      [{ learningRate: -1 }, /learningRate/],
      [{ iterations: 0 }, /iterations/],
      [{ iterations: 2.5 }, /iterations/],
      [{ lambda: -0.1 }, /lambda/],
      [{ keepProb: 0 }, /keepProb/],
      [{ keepProb: 1.2 }, /keepProb/],
      [{ keepProb: [0.5] }, /2 hidden layers/],
      [{ hidden: [3, 0] }, /hidden layer size/],
      [{ dropoutMasks: "sometimes" }, /dropoutMasks must be one of fresh, fixed, got 'sometimes'/],
      [{ optimizer: { name: "sgdx" } }, /optimizer must be one of gd, momentum, adam/],
      [{ seed: -1 }, /seed/],
      [{ batchSize: -2 }, /batchSize must be a whole number ≥ 0/],
    ];
    for (const [config, message] of bad) {
      expect(() => resolveRunConfig(config as never), JSON.stringify(config)).toThrow(ConfigError);
      expect(() => resolveRunConfig(config as never)).toThrow(message);
    }
  });
});
