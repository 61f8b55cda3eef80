import { describe, expect, it } from "vitest";
import { RandomState } from "../../src/core/random.js";
import { generateDataset } from "../../src/data/generators.js";
import { buildNetwork } from "../../src/training/build.js";
import { type RunConfig, resolveRunConfig } from "../../src/training/config.js";
import { type Retune, Trainer } from "../../src/training/trainer.js";

const data = generateDataset("moons", { n: 120, seed: 3 }).train;

function config(over: Partial<RunConfig> = {}): RunConfig {
  return resolveRunConfig({ hidden: [6, 4], seed: 5, learningRate: 0.2, ...over });
}

function trainer(c: RunConfig, retunableDropout = false): Trainer {
  const rng = new RandomState(c.seed);
  const net = buildNetwork(data.X.rows, c, rng);
  return new Trainer(net, data, c, rng, { kernels: "js", retunableDropout });
}

function weights(t: Trainer): number[][] {
  return t.network.parameters().map((p) => [...p]);
}

/**
 * `before` trains `k` steps, is retuned with `change`, and trains `k` more. The reference trains
 * the same `k` steps, then hands its weights and state (generator, batch order, optimizer) to a
 * fresh trainer built with `after`, which trains the last `k`: a retune must be exactly that.
 */
function compare(before: RunConfig, change: Retune, after: RunConfig, keepOptimizer = true): void {
  const k = 25;
  const live = trainer(before, true);
  for (let i = 0; i < k; i++) live.step();
  live.retune(change);
  for (let i = 0; i < k; i++) live.step();

  const first = trainer(before, true);
  for (let i = 0; i < k; i++) first.step();
  const net = first.network.clone();
  const second = new Trainer(net, data, after, new RandomState(0), { kernels: "js" });
  const state = first.getState();
  second.setState(keepOptimizer ? state : { ...state, optimizer: second.getState().optimizer });
  for (let i = 0; i < k; i++) second.step();

  expect(weights(live)).toEqual(weights(second));
  expect(live.iteration).toBe(2 * k);
}

describe("Trainer.retune", () => {
  it("changes nothing when built for retuning but never retuned (bit for bit)", () => {
    for (const keepProb of [1, 0.8, [1, 0.7]]) {
      const c = config({ keepProb });
      const plain = trainer(c);
      const retunable = trainer(c, true);
      for (let i = 0; i < 40; i++) expect(retunable.step()).toBe(plain.step());
      expect(weights(retunable)).toEqual(weights(plain));
    }
  });

  it("takes a new learning rate and decay from the next step on", () => {
    compare(config(), { learningRate: 0.05 }, config({ learningRate: 0.05 }));
    const batches = { batchSize: 32 };
    compare(config(batches), { learningRateDecay: 0.5 }, config({ ...batches, learningRateDecay: 0.5 }));
  });

  it("takes a new λ: the cost and the weight decay change together", () => {
    compare(config(), { lambda: 0.7 }, config({ lambda: 0.7 }));
    compare(config({ lambda: 0.7 }), { lambda: 0 }, config());
  });

  it("turns dropout on, changes it and turns it off, with either mask policy", () => {
    compare(config(), { keepProb: 0.86 }, config({ keepProb: 0.86 }));
    compare(config({ keepProb: 0.5 }), { keepProb: [1, 0.9] }, config({ keepProb: [1, 0.9] }));
    compare(config({ keepProb: 0.8 }), { keepProb: 1 }, config());
    const fixed = { dropoutMasks: "fixed" as const };
    compare(config({ ...fixed, keepProb: 0.8 }), { keepProb: 0.6 }, config({ ...fixed, keepProb: 0.6 }));
    compare(config({ keepProb: 0.8 }), { dropoutMasks: "fixed" }, config({ ...fixed, keepProb: 0.8 }));
  });

  it("switches the optimizer with fresh moments", () => {
    compare(config(), { optimizer: { name: "adam" } }, config({ optimizer: { name: "adam" } }), false);
    compare(config({ optimizer: { name: "momentum" } }), { optimizer: { name: "gd" } }, config(), false);
  });

  it("refuses what it cannot do, before changing anything", () => {
    const c = config();
    const t = trainer(c);
    expect(() => t.retune({ keepProb: 0.5 })).toThrow(/retunableDropout/);
    const r = trainer(c, true);
    expect(() => r.retune({ lambda: 0.3, keepProb: [0.5] })).toThrow(/2 hidden layers/);
    expect(() => r.retune({ lambda: 0.3, learningRate: 0 })).toThrow(/learningRate/);
    expect(() => r.retune({ lambda: -1 })).toThrow(/lambda/);
    // Nothing changed: it still trains exactly as an untouched trainer.
    const plain = trainer(c);
    for (let i = 0; i < 10; i++) expect(r.step()).toBe(plain.step());
    expect(r.keepProbs).toEqual([1, 1]);
  });
});
