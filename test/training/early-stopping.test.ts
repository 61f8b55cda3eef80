import { describe, expect, it } from "vitest";
import { Network } from "../../src/core/network.js";
import { RandomState } from "../../src/core/random.js";
import { generateDataset } from "../../src/data/generators.js";
import { trainDevSplit } from "../../src/data/split.js";
import type { TrainContext } from "../../src/training/callbacks.js";
import {
  type EarlyStopping,
  earlyStopping,
  resolveEarlyStopping,
} from "../../src/training/early-stopping.js";
import { evaluationCallback } from "../../src/training/evaluate.js";
import { type Evaluation, emptyHistory } from "../../src/training/history.js";
import { fit as fitModel } from "../../src/training/train.js";
import type { Trainer } from "../../src/training/trainer.js";

/**
 * Drives a callback as train() would, with no training: before step i the network's first weight
 * is set to i + 1, so after k steps it reads k and any restored weights name their iteration.
 * `log[k]` is the made-up evaluation at iteration k·every.
 */
function drive(
  es: EarlyStopping,
  log: Partial<Evaluation>[],
  every: number,
  iterations = every * (log.length - 1),
) {
  const network = new Network([1, 1]);
  const history = emptyHistory();
  let stopReason: string | undefined;
  const ctx: TrainContext = {
    trainer: undefined as unknown as Trainer,
    network,
    history,
    iterations,
    stop(reason) {
      stopReason ??= reason;
    },
  };
  es.onTrainBegin(ctx);
  for (let i = 0; i < iterations; i++) {
    network.weights[0][0] = i + 1;
    history.iterationsRun = i + 1;
    es.onIterationEnd(ctx, i, Number.NaN);
    if (stopReason !== undefined) break;
  }
  if (stopReason !== undefined) history.stopReason = stopReason;
  es.onTrainEnd(ctx);
  return { history, weight: network.weights[0][0], stopReason };
}

/** Made-up evaluations from a list of dev costs (or accuracies). */
function fake(values: number[], key: "devCost" | "devAccuracy" = "devCost", every = 10) {
  const log = values.map((v) => ({ [key]: v }));
  return {
    log,
    evaluate: (_net: Network, iteration: number): Evaluation => ({
      iteration,
      trainCost: 0,
      trainAccuracy: 0,
      ...log[iteration / every],
    }),
  };
}

describe("early stopping on made-up logs", () => {
  // Evaluations at 0, 10, …, 100; the dev cost is lowest at iteration 40, then rises.
  const costs = [0.7, 0.5, 0.4, 0.35, 0.3, 0.31, 0.33, 0.32, 0.36, 0.4, 0.45];

  it("stops after `patience` evaluations without improvement and restores the best weights", () => {
    const { log, evaluate } = fake(costs);
    const es = earlyStopping({ evaluate, evaluateEvery: 10, patience: 3 });
    const { history, weight, stopReason } = drive(es, log, 10);
    // Best at 40; 50, 60, 70 do not improve → stop at 70.
    expect(es.bestIteration).toBe(40);
    expect(es.bestValue).toBe(0.3);
    expect(es.stoppedAt).toBe(70);
    expect(history.iterationsRun).toBe(70);
    expect(history.evaluations.map((e) => e.iteration)).toEqual([0, 10, 20, 30, 40, 50, 60, 70]);
    expect(stopReason).toMatch(/dev cost did not improve on 0\.3000 \(iteration 40\) for 3 evaluations/);
    expect(history.bestIteration).toBe(40);
    expect(es.restored).toBe(true);
    expect(weight).toBe(40);
  });

  it("patience 0 stops at the first evaluation that is no better", () => {
    const { log, evaluate } = fake(costs);
    const es = earlyStopping({ evaluate, evaluateEvery: 10, patience: 0 });
    drive(es, log, 10);
    expect(es.stoppedAt).toBe(50);
    expect(es.bestIteration).toBe(40);
  });

  it("counts only improvements larger than minDelta", () => {
    // minDelta 0.11: 0.5 at 10 beats 0.7 by 0.2 (best); 0.4 beats it by only 0.1 (wait); 0.35 at 30
    // beats 0.5 by 0.15 (best); 0.3 at 40 beats 0.35 by only 0.05 — without minDelta it would be the
    // best — and 0.31 at 50 not at all, so patience 2 runs out at 50 with the best at 30.
    const { log, evaluate } = fake(costs);
    const es = earlyStopping({ evaluate, evaluateEvery: 10, patience: 2, minDelta: 0.11 });
    const { weight } = drive(es, log, 10);
    expect(es.bestIteration).toBe(30);
    expect(es.bestValue).toBe(0.35);
    expect(es.stoppedAt).toBe(50);
    expect(weight).toBe(30);
  });

  it("monitors dev accuracy upwards (mode auto → max)", () => {
    const { log, evaluate } = fake([0.5, 0.8, 0.9, 0.85, 0.9, 0.88, 0.87], "devAccuracy");
    const es = earlyStopping({ evaluate, evaluateEvery: 10, patience: 2, monitor: "devAccuracy" });
    expect(es.settings.mode).toBe("max");
    const { weight } = drive(es, log, 10);
    // 0.9 at 40 does not beat 0.9 at 20: the first best is kept.
    expect(es.bestIteration).toBe(20);
    expect(es.stoppedAt).toBe(40);
    expect(weight).toBe(20);
  });

  it("honours an explicit mode against the monitor's natural direction", () => {
    const { log, evaluate } = fake([0.5, 0.4, 0.6, 0.7]);
    const es = earlyStopping({ evaluate, evaluateEvery: 10, patience: 5, mode: "max" });
    drive(es, log, 10);
    expect(es.bestIteration).toBe(30);
  });

  it("ignores evaluations before startFrom for the best and for patience", () => {
    // A spurious low dev cost at iteration 10 would otherwise win.
    const { log, evaluate } = fake([0.7, 0.1, 0.5, 0.4, 0.3, 0.35, 0.4, 0.45, 0.5]);
    const es = earlyStopping({ evaluate, evaluateEvery: 10, patience: 2, startFrom: 20 });
    const { weight, history } = drive(es, log, 10);
    expect(es.bestIteration).toBe(40);
    expect(es.stoppedAt).toBe(60);
    expect(weight).toBe(40);
    expect(history.evaluations[1].devCost).toBe(0.1); // recorded all the same
  });

  it("restores the best weights when training ends without stopping early", () => {
    const { log, evaluate } = fake(costs);
    const es = earlyStopping({ evaluate, evaluateEvery: 10, patience: 100 });
    const { history, weight, stopReason } = drive(es, log, 10);
    expect(stopReason).toBeUndefined();
    expect(es.stoppedAt).toBeUndefined();
    expect(history.iterationsRun).toBe(100);
    expect(weight).toBe(40);
    expect(history.bestIteration).toBe(40);
    expect(es.restored).toBe(true);
  });

  it("evaluates the last iteration too, and keeps it when it is the best", () => {
    // 95 iterations with evaluations every 10: the last one is at 95.
    const values = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.15, 0.12];
    const es = earlyStopping({
      evaluate: (_n, iteration) => ({
        iteration,
        trainCost: 0,
        trainAccuracy: 0,
        devCost: iteration === 95 ? 0.1 : values[iteration / 10],
      }),
      evaluateEvery: 10,
      patience: 3,
    });
    const { history, weight } = drive(es, [], 10, 95);
    expect(history.evaluations.at(-1)?.iteration).toBe(95);
    expect(es.bestIteration).toBe(95);
    expect(es.restored).toBe(false);
    expect(weight).toBe(95);
  });

  it("keeps the last weights with restoreBest: false but still reports the best iteration", () => {
    const { log, evaluate } = fake(costs);
    const es = earlyStopping({ evaluate, evaluateEvery: 10, patience: 3, restoreBest: false });
    const { history, weight } = drive(es, log, 10);
    expect(weight).toBe(70);
    expect(history.bestIteration).toBe(40);
    expect(es.restored).toBe(false);
  });

  it("refuses to monitor a dev set it was not given", () => {
    const es = earlyStopping({
      evaluate: (_n, iteration) => ({ iteration, trainCost: 0.5, trainAccuracy: 0.5 }),
      evaluateEvery: 10,
    });
    expect(() => drive(es, [{}, {}], 10)).toThrow(/no dev set/);
  });

  it("checks its settings", () => {
    expect(resolveEarlyStopping()).toEqual({
      monitor: "devCost",
      mode: "min",
      patience: 20,
      minDelta: 0,
      startFrom: 0,
      restoreBest: true,
      evaluateEvery: 100,
    });
    expect(() => resolveEarlyStopping({ patience: -1 })).toThrow(/patience/);
    expect(() => resolveEarlyStopping({ patience: 1.5 })).toThrow(/patience/);
    expect(() => resolveEarlyStopping({ minDelta: -0.1 })).toThrow(/minDelta/);
    expect(() => resolveEarlyStopping({ startFrom: -5 })).toThrow(/startFrom/);
    expect(() => resolveEarlyStopping({ evaluateEvery: 0 })).toThrow(/evaluateEvery/);
    expect(() => resolveEarlyStopping({ monitor: "trainCost" as never })).toThrow(/devCost or devAccuracy/);
    expect(() => resolveEarlyStopping({ mode: "up" as never })).toThrow(/mode/);
  });
});

describe("early stopping in a real training run", () => {
  const bundle = generateDataset("moons");
  const { train, dev } = trainDevSplit(bundle.train, 0.3, new RandomState(0));
  const config = { hidden: [20, 3], iterations: 6000, learningRate: 0.3, seed: 3 };

  it("evaluating does not change the run: costs and weights are bit-identical", async () => {
    const plain = await fitModel(train, config);
    const watched = await fitModel(train, config, {
      callbacks: [evaluationCallback({ dev, evaluateEvery: 50 })],
    });
    expect(watched.history.costs).toEqual(plain.history.costs);
    expect(watched.network.weights).toEqual(plain.network.weights);
    const evs = watched.history.evaluations;
    expect(evs.map((e) => e.iteration)).toEqual(Array.from({ length: 121 }, (_, k) => 50 * k));
    for (const e of evs) {
      expect(e.devCost).toBeGreaterThan(0);
      expect(e.devAccuracy).toBeGreaterThanOrEqual(0);
    }
  });

  it("restores exactly the weights the network had at the best iteration", async () => {
    const es = earlyStopping({ dev, evaluateEvery: 50, patience: 10 });
    const r = await fitModel(train, config, { callbacks: [es] });
    const best = r.history.bestIteration!;
    expect(best).toBe(es.bestIteration);
    expect(best).toBeGreaterThan(0);
    expect(r.history.iterationsRun).toBeGreaterThan(best);
    // Training for exactly `best` iterations gives the same weights (evaluation never draws numbers).
    const again = await fitModel(train, { ...config, iterations: best });
    expect(r.network.weights).toEqual(again.network.weights);
    expect(r.network.biases).toEqual(again.network.biases);
    // …and the evaluation recorded at `best` is the lowest dev cost seen.
    const lowest = Math.min(...r.history.evaluations.map((e) => e.devCost!));
    expect(es.bestValue).toBe(lowest);
    if (es.stoppedAt !== undefined) {
      expect(r.history.iterationsRun).toBe(es.stoppedAt);
      expect(r.history.stopReason).toMatch(/^early stopping/);
    }
  });
});
