/**
 * Issue 20, item 4: every public entry point checks its input as the CLI's loaders do, with the
 * same DataError lines — fit, the Trainer, gradientCheck, predict, predictProba and MC dropout.
 */
import { describe, expect, it } from "vitest";
import { fromRows, type Matrix } from "../../src/core/matrix.js";
import { mcDropoutPasses, predictWithUncertainty } from "../../src/core/mc-dropout.js";
import { Network } from "../../src/core/network.js";
import { RandomState } from "../../src/core/random.js";
import { DataError, type Dataset } from "../../src/data/dataset.js";
import { encodeLabels } from "../../src/data/labels.js";
import { resolveRunConfig } from "../../src/training/config.js";
import { gradientCheck } from "../../src/training/gradient-check.js";
import { fit } from "../../src/training/train.js";
import { Trainer } from "../../src/training/trainer.js";

/** Four examples of two features (features × examples), labels as given. */
function data(labels: number[], values = [0.1, -0.4, 0.9, 0.3, -0.2, 0.5, 0.7, -0.8]): Dataset {
  return { X: { rows: 2, cols: 4, data: Float64Array.from(values) }, y: Uint8Array.from(labels) };
}
const good = data([0, 1, 1, 0]);
const withNaN = data([0, 1, 1, 0], [0.1, Number.NaN, 0.9, 0.3, -0.2, 0.5, 0.7, -0.8]);
const withInfinity = data([0, 1, 1, 0], [0.1, -0.4, 0.9, 0.3, -0.2, 0.5, Number.POSITIVE_INFINITY, -0.8]);
const config = { hidden: [3], iterations: 5, costEvery: 5, seed: 1 };

async function fitError(d: Dataset, classes?: number): Promise<string> {
  const e = await fit(d, config, classes === undefined ? {} : { classes }).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DataError);
  return (e as DataError).message;
}

function thrown(f: () => unknown): string {
  let e: unknown;
  try {
    f();
  } catch (err) {
    e = err;
  }
  expect(e).toBeInstanceOf(DataError);
  return (e as DataError).message;
}

describe("fit refuses what the CLI refuses, with its words", () => {
  it("NaN and ∞ features: named, not diagnosed as features to standardize", async () => {
    expect(await fitError(withNaN)).toBe(
      "fit: the training data: feature 1 of example 2 is NaN, not a finite number",
    );
    expect(await fitError(withInfinity)).toBe(
      "fit: the training data: feature 2 of example 3 is Infinity, not a finite number",
    );
  });

  it("3 labels for 4 examples", async () => {
    expect(await fitError({ X: good.X, y: Uint8Array.from([0, 1, 1]) })).toBe(
      "fit: the training data has 4 examples but 3 labels",
    );
  });

  it("a single class", async () => {
    expect(await fitError(data([1, 1, 1, 1]))).toBe(
      "fit: the training data has only class 1; both classes are needed",
    );
    expect(await fitError(data([0, 0, 0, 0]))).toBe(
      "fit: the training data has only class 0; both classes are needed",
    );
  });

  it("labels that are not classes 0…K−1: counted from 1, or with a gap", async () => {
    expect(await fitError(data([1, 2, 2, 1]))).toBe(
      "fit: the training data: labels run 1…2: class 0 has no example; if they count from 1, subtract 1 (or write the classes as names)",
    );
    expect(await fitError(data([0, 1, 3, 1]))).toMatch(/labels are 0, 1, 3: class 2 has no example/);
  });

  it("with `classes` K, labels below K (a class may be missing) and two classes at least", async () => {
    const r = await fit(data([0, 1, 3, 1]), config, { classes: 4 });
    expect(r.network.outputs).toBe(4);
    expect(await fitError(data([0, 0, 0, 0]), 3)).toMatch(/^fit: the training data has only class 0; /);
  });

  it("takes class names through encodeLabels, sorted as scikit-learn sorts them", async () => {
    const { y, classes } = encodeLabels(["dog", "cat", "cat", "dog"]);
    expect(classes).toEqual(["cat", "dog"]);
    const r = await fit({ X: good.X, y }, config);
    expect(r.network.outputs).toBe(1);
  });
});

describe("the Trainer and gradientCheck check their data once, before any step", () => {
  const net = () => Network.initialize([2, 3, 1], new RandomState(1));
  const trainer = (n: Network, d: Dataset) => new Trainer(n, d, resolveRunConfig(config), new RandomState(1));

  it("features that are not the network's inputs", () => {
    const three: Dataset = { X: { rows: 1, cols: 4, data: new Float64Array(4) }, y: good.y };
    expect(thrown(() => trainer(net(), three))).toBe(
      "Trainer: the training data: the network takes 2 features, the data has 1",
    );
  });

  it("NaN features, a missing label, a label past the outputs", () => {
    expect(thrown(() => trainer(net(), withNaN))).toBe(
      "Trainer: the training data: feature 1 of example 2 is NaN, not a finite number",
    );
    expect(thrown(() => trainer(net(), { X: good.X, y: Uint8Array.from([0, 1, 1]) }))).toBe(
      "Trainer: the training data has 4 examples but 3 labels",
    );
    expect(thrown(() => trainer(net(), data([0, 1, 2, 0])))).toBe(
      "Trainer: the training data: label of example 3 is 2, but there are 2 classes (0…1)",
    );
  });

  it("gradientCheck names itself", () => {
    expect(thrown(() => gradientCheck(net(), withNaN))).toBe(
      "gradientCheck: the training data: feature 1 of example 2 is NaN, not a finite number",
    );
  });
});

describe("prediction refuses NaN input instead of answering 0.5", () => {
  const net = Network.initialize([2, 4, 1], new RandomState(2));
  const nan: Matrix = fromRows([
    [Number.NaN, 1],
    [0.5, 0.5],
  ]);

  it("predictProba and predict", () => {
    expect(thrown(() => net.predictProba(nan))).toBe(
      "predictProba: input: feature 1 of example 1 is NaN, not a finite number",
    );
    expect(thrown(() => net.predict(nan))).toBe(
      "predict: input: feature 1 of example 1 is NaN, not a finite number",
    );
    expect(thrown(() => net.predictProba(fromRows([[1, 2, 3]])))).toBe(
      "predictProba: input: the network takes 2 features, the data has 1",
    );
  });

  it("MC dropout", () => {
    const options = { keepProb: 0.8, samples: 3, seed: 1 };
    expect(thrown(() => mcDropoutPasses(net, nan, options))).toBe(
      "mcDropoutPasses: input: feature 1 of example 1 is NaN, not a finite number",
    );
    expect(thrown(() => predictWithUncertainty(net, nan, options))).toMatch(
      /^mcDropoutPasses: input: feature 1/,
    );
  });
});
