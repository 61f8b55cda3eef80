import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { accuracy } from "../../src/core/network.js";
import { loadDataFile } from "../../src/node/load-data.js";
import { fit } from "../../src/training/train.js";
import { CAT_TEST_H5, CAT_TRAIN_H5, HAS_CATS, NO_CATS_REASON } from "../support/paths.js";

// Written by scripts/reference/cat_reference.py: the course's L-layer cat model in numpy. The
// full 2 500 iterations take minutes here (bench/cat-reproduction.mjs runs them); the test runs
// the fixture's short run, 100 iterations with the cost every 10.
interface Run {
  iterations: number;
  costEvery: number;
  costs: number[];
  trainAccuracy: number;
  testAccuracy: number;
}
const fixture: { layers: number[]; learningRate: number; seed: number; full: Run; short: Run } = JSON.parse(
  readFileSync(new URL("../fixtures/cat-reference.json", import.meta.url), "utf8"),
);

describe.skipIf(!HAS_CATS)(`the course's cat model (${HAS_CATS ? "present" : NO_CATS_REASON})`, () => {
  it("gives numpy's costs to 1e-9 and its accuracies", async () => {
    const bundle = await loadDataFile(CAT_TRAIN_H5, { testPath: CAT_TEST_H5 });
    const run = fixture.short;
    const result = await fit(bundle.train, {
      hidden: fixture.layers.slice(1, -1),
      activation: "relu",
      init: "reference",
      seed: fixture.seed,
      learningRate: fixture.learningRate,
      iterations: run.iterations,
      costEvery: run.costEvery,
    });
    const costs = result.history.costs;
    expect(costs).toHaveLength(run.costs.length);
    costs.forEach((c, k) => {
      expect(Math.abs(c - run.costs[k]) / run.costs[k], `cost ${k * run.costEvery}`).toBeLessThan(1e-9);
    });
    expect(accuracy(result.network, bundle.train)).toBe(run.trainAccuracy);
    expect(accuracy(result.network, bundle.test!)).toBe(run.testAccuracy);
  });
});
