// LayerTrainer.retune: a retuned layered run is the run built with the new settings from the same
// weights and state (as Trainer.retune's tests assert for the dense one), and its checkpoint resumes.
import { describe, expect, it } from "vitest";
import { LayeredNetwork, resolveLayers } from "../../src/core/layers/network.js";
import { parseLayerSpecs, type TensorShape } from "../../src/core/layers/spec.js";
import { matrix } from "../../src/core/matrix.js";
import { RandomState } from "../../src/core/random.js";
import type { Dataset } from "../../src/data/dataset.js";
import { checkpointToJSON, fingerprintData, parseCheckpoint } from "../../src/training/checkpoint.js";
import { type RunConfig, resolveRunConfig } from "../../src/training/config.js";
import { LayerTrainer } from "../../src/training/layer-trainer.js";
import { TrainingRun } from "../../src/training/run.js";
import type { Retune } from "../../src/training/trainer.js";
import { sameBits } from "../support/assertions.js";

const SHAPE: TensorShape = { height: 8, width: 8, channels: 1 };

function images(m: number, seed: number): Dataset {
  const rng = new RandomState(seed);
  const n = 64;
  return { X: matrix(n, m, rng.rand(n * m)), y: Uint8Array.from(rng.randint(0, 3, m)), shape: SHAPE };
}

const data = images(48, 7);

function config(over: Partial<RunConfig> = {}): RunConfig {
  return resolveRunConfig({
    hidden: [5],
    seed: 3,
    learningRate: 0.05,
    batchSize: 16,
    iterations: 200,
    init: "he",
    ...over,
  });
}

/** The net `conv:3:3,spatial-dropout:S,maxpool:2,5,dropout:D` (keep [S, D]) and its trainer. */
function trainer(c: RunConfig, keep: readonly [number, number], weights?: LayeredNetwork) {
  const specs = parseLayerSpecs(`conv:3:3,spatial-dropout:${keep[0]},maxpool:2,5,dropout:${keep[1]}`);
  const rng = new RandomState(c.seed);
  const net = LayeredNetwork.initialize(resolveLayers(specs, SHAPE, 3), SHAPE, rng);
  if (weights) for (const [k, p] of weights.parameters().entries()) net.parameters()[k].set(p);
  return new LayerTrainer(net, data, c, rng, { kernels: "js" });
}

/**
 * `live` trains k steps, is retuned, and trains k more; the reference trains the same k steps,
 * then hands its weights and state to a fresh trainer built with `after`, which trains the last k.
 */
function compare(
  before: RunConfig,
  keepBefore: [number, number],
  change: Retune,
  after: RunConfig,
  keepAfter: [number, number],
  keepOptimizer = true,
): void {
  const k = 9;
  const live = trainer(before, keepBefore);
  for (let i = 0; i < k; i++) live.step();
  live.retune(change);
  const costs = Array.from({ length: k }, () => live.step());

  const first = trainer(before, keepBefore);
  for (let i = 0; i < k; i++) first.step();
  const second = trainer(after, keepAfter, first.network);
  const state = first.getState();
  second.setState(keepOptimizer ? state : { ...state, optimizer: second.getState().optimizer });
  expect(costs).toEqual(Array.from({ length: k }, () => second.step()));
  for (const [i, p] of second.network.parameters().entries()) sameBits(live.network.parameters()[i], p);
  expect(live.iteration).toBe(2 * k);
  expect(live.network.layers).toEqual(second.network.layers);
}

describe("LayerTrainer.retune", () => {
  it("takes a new learning rate, decay and schedule from the next step on", () => {
    compare(config(), [1, 1], { learningRate: 0.01 }, config({ learningRate: 0.01 }), [1, 1]);
    compare(config(), [1, 1], { learningRateDecay: 0.5 }, config({ learningRateDecay: 0.5 }), [1, 1]);
    compare(config(), [1, 1], { lrSchedule: "cosine" }, config({ lrSchedule: "cosine" }), [1, 1]);
  });

  it("takes a new λ and new settings-table regularizers", () => {
    compare(config(), [1, 0.8], { lambda: 0.7 }, config({ lambda: 0.7 }), [1, 0.8]);
    compare(config({ lambda: 0.7 }), [1, 1], { lambda: 0 }, config(), [1, 1]);
    const table = [
      { kind: "l1" as const, lambda: 0.02 },
      { kind: "max-norm" as const, c: 0.5 },
    ];
    compare(config(), [1, 1], { regularizers: table }, config({ regularizers: table }), [1, 1]);
    compare(config(), [1, 1], { labelSmoothing: 0.1 }, config({ labelSmoothing: 0.1 }), [1, 1]);
  });

  it("turns dropout and spatial dropout on, changes them and turns them off, with either mask policy", () => {
    compare(config(), [1, 1], { keepProb: 0.86 }, config(), [0.86, 0.86]);
    compare(config(), [0.6, 0.5], { keepProb: [1, 0.9] }, config(), [1, 0.9]);
    compare(config(), [0.6, 0.8], { keepProb: 1 }, config(), [1, 1]);
    const fixed = config({ dropoutMasks: "fixed" });
    compare(fixed, [1, 0.8], { keepProb: [0.7, 0.6] }, fixed, [0.7, 0.6]);
    compare(config(), [1, 0.8], { dropoutMasks: "fixed" }, fixed, [1, 0.8]);
  });

  it("switches the optimizer with fresh moments; a new weight decay keeps them", () => {
    const adam = config({ optimizer: { name: "adam" }, learningRate: 0.01 });
    compare(config(), [1, 1], { optimizer: { name: "adam" }, learningRate: 0.01 }, adam, [1, 1], false);
    compare(adam, [1, 1], { optimizer: { name: "gd" }, learningRate: 0.05 }, config(), [1, 1], false);
    compare(adam, [1, 1], { weightDecay: 0.01 }, { ...adam, weightDecay: 0.01 }, [1, 1]);
  });

  it("refuses what it cannot do, before changing anything", () => {
    const t = trainer(config(), [1, 0.8]);
    expect(() => t.retune({ lambda: 0.3, keepProb: [0.5] })).toThrow(/1 values for 2 dropout layers/);
    expect(() => t.retune({ lambda: 0.3, keepProb: [0.5, 0] })).toThrow(/keepProb/);
    expect(() => t.retune({ lambda: 0.3, learningRate: 0 })).toThrow(/learningRate/);
    expect(() => t.retune({ keepProb: 0.5, regularizers: [{ kind: "gaussian-noise", sigma: 0.2 }] })).toThrow(
      /noise cannot change/,
    );
    const plain = trainer(config(), [1, 0.8]);
    for (let i = 0; i < 6; i++) expect(t.step()).toBe(plain.step());
    expect(t.keepProbs).toEqual([1, 0.8]);
    const specs = parseLayerSpecs("conv:3:3,maxpool:2,5");
    const rng = new RandomState(1);
    const bare = LayeredNetwork.initialize(resolveLayers(specs, SHAPE, 3), SHAPE, rng);
    const none = new LayerTrainer(bare, data, config(), rng, { kernels: "js" });
    expect(() => none.retune({ keepProb: 0.8 })).toThrow(/no dropout layer/);
  });

  it("writes a checkpoint after a retune that resumes bit for bit", () => {
    const settings = { iterations: 30, costEvery: 1, lambda: 0, batch: 16 };
    const whole = trainer(config(), [1, 1]);
    const run = new TrainingRun(whole, settings);
    run.advance(6);
    whole.retune({ lambda: 0.4, keepProb: [0.7, 0.8], optimizer: { name: "adam" }, learningRate: 0.01 });
    run.advance(5);
    const state = run.getState();
    run.advance(100);
    const after = config({ lambda: 0.4, optimizer: { name: "adam" }, learningRate: 0.01 });
    const resumed = trainer(after, [0.7, 0.8]);
    const again = new TrainingRun(resumed, settings);
    const text = checkpointToJSON({ config: after, data: fingerprintData(data), extra: {}, state });
    again.restore(parseCheckpoint(text).state);
    again.advance(100);
    expect(again.history.costs.slice(11)).toEqual(run.history.costs.slice(11));
    expect(run.history.costs.length).toBe(30);
    for (const [k, p] of whole.network.parameters().entries()) sameBits(resumed.network.parameters()[k], p);
  });
});
