import { describe, expect, it } from "vitest";
import { matrix } from "../../src/core/matrix.js";
import { RandomState } from "../../src/core/random.js";
import { augmentTraining, checkAugmentation } from "../../src/data/augment/augmentation.js";
import type { DataBundle, Dataset } from "../../src/data/dataset.js";
import { type ComparisonModel, comparisonJob, runComparison } from "../../src/experiments/compare.js";
import { inProcessRunner } from "../../src/experiments/jobs.js";
import { CAT_MODELS, DIGIT_MODELS, modelSetFor, pickModels } from "../../src/experiments/model-sets.js";
import { validateQueuedFit } from "../../src/node/queue/job-schema.js";
import { workerRunner } from "../../src/node/sweep-pool.js";

/** m random 6×6 grey images whose class is whether the left half is brighter than the right. */
function images(m: number, seed: number): Dataset {
  const rng = new RandomState(seed);
  const shape = { height: 6, width: 6, channels: 1 };
  const X = matrix(36, m);
  const y = new Uint8Array(m);
  for (let j = 0; j < m; j++) {
    let left = 0;
    for (let f = 0; f < 36; f++) {
      const v = rng.random();
      X.data[f * m + j] = v;
      left += f % 6 < 3 ? v : -v;
    }
    y[j] = left > 0 ? 1 : 0;
  }
  return { X, y, shape };
}

const bundle: DataBundle = { source: "test images", train: images(60, 1), test: images(40, 2) };
const base = { hidden: [5], iterations: 60, learningRate: 0.5, costEvery: 20 };
const MODELS: ComparisonModel[] = [
  { key: "none", name: "none", overrides: {} },
  { key: "online", name: "flip online", overrides: {}, augment: { spec: "flip,crop:1", mode: "online" } },
  {
    key: "expand",
    name: "affine expand",
    overrides: { lambda: 0.1 },
    augment: { spec: "affine:shift=1", mode: "expand", copies: 2 },
  },
];

describe("augmentation as part of a comparison's model", () => {
  it("expand multiplies the examples and leaves the originals first; online hands the trainer a hook", () => {
    const train = bundle.train;
    const e = augmentTraining({ spec: "flip", mode: "expand", copies: 3 }, train, 5);
    expect(e.train.X.cols).toBe(4 * train.X.cols);
    expect(e.transform).toBeUndefined();
    expect(Array.from(e.train.y.subarray(0, 60))).toEqual(Array.from(train.y));
    expect(Array.from(e.train.y.subarray(180))).toEqual(Array.from(train.y));
    // Copies come from a generator of their own, seeded by the run's seed: same seed, same copies.
    const again = augmentTraining({ spec: "flip", mode: "expand", copies: 3 }, train, 5);
    expect(again.train.X.data).toEqual(e.train.X.data);
    const o = augmentTraining({ spec: "flip", mode: "online" }, train, 5);
    expect(o.train).toBe(train);
    expect(typeof o.transform).toBe("function");
    expect(() => checkAugmentation({ spec: "flip", mode: "online", copies: 2 })).toThrow(/expand/);
    expect(() => checkAugmentation({ spec: "twirl", mode: "online" })).toThrow(/unknown transform 'twirl'/);
  });

  it("jobs carry it, and local, worker-thread and first-seed runs agree bit for bit", async () => {
    const seeds = [3, 4];
    const local = await runComparison(bundle, { base, models: MODELS, seeds });
    const threaded = await runComparison(bundle, {
      base,
      models: MODELS,
      seeds,
      runner: workerRunner(bundle, { workers: 2 }),
    });
    for (let i = 0; i < MODELS.length; i++) {
      expect(threaded[i].seeds).toStrictEqual(local[i].seeds);
      expect(threaded[i].result.history.costs).toStrictEqual(local[i].result.history.costs);
    }
    // The first seed runs in this thread with the rows' own code; the same run as a job agrees.
    const jobs = MODELS.map((m, i) => comparisonJob(m, base, 3, true, i));
    expect(jobs[1].augment).toEqual({ spec: "flip,crop:1", mode: "online" });
    const results = await inProcessRunner(bundle)(jobs);
    results.forEach((r, i) => {
      expect(r.scores.test.correct).toStrictEqual(local[i].testCorrect);
      expect(r.scores.train.accuracy).toBe(local[i].trainAccuracy);
    });
    // Augmenting changes the run; its train accuracy is over the 60 originals, never the copies.
    expect(local[1].result.history.costs).not.toEqual(local[0].result.history.costs);
    expect(local[2].trainExamples).toBe(60);
    expect(local[2].fittedExamples).toBe(180);
  });

  it("the queue's job schema accepts an augmentation and refuses a bad one, naming the field", () => {
    const job = comparisonJob(MODELS[2], base, 3, true, 0);
    const { id: _, ...rest } = job;
    const payload = (augment: unknown) => ({
      reglab: "0.1.0",
      data: "a".repeat(64),
      job: { ...rest, augment },
    });
    expect(validateQueuedFit(payload(job.augment)).job.augment).toEqual(job.augment);
    expect(() => validateQueuedFit(payload({ spec: "flip", mode: "sideways" }))).toThrow(
      /job\.augment: augmentation mode must be online or expand/,
    );
    expect(() => validateQueuedFit(payload({ spec: "flip", mode: "expand", copies: "4" }))).toThrow(
      /job\.augment\.copies must be a number/,
    );
    expect(() => validateQueuedFit(payload({ spec: "flip", mode: "online", code: "x" }))).toThrow(
      /job\.augment has an unknown field 'code'/,
    );
    expect(() => validateQueuedFit(payload({ spec: "warp:9", mode: "online" }))).toThrow(
      /job\.augment: unknown transform 'warp'/,
    );
  });

  it("chooses the model set by the data and picks rows by key", () => {
    expect(modelSetFor(bundle).name).toBe("grayscale-images");
    expect(modelSetFor(bundle).models).toBe(DIGIT_MODELS);
    const rgb = { ...bundle, train: { ...bundle.train, shape: { height: 2, width: 6, channels: 3 } } };
    expect(modelSetFor(rgb).models).toBe(CAT_MODELS);
    const plain = { ...bundle, train: { X: bundle.train.X, y: bundle.train.y } };
    expect(modelSetFor(plain).name).toBe("football");
    const set = modelSetFor(bundle);
    expect(pickModels(set, ["elastic", "none"]).map((m) => m.key)).toEqual(["none", "elastic"]);
    expect(() => pickModels(set, ["flip"])).toThrow(/no model 'flip' here \(choose from none, l2/);
  });
});
