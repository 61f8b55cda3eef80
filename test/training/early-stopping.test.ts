import { describe, expect, it } from "vitest";
import { Network } from "../../src/core/network.js";
import { RandomState } from "../../src/core/random.js";
import { generateDataset } from "../../src/data/generators.js";
import { trainDevSplit } from "../../src/data/split.js";
import {
  type EarlyStopping,
  earlyStopping,
  resolveEarlyStopping,
} from "../../src/training/early-stopping.js";
import { DivergenceError } from "../../src/training/errors.js";
import { evaluationCallback } from "../../src/training/evaluate.js";
import type { Evaluation } from "../../src/training/history.js";
import { TrainingRun } from "../../src/training/run.js";
import type { Stepper } from "../../src/training/stepper.js";
import { fit as fitModel } from "../../src/training/train.js";

/**
 * Drives a callback through the one training run with a stand-in for the trainer: step i sets
 * the network's first weight to i + 1, so after k steps it reads k and any restored weights name
 * their iteration. `log[k]` is the made-up evaluation at iteration k·every.
 */
function drive(
  es: EarlyStopping,
  log: Partial<Evaluation>[],
  every: number,
  iterations = every * (log.length - 1),
  network = new Network([1, 1]),
) {
  const stepper = standIn(network);
  const run = new TrainingRun(
    stepper,
    { iterations, costEvery: 1e9, lambda: 0, batch: 1 },
    { callbacks: [es] },
  );
  run.advance(Number.POSITIVE_INFINITY);
  const { history } = run;
  return { history, weight: network.weights[0][0], stopReason: history.stopReason };
}

/** A Stepper that trains nothing: each step writes its own number into the first weight. */
function standIn(network: Network): Stepper {
  let iteration = 0;
  return {
    network,
    data: { X: { rows: 1, cols: 1, data: new Float64Array(1) }, y: new Uint8Array(1) },
    get iteration() {
      return iteration;
    },
    epoch: 0,
    learningRate: 1,
    step(withCost) {
      network.weights[0][0] = ++iteration;
      return withCost ? 0 : Number.NaN;
    },
    lastCostBound: () => ({ cost: 0, weightNorm2: 0 }),
    lastWeightNorms: () => [0],
    getState: () => {
      throw new Error("not checkpointed");
    },
    setState: () => {
      throw new Error("not checkpointed");
    },
  };
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

describe("early stopping held to Keras's and TensorFlow.js's scenarios", () => {
  it("never offers the untrained network (iteration 0) as the best", () => {
    // The lowest dev cost is at iteration 0; Keras's first candidate comes after training.
    const { log, evaluate } = fake([0.1, 0.5, 0.4, 0.45, 0.5, 0.6]);
    const es = earlyStopping({ evaluate, evaluateEvery: 10, patience: 2 });
    const { weight, history } = drive(es, log, 10);
    expect(es.bestIteration).toBe(20);
    expect(es.stoppedAt).toBe(40);
    expect(weight).toBe(20);
    expect(history.evaluations[0]).toMatchObject({ iteration: 0, devCost: 0.1 }); // recorded all the same
  });

  it("turns a NaN monitored value, even at the first evaluation, into a diverged run", () => {
    const { log, evaluate } = fake([0.7, Number.NaN, 0.4]);
    const es = earlyStopping({ evaluate, evaluateEvery: 10, patience: 3 });
    expect(() => drive(es, log, 10)).toThrow(DivergenceError);
    expect(() => drive(earlyStopping({ evaluate, evaluateEvery: 10 }), log, 10)).toThrow(
      /training diverged at iteration 10: the dev cost is not finite \(NaN\)/,
    );
  });

  it("ends the run as diverged on a value that is not finite at iteration 0 and before startFrom too", () => {
    for (const bad of [Number.POSITIVE_INFINITY, Number.NaN]) {
      const { log, evaluate } = fake([bad, 0.5, 0.4]);
      expect(() => drive(earlyStopping({ evaluate, evaluateEvery: 10 }), log, 10)).toThrow(
        new RegExp(`training diverged at iteration 0: the dev cost is not finite \\(${bad}\\)`),
      );
      const late = fake([0.7, bad, 0.4]);
      const es = earlyStopping({ evaluate: late.evaluate, evaluateEvery: 10, startFrom: 20 });
      expect(() => drive(es, late.log, 10)).toThrow(/diverged at iteration 10: the dev cost is not finite/);
    }
  });

  it("does not count an exact decimal tie with minDelta as an improvement", () => {
    // 0.2 − 0.15 is 0.05000000000000002 in doubles: a tie, not an improvement by more than 0.05.
    const { log, evaluate } = fake([0.9, 0.2, 0.15, 0.149, 0.1]);
    const es = earlyStopping({ evaluate, evaluateEvery: 10, patience: 1, minDelta: 0.05 });
    expect(es.improves(0.3)).toBe(true); // no best yet
    drive(es, log, 10);
    expect(es.bestIteration).toBe(10);
    expect(es.stoppedAt).toBe(20);
    const up = earlyStopping({
      evaluate: fake([0, 0.15, 0.2], "devAccuracy").evaluate,
      evaluateEvery: 10,
      monitor: "devAccuracy",
      patience: 1,
      minDelta: 0.05,
    });
    drive(up, fake([0, 0.15, 0.2], "devAccuracy").log, 10);
    expect(up.bestIteration).toBe(10);
  });

  it("baseline: stops within patience when the value never beats it (Keras 3 semantics)", () => {
    // Improving, but never below the baseline 0.3: patience (2) runs out at the first evaluation
    // that does not improve.
    const { log, evaluate } = fake([0.9, 0.8, 0.7, 0.6, 0.65, 0.5, 0.4]);
    const es = earlyStopping({ evaluate, evaluateEvery: 10, patience: 2, baseline: 0.3 });
    const { stopReason, weight } = drive(es, log, 10);
    expect(es.stoppedAt).toBe(40);
    expect(es.bestIteration).toBe(30);
    expect(weight).toBe(30);
    expect(stopReason).toMatch(/did not beat the baseline 0\.3000 in 4 evaluations/);
    // Beating the baseline resets patience as usual.
    const beat = fake([0.9, 0.2, 0.25, 0.1, 0.15, 0.16, 0.17]);
    const ok = earlyStopping({ evaluate: beat.evaluate, evaluateEvery: 10, patience: 2, baseline: 0.3 });
    drive(ok, beat.log, 10);
    expect(ok.bestIteration).toBe(30);
    expect(ok.stoppedAt).toBe(50);
    expect(() => resolveEarlyStopping({ baseline: Number.NaN })).toThrow(/baseline/);
  });

  it("one instance reused on networks of other sizes: same stop, each fit's own best restored", async () => {
    const data = generateDataset("moons", { n: 160, seed: 8, testFraction: 0 }).train;
    const { train, dev } = trainDevSplit(data, 0.25, new RandomState(1));
    const es = earlyStopping({ dev, patience: 3, evaluateEvery: 50 });
    const config = { iterations: 3000, learningRate: 0.5, seed: 2 };
    for (const hidden of [[12, 6], [4], [20, 8, 4]]) {
      const fresh = earlyStopping({ dev, patience: 3, evaluateEvery: 50 });
      const ref = await fitModel(train, { ...config, hidden }, { callbacks: [fresh] });
      const r = await fitModel(train, { ...config, hidden }, { callbacks: [es] });
      expect(es.stoppedAt).toBe(fresh.stoppedAt);
      expect(es.bestIteration).toBe(fresh.bestIteration);
      expect(r.network.weights).toEqual(ref.network.weights);
    }
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
