import { describe, expect, it } from "vitest";
import { accuracy } from "../../src/core/network.js";
import { RandomState } from "../../src/core/random.js";
import type { DataBundle } from "../../src/data/dataset.js";
import { generateDataset } from "../../src/data/generators.js";
import { DataResolver, inProcessRunner, runFitJob } from "../../src/experiments/jobs.js";
import {
  aggregateSweep,
  chooseWinner,
  resolveSweepSpec,
  runSweep,
  type SweepPoint,
  spread,
  sweepConfigs,
  sweepJobs,
} from "../../src/experiments/sweep.js";
import { loadDataFile } from "../../src/node/load-data.js";
import { fit as fitModel } from "../../src/training/train.js";
import { FOOTBALL_MAT, HAS_FOOTBALL, NO_FOOTBALL_REASON } from "../support/paths.js";

const bundle = generateDataset("football");
const base = { hidden: [20, 3], iterations: 400, learningRate: 0.3 };

describe("sweep specification and jobs", () => {
  it("fills defaults and rejects bad grids", () => {
    const s = resolveSweepSpec({ base });
    expect(s.lambdas).toEqual([0]);
    expect(s.keepProbs).toEqual([1]);
    expect(s.folds).toBe(5);
    expect(s.seeds).toEqual([3]);
    expect(s.splitSeed).toBe(0);
    expect(() => resolveSweepSpec({ base, lambdas: [] })).toThrow(/at least one/);
    expect(() => resolveSweepSpec({ base, lambdas: [-1] })).toThrow(/≥ 0/);
    expect(() => resolveSweepSpec({ base, lambdas: [0.1, 0.1] })).toThrow(/twice/);
    expect(() => resolveSweepSpec({ base, keepProbs: [0] })).toThrow(/\(0, 1\]/);
    expect(() => resolveSweepSpec({ base, folds: 1 })).toThrow(/folds/);
    expect(() => resolveSweepSpec({ base, seeds: [1.5] })).toThrow(/seeds/);
    expect(() => resolveSweepSpec({ base: { ...base, learningRate: -1 } })).toThrow(
      /learningRate must be a number > 0/,
    );
  });

  it("sweeps per-layer keepProbs: validated per layer, one setting per grid point", () => {
    const s = resolveSweepSpec({ base, keepProbs: [[0.5, 1], [0.86, 0.86], 0.9] });
    expect(sweepConfigs(s).map((c) => c.keepProb)).toEqual([[0.5, 1], [0.86, 0.86], 0.9]);
    expect(sweepJobs({ ...s, folds: 2 })[0].config.keepProb).toEqual([0.5, 1]);
    expect(() => resolveSweepSpec({ base, keepProbs: [[0.5, 0]] })).toThrow(/\(0, 1\]/);
    expect(() =>
      resolveSweepSpec({
        base,
        keepProbs: [
          [0.5, 1],
          [0.5, 1],
        ],
      }),
    ).toThrow(/twice/);
    // One value per hidden layer: [20, 3] takes two.
    expect(() => resolveSweepSpec({ base, keepProbs: [[0.5, 1, 1]] })).toThrow();
    // A per-layer keepProb in the base is swept as it is.
    expect(resolveSweepSpec({ base: { ...base, keepProb: [0.7, 1] } }).keepProbs).toEqual([[0.7, 1]]);
  });

  it("makes one job per configuration × fold × seed, in a fixed order", () => {
    const s = resolveSweepSpec({ base, lambdas: [0, 1], keepProbs: [0.8, 1], folds: 3, seeds: [3, 4] });
    expect(sweepConfigs(s).map((c) => [c.lambda, c.keepProb])).toEqual([
      [0, 0.8],
      [1, 0.8],
      [0, 1],
      [1, 1],
    ]);
    const jobs = sweepJobs(s);
    expect(jobs).toHaveLength(4 * 3 * 2);
    expect(jobs.map((j) => j.id)).toEqual(jobs.map((_, i) => i));
    expect(jobs[7].config).toMatchObject({ lambda: 1, keepProb: 0.8, seed: 4 });
    expect(jobs[7].train).toEqual({ set: "fold", k: 3, fold: 0, splitSeed: 0, part: "train" });
    expect(jobs[7].score.dev).toEqual({ set: "fold", k: 3, fold: 0, splitSeed: 0, part: "dev" });
    // No job ever looks at the test set.
    expect(JSON.stringify(jobs)).not.toContain('"test"');
  });

  it("a job is an ordinary fit on its fold", async () => {
    const s = resolveSweepSpec({ base, lambdas: [0.5], folds: 4 });
    const job = sweepJobs(s)[2];
    const data = new DataResolver(bundle);
    const r = await runFitJob(data, job);
    const train = data.get(job.train);
    const direct = await fitModel(train, job.config);
    const dev = data.get({ set: "fold", k: 4, fold: 2, splitSeed: 0, part: "dev" });
    expect(r.scores.train.n + r.scores.dev.n).toBe(bundle.train.X.cols);
    expect(r.scores.dev.n).toBe(dev.X.cols);
    let right = 0;
    const p = direct.network.predict(dev.X);
    for (let j = 0; j < p.length; j++) if (p[j] === dev.y[j]) right++;
    expect(r.scores.dev.accuracy).toBe(right / dev.X.cols);
  });
});

/** The curves without timings. */
const curves = (pts: readonly SweepPoint[]) => pts.map(({ seconds: _, ...p }) => p);

function point(index: number, lambda: number, dev: number, devCost: number, keepProb = 1): SweepPoint {
  const s = (v: number) => spread([v]);
  return {
    index,
    lambda,
    keepProb,
    trainAccuracy: s(0.9),
    devAccuracy: s(dev),
    trainCost: s(0.2),
    devCost: s(devCost),
    seconds: 0,
  };
}

describe("choosing the winner", () => {
  it("takes the best mean dev accuracy", () => {
    const pts = [point(0, 0, 0.9, 0.3), point(1, 0.3, 0.93, 0.25), point(2, 10, 0.85, 0.4)];
    expect(chooseWinner(pts)).toEqual({ winner: 1, reason: "highest mean dev accuracy" });
  });

  it("breaks a tie by the lower mean dev cost, then by the larger λ", () => {
    const pts = [point(0, 0, 0.92, 0.3), point(1, 0.3, 0.92, 0.25), point(2, 1, 0.92 + 1e-13, 0.26)];
    const w = chooseWinner(pts);
    expect(w.winner).toBe(1);
    expect(w.reason).toMatch(/3 configurations tie/);
    const same = [point(0, 0.1, 0.92, 0.25), point(1, 0.3, 0.92, 0.25), point(2, 0.3, 0.92, 0.25, 0.8)];
    expect(chooseWinner(same).winner).toBe(2);
  });

  it("under the one-standard-error rule, takes the most regularized configuration within 1 SE of the best", () => {
    // Dev accuracies over 4 runs each; the best (λ = 0.3, mean 0.93) has sd √(0.0032/3) ≈ 0.0327,
    // so SE ≈ 0.0163 and the bar ≈ 0.9137: λ = 1 (0.915) clears it, λ = 10 (0.88) does not.
    const runs = (...v: number[]) => spread(v);
    const at = (index: number, lambda: number, dev: number[], keepProb = 1): SweepPoint => ({
      ...point(index, lambda, 0, 0.3, keepProb),
      devAccuracy: runs(...dev),
    });
    const pts = [
      at(0, 0, [0.9, 0.9, 0.9, 0.9]),
      at(1, 0.3, [0.97, 0.93, 0.89, 0.93]),
      at(2, 1, [0.915, 0.915, 0.915, 0.915]),
      at(3, 10, [0.88, 0.88, 0.88, 0.88]),
    ];
    expect(pts[1].devAccuracy.sd).toBeCloseTo(Math.sqrt(0.0032 / 3), 12);
    expect(chooseWinner(pts).winner).toBe(1);
    const w = chooseWinner(pts, "1se");
    expect(w.winner).toBe(2);
    expect(w.reason).toBe(
      "one-standard-error rule: the most regularized configuration within one standard error (1.6 points) of the best mean dev accuracy, 93.0% at λ = 0.3",
    );
    // Same λ: the smaller keepProb is the more regularized.
    const keep = [at(0, 0, [0.93, 0.93]), at(1, 0, [0.929, 0.929], 0.8), at(2, 0, [0.8, 0.8], 0.5)];
    expect(chooseWinner(keep, "1se").winner).toBe(0);
    // With no spread nothing but the best itself is within the bar.
    const flat = [at(0, 0, [0.93, 0.93]), at(1, 1, [0.92, 0.92])];
    expect(chooseWinner(flat, "1se")).toEqual({
      winner: 0,
      reason:
        "one-standard-error rule: no more regularized configuration is within one standard error (0.0 points) of the best mean dev accuracy",
    });
    expect(() => resolveSweepSpec({ base, rule: "2se" as "1se" })).toThrow(/unknown selection rule '2se'/);
  });

  it("summarizes runs as mean, sample sd, min and max", () => {
    expect(spread([0.9, 0.8, 1])).toEqual({ mean: 0.9, sd: expect.closeTo(0.1, 12), min: 0.8, max: 1, n: 3 });
    expect(spread([0.5]).sd).toBe(0);
  });
});

describe("runSweep", () => {
  it("aggregates folds × seeds, chooses on validation and scores the test set once", async () => {
    const spec = { base, lambdas: [0, 3], folds: 3, seeds: [3, 4] };
    const seen: number[] = [];
    const r = await runSweep(bundle, spec, {
      onResult: (_res, done, total) => seen.push(done * 100 + total),
    });
    expect(seen).toHaveLength(13);
    expect(seen.at(-1)).toBe(1313);
    expect(r.points).toHaveLength(2);
    for (const p of r.points) {
      expect(p.devAccuracy.n).toBe(6);
      expect(p.devAccuracy.min).toBeLessThanOrEqual(p.devAccuracy.mean);
      expect(p.devAccuracy.max).toBeGreaterThanOrEqual(p.devAccuracy.mean);
    }
    expect(r.trainExamples).toBe(bundle.train.X.cols);
    expect(r.final.scores.test.n).toBe(bundle.test!.X.cols);
    // The final model is the winner retrained on all the training data with the first seed.
    const w = r.points[r.winner];
    const direct = await fitModel(bundle.train, { ...base, lambda: w.lambda, keepProb: w.keepProb, seed: 3 });
    expect(r.final.scores.train.accuracy).toBe(accuracy(direct.network, bundle.train));
    expect(r.final.scores.test.accuracy).toBe(accuracy(direct.network, bundle.test!));
  });

  it("never lets the test set influence the choice", async () => {
    const spec = { base, lambdas: [0, 0.1, 3], folds: 3, seeds: [3] };
    const flipped: DataBundle = {
      ...bundle,
      test: { X: bundle.test!.X, y: bundle.test!.y.map((v) => 1 - v) },
    };
    const a = await runSweep(bundle, spec);
    const b = await runSweep(flipped, spec);
    expect(curves(b.points)).toEqual(curves(a.points));
    expect(b.winner).toBe(a.winner);
    expect(b.final.scores.test.accuracy).toBeCloseTo(1 - a.final.scores.test.accuracy, 12);
  });

  it("gives the same curves whatever order the runs finish in", async () => {
    const s = resolveSweepSpec({ base, lambdas: [0, 1], folds: 3, seeds: [3] });
    const results = await inProcessRunner(bundle)([...sweepJobs(s)].reverse());
    const forward = await inProcessRunner(bundle)(sweepJobs(s));
    expect(curves(aggregateSweep(s, results))).toEqual(curves(aggregateSweep(s, forward)));
  });
});

describe.skipIf(!HAS_FOOTBALL)(
  `over-smoothing on football.mat${HAS_FOOTBALL ? "" : ` — skipped: ${NO_FOOTBALL_REASON}`}`,
  () => {
    it("dev accuracy falls at large λ, and train accuracy with it", async () => {
      const data = await loadDataFile(FOOTBALL_MAT);
      const r = await runSweep(data, {
        base: { iterations: 4000 },
        lambdas: [0.3, 3, 10],
        folds: 5,
        seeds: [3],
      });
      const [small, three, ten] = r.points;
      expect(r.winner).toBe(0);
      expect(three.devAccuracy.mean).toBeLessThan(small.devAccuracy.mean);
      expect(ten.devAccuracy.mean).toBeLessThan(three.devAccuracy.mean);
      expect(ten.devAccuracy.mean).toBeLessThan(small.devAccuracy.mean - 0.03);
      expect(ten.trainAccuracy.mean).toBeLessThan(small.trainAccuracy.mean - 0.03);
      expect(ten.devCost.mean).toBeGreaterThan(small.devCost.mean);
    });
  },
);

describe("a sweep over K classes", () => {
  /** Three blobs (labels 0, 1, 2); the test set is drawn from the same generator. */
  function blobs(n: number, seed: number) {
    const rng = new RandomState(seed);
    const m = 3 * n;
    const X = new Float64Array(2 * m);
    const y = new Uint8Array(m);
    for (let j = 0; j < m; j++) {
      y[j] = j % 3;
      X[j] = Math.cos((2 * Math.PI * y[j]) / 3) + 0.45 * rng.gaussian();
      X[m + j] = Math.sin((2 * Math.PI * y[j]) / 3) + 0.45 * rng.gaussian();
    }
    return { X: { rows: 2, cols: m, data: X }, y };
  }

  it("scores dev accuracy and cost of the softmax on stratified folds, then the test set", async () => {
    const three: DataBundle = { source: "blobs", train: blobs(30, 1), test: blobs(20, 2) };
    const r = await runSweep(three, {
      base: { hidden: [8], iterations: 300, learningRate: 0.3 },
      lambdas: [0, 1],
      folds: 3,
      seeds: [3],
    });
    for (const p of r.points) {
      expect(p.devAccuracy.n).toBe(3);
      expect(p.devAccuracy.mean).toBeGreaterThan(0.7); // chance is 1/3
      expect(Number.isFinite(p.devCost.mean)).toBe(true);
    }
    expect(r.final.scores.test.n).toBe(60);
    expect(Number.isFinite(r.final.scores.test.cost)).toBe(true);
    // The final run is the winner retrained on all the training data, a softmax with three outputs.
    const winner = r.points[r.winner];
    const again = await fitModel(three.train, {
      hidden: [8],
      iterations: 300,
      learningRate: 0.3,
      lambda: winner.lambda,
      keepProb: winner.keepProb,
      seed: 3,
    });
    expect(again.network.outputs).toBe(3);
    expect(accuracy(again.network, three.test!)).toBe(r.final.scores.test.accuracy);
  });
});
