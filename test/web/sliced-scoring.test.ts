import { describe, expect, it } from "vitest";
import { matrix } from "../../src/core/matrix.js";
import { RandomState } from "../../src/core/random.js";
import type { Dataset } from "../../src/data/dataset.js";
import { resolveRunConfig } from "../../src/training/config.js";
import { fit } from "../../src/training/train.js";
import type { EvalPoint, FromWorker, SnapshotMessage } from "../../web/protocol.js";
import { Session, scoreOn } from "../../web/session.js";
import { SlicedScoring } from "../../web/sliced-scoring.js";
import { WorkerLoop } from "../../web/worker-loop.js";

/** K classes of 6 × 6 images: a bright row, column or diagonal, with noise. */
function images(m: number, seed: number, K = 3): Dataset {
  const rng = new RandomState(seed);
  const X = matrix(36, m);
  const y = new Uint8Array(m);
  for (let j = 0; j < m; j++) {
    const k = j % K;
    y[j] = k;
    const at = 1 + rng.boundedInt(4);
    for (let r = 0; r < 6; r++) {
      for (let c = 0; c < 6; c++) {
        const on = k === 0 ? r === at : k === 1 ? c === at : r === c;
        X.data[(r * 6 + c) * m + j] = (on ? 0.5 : 0.05) + 0.6 * rng.random();
      }
    }
  }
  return { X, y, shape: { height: 6, width: 6, channels: 1 } };
}

const train = images(300, 1);
const dev = images(70, 3);
const test = images(90, 2);
const config = resolveRunConfig({
  hidden: [8],
  optimizer: { name: "adam" },
  learningRate: 0.01,
  batchSize: 16,
  iterations: 200,
  costEvery: 50,
  init: "he",
});
const one = [{ key: "model", name: "model", overrides: {} }];
const noES = { enabled: false, patience: 0 };

/** The figures of a full pass over each set with the weights after exactly `k` iterations. */
function reference(k: number, sets: { dev?: Dataset }): EvalPoint {
  const s = new Session({
    data: { train, ...sets, test },
    config: { ...config, iterations: Math.max(1, k) },
    models: one,
    earlyStopping: noES,
  });
  s.advance(k);
  const net = s.runs[0].network;
  const t = scoreOn(net, train);
  const d = sets.dev && scoreOn(net, sets.dev);
  const e = scoreOn(net, test);
  return {
    iteration: k,
    trainLoss: t.loss,
    trainAccuracy: t.correct / t.n,
    ...(d && { devLoss: d.loss, devAccuracy: d.correct / d.n }),
    testLoss: e.loss,
    testAccuracy: e.correct / e.n,
  };
}

/** Trains as the worker does: steps in uneven chunks, a slice of scoring between some of them. */
function trainInterleaved(s: Session): void {
  const rng = new RandomState(7);
  while (!s.done) {
    if (s.scoring && rng.random() < 0.7) s.scoreSlice();
    else s.advance(1 + rng.boundedInt(40));
  }
}

describe("scoring images a slice at a time (the playground's worker)", () => {
  it("gives a full pass's loss, accuracy and classes bit for bit, whatever the slice", async () => {
    const two = images(130, 4, 2);
    for (const data of [train, two]) {
      const { network } = await fit(data, { ...config, iterations: 60 });
      const full = scoreOn(network, data);
      for (const slice of [1, 7, 64, 250, 1000]) {
        const sliced = new SlicedScoring(network, data, slice);
        let calls = 0;
        while (!sliced.finished) {
          sliced.next();
          calls++;
        }
        expect(calls).toBe(Math.ceil(data.X.cols / slice));
        const r = sliced.result();
        expect(r.loss).toBe(full.loss);
        expect(r.correct).toBe(full.correct);
        expect(r.predicted).toEqual(full.predicted);
      }
    }
  });

  it("records at each evaluation the train, dev and test figures of a full pass at that iteration", () => {
    const s = new Session({ data: { train, dev, test }, config, models: one, earlyStopping: noES });
    trainInterleaved(s);
    const run = s.runs[0];
    expect(run.evaluations.map((e) => e.iteration)).toEqual([0, 50, 100, 150, 200]);
    for (const e of run.evaluations) expect(e).toEqual(reference(e.iteration, { dev }));
    // The engine's history holds the same train and dev figures (no placeholder left).
    expect(
      run.history.evaluations.map((e) => [e.iteration, e.trainCost, e.trainAccuracy, e.devAccuracy]),
    ).toEqual(run.evaluations.map((e) => [e.iteration, e.trainLoss, e.trainAccuracy, e.devAccuracy]));
    // The confusion matrix is the last evaluation's: its diagonal is the test set's correct count.
    const snap = s.snapshot(0)[0];
    expect(snap.test!.correct / snap.test!.n).toBe(run.evaluations.at(-1)!.testAccuracy);
    const c = snap.confusion!;
    expect(c[0] + c[4] + c[8]).toBe(snap.test!.correct);
  });

  it("with early stopping, scores the test set on the weights each evaluation saw, the last ones at the end", () => {
    const s = new Session({
      data: { train, dev, test },
      config: { ...config, iterations: 400 },
      models: one,
      earlyStopping: { enabled: true, patience: 2 },
    });
    trainInterleaved(s);
    const run = s.runs[0];
    expect(run.evaluations.length).toBeGreaterThan(1);
    for (const e of run.evaluations) {
      const r = reference(e.iteration, { dev });
      expect([e.testLoss, e.testAccuracy, e.trainAccuracy, e.devAccuracy]).toEqual([
        r.testLoss,
        r.testAccuracy,
        r.trainAccuracy,
        r.devAccuracy,
      ]);
    }
    expect(run.evaluations.at(-1)!.iteration).toBe(run.history.iterationsRun);
    // Early stopping put the best weights back after the last evaluation: that one saw the last weights.
    expect(run.history.bestIteration).toBeLessThan(run.history.iterationsRun);
  });

  it("fills an evaluation in after a live change copied the history", () => {
    const s = new Session({ data: { train, test }, config, models: one, earlyStopping: noES, stopAt: null });
    s.advance(60);
    expect(s.scoring).toBe(true);
    s.retune({ ...config, lambda: 0.3 }, null);
    s.finishScoring();
    const at50 = s.runs[0].history.evaluations.find((e) => e.iteration === 50)!;
    expect(at50.trainAccuracy).toBe(reference(50, {}).trainAccuracy);
    expect(s.runs[0].evaluations.map((e) => e.iteration)).toEqual([0, 50]);
  });

  it("in the worker's loop: every evaluation reaches the page in order, the weights a few times a second", () => {
    const sent: SnapshotMessage[] = [];
    const host = {
      time: 0,
      pending: 0,
      post: (message: FromWorker) => {
        if (message.type === "snapshot") sent.push(message);
      },
      // Each clock read is 2 ms: a slice is a handful of steps or scoring slices.
      now: () => (host.time += 2),
      schedule: () => {
        host.pending++;
      },
    };
    const loop = new WorkerLoop(host);
    loop.handle({
      type: "setup",
      runId: 1,
      data: { train, dev, test },
      config,
      models: one,
      earlyStopping: noES,
    });
    loop.handle({ type: "ack" });
    loop.handle({ type: "play" });
    const times: number[] = [host.time];
    while (host.pending > 0) {
      host.pending--;
      const before = sent.length;
      loop.tick();
      if (sent.length > before) {
        times.push(host.time);
        loop.handle({ type: "ack" });
      }
    }
    const last = sent.at(-1)!;
    expect(last.running).toBe(false);
    expect(last.models[0].done).toBe(true);
    const evaluations = sent.flatMap((m) => m.models[0].history.evaluations);
    expect(evaluations.map((e) => e.iteration)).toEqual([0, 50, 100, 150, 200]);
    for (const e of evaluations) expect(e).toEqual(reference(e.iteration, { dev }));
    // While playing, weights at most every 250 ms of the worker's clock; the last snapshot has them.
    const withWeights = sent
      .map((m, i) => [m, times[i]] as const)
      .filter(([m]) => m.running && m.models[0].weights.length > 0);
    expect(sent.filter((m) => m.running).length).toBeGreaterThan(withWeights.length);
    for (let i = 1; i < withWeights.length; i++)
      expect(withWeights[i][1] - withWeights[i - 1][1]).toBeGreaterThanOrEqual(250);
    expect(last.models[0].weights[0]).toHaveLength(8 * 36);
  });
});
