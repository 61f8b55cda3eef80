import { describe, expect, it } from "vitest";
import { matrix } from "../../src/core/matrix.js";
import { modelFromJSON, modelToJSON } from "../../src/core/serialize.js";
import {
  bundleClassCount,
  classCount,
  type Dataset,
  labelsFrom,
  validateDataset,
} from "../../src/data/dataset.js";
import { fit } from "../../src/training/train.js";
import { dataErrorMessage } from "../support/assertions.js";

const set = (labels: number[]): Dataset => {
  const X = matrix(1, labels.length);
  labels.forEach((_, j) => {
    X.data[j] = j;
  });
  return { X, y: Uint8Array.from(labels) };
};

describe("labels 0…K−1", () => {
  it("accepts K classes, with or without every class present", () => {
    expect(() => validateDataset(set([0, 1, 2, 9]), "s")).not.toThrow();
    expect(() => validateDataset(set([3, 7]), "s")).not.toThrow();
    expect(classCount(Uint8Array.of(0, 4, 2))).toBe(5);
    expect(classCount(Uint8Array.of(0, 0))).toBe(2); // never fewer than two
  });

  it("needs two classes, and says which one it found", () => {
    expect(dataErrorMessage(() => validateDataset(set([1, 1]), "s"))).toBe(
      "s: data has only class 1; both classes are needed",
    );
    expect(dataErrorMessage(() => validateDataset(set([4, 4]), "s", "test set"))).toBe(
      "s: test set has only class 4; at least two classes are needed",
    );
  });

  it("rejects 255 (labels are bytes, at most 255 classes) and non-integers in one line", () => {
    expect(dataErrorMessage(() => validateDataset(set([0, 255]), "s"))).toBe(
      "s: data: label of example 2 is 255; labels must be whole numbers 0…K−1 (at most 255 classes)",
    );
    expect(dataErrorMessage(() => labelsFrom([0, 1.5], "f", "'y'"))).toBe(
      "f: 'y': value 2 is 1.5; labels must be whole numbers 0…K−1 (at most 255 classes)",
    );
    expect(dataErrorMessage(() => labelsFrom([Number.NaN], "f"))).toMatch(
      /value 1 is NaN; labels must be whole numbers/,
    );
    expect(dataErrorMessage(() => labelsFrom([-1], "f"))).toMatch(
      /value 1 is -1; labels must be whole numbers/,
    );
    expect(Array.from(labelsFrom([0, 3, 254], "f"))).toEqual([0, 3, 254]);
  });

  it("counts a bundle's classes over every set and its names", () => {
    expect(bundleClassCount({ train: set([0, 1]) })).toBe(2);
    expect(bundleClassCount({ train: set([0, 1]), test: set([0, 2]) })).toBe(3);
    expect(bundleClassCount({ train: set([0, 1]), classes: ["a", "b", "c", "d"] })).toBe(4);
  });
});

describe("fit with K classes and a model file that records them", () => {
  it("builds K outputs from `classes` even when the labels do not reach K − 1; two stay one sigmoid", async () => {
    const d = set([0, 1, 2, 0, 1, 2]);
    expect((await fit(d, { hidden: [3], iterations: 2 })).network.outputs).toBe(3);
    expect((await fit(d, { hidden: [3], iterations: 2 }, { classes: 5 })).network.outputs).toBe(5);
    expect(
      (await fit(set([0, 1, 0, 1]), { hidden: [3], iterations: 2 }, { classes: 2 })).network.outputs,
    ).toBe(1);
    await expect(fit(d, { hidden: [3], iterations: 2 }, { classes: 2 })).rejects.toThrow(
      /classes must be a whole number ≥ 2 covering the labels, got 2/,
    );
  });

  it("round-trips K outputs and class names through the model file", async () => {
    const { network } = await fit(set([0, 1, 2, 0, 1, 2]), { hidden: [3], iterations: 5 });
    const file = JSON.parse(JSON.stringify(modelToJSON(network, { classes: ["a", "b", "c"] })));
    expect(file.sizes).toEqual([1, 3, 3]);
    expect(file.classes).toEqual(["a", "b", "c"]);
    const back = modelFromJSON(file);
    expect(back.outputs).toBe(3);
    const X = set([0, 1, 2, 0, 1, 2]).X;
    expect(Array.from(back.predictProba(X))).toEqual(Array.from(network.predictProba(X)));
    expect(() => modelFromJSON({ ...file, classes: ["a", "b"] })).toThrow(/expected 3 distinct names/);
  });
});
