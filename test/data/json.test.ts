import { describe, expect, it } from "vitest";
import { bundleClassCount, DataError } from "../../src/data/dataset.js";
import { parseJsonData } from "../../src/data/formats/json.js";

const X = [
  [1, 2],
  [3, 4],
  [5, 6],
];
const y = [0, 1, 1];

function jsonError(doc: unknown): DataError {
  const text = typeof doc === "string" ? doc : JSON.stringify(doc);
  try {
    parseJsonData(text, "d.json");
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return e as DataError;
  }
  throw new Error("expected parseJsonData to throw");
}

describe("parseJsonData", () => {
  it("reads X (rows are examples) and y into features × examples", () => {
    const b = parseJsonData(JSON.stringify({ X, y, note: "ignored" }), "d.json");
    expect(b.source).toBe("d.json");
    expect([b.train.X.rows, b.train.X.cols]).toEqual([2, 3]);
    expect(Array.from(b.train.X.data)).toEqual([1, 3, 5, 2, 4, 6]);
    expect(Array.from(b.train.y)).toEqual([0, 1, 1]);
    expect(b.test).toBeUndefined();
    expect(b.dev).toBeUndefined();
  });

  it("reads K classes with their names; a test set may lack a class, not add one", () => {
    const doc = { X, y: [0, 2, 1], Xtest: [[1, 2]], ytest: [2], classes: ["a", "b", "c"] };
    const b = parseJsonData(JSON.stringify(doc), "d.json");
    expect(Array.from(b.train.y)).toEqual([0, 2, 1]);
    expect(Array.from(b.test!.y)).toEqual([2]);
    expect(b.classes).toEqual(["a", "b", "c"]);
    expect(bundleClassCount(b)).toBe(3);
    expect(jsonError({ ...doc, ytest: [3] }).message).toBe(
      'd.json: test set (Xtest, ytest): "ytest" value 1 is class 3, which the training set lacks (its classes are 0…2)',
    );
    expect(jsonError({ ...doc, classes: ["a", "b", "c", "d"] }).message).toBe(
      "d.json: training set (X, y): class 3 ('d') has no example; every class the data names needs a training example",
    );
  });

  it("takes a test set of one class", () => {
    const b = parseJsonData(JSON.stringify({ X, y, Xtest: X, ytest: [0, 0, 0] }), "d.json");
    expect(Array.from(b.test!.y)).toEqual([0, 0, 0]);
  });

  it('reads class names as classes in sorted order, or through "classes"', () => {
    const b = parseJsonData(
      JSON.stringify({ X, y: ["dog", "cat", "dog"], Xtest: [[0, 0]], ytest: ["cat"] }),
      "d.json",
    );
    expect(Array.from(b.train.y)).toEqual([1, 0, 1]);
    expect(Array.from(b.test!.y)).toEqual([0]);
    expect(b.classes).toEqual(["cat", "dog"]);
    const declared = parseJsonData(
      JSON.stringify({ X, y: ["dog", "cat", "dog"], classes: ["dog", "cat"] }),
      "d.json",
    );
    expect(Array.from(declared.train.y)).toEqual([0, 1, 0]);
    expect(jsonError({ X, y: ["dog", "cat", "dog"], Xtest: [[0, 0]], ytest: ["bird"] }).message).toBe(
      "d.json: test set (Xtest, ytest): \"ytest\" value 1: class 'bird' is not one of the training set's classes (cat, dog)",
    );
    expect(jsonError({ X, y: ["dog", 1, "dog"] }).message).toMatch(
      /labels mix numbers \("y" value 2: 1\) and names \("y" value 1: 'dog'\)/,
    );
  });

  it("reads the optional test and dev sets, and labels as an m×1 column", () => {
    const b = parseJsonData(
      JSON.stringify({
        X,
        y: [[0], [1], [1]],
        Xtest: [
          [7, 8],
          [9, 10],
        ],
        ytest: [1, 0],
        Xdev: X,
        ydev: y,
      }),
      "d.json",
    );
    expect(Array.from(b.train.y)).toEqual([0, 1, 1]);
    expect(Array.from(b.test!.X.data)).toEqual([7, 9, 8, 10]);
    expect(Array.from(b.test!.y)).toEqual([1, 0]);
    expect(b.dev!.X.cols).toBe(3);
  });

  it.each([
    ["bad JSON", "{ X: [1] }", /^d\.json: invalid JSON: /],
    ["NaN (not JSON)", '{"X": [[NaN, 1]], "y": [0]}', /invalid JSON/],
    ["an array", [1, 2], /expected a JSON object with "X"/],
    ["missing X and y", { x: X }, /missing "X" and "y"/],
    ["missing y", { X }, /found "X" but no "y"/],
    ["missing Xtest", { X, y, ytest: y }, /found "ytest" but no "Xtest"/],
    ["X not rows", { X: [1, 2, 3], y }, /"X" row 1 is 1, expected an array of numbers/],
    ["X not an array", { X: "abc", y }, /"X" must be an array of rows/],
    ["ragged rows", { X: [[1, 2], [3], [5, 6]], y }, /"X" row 2 has 1 values, expected 2/],
    [
      "a string value",
      {
        X: [
          [1, 2],
          [3, "abc"],
          [5, 6],
        ],
        y,
      },
      /"X" row 2, value 2 is 'abc', not a number/,
    ],
    [
      "a null value",
      {
        X: [
          [1, null],
          [3, 4],
          [5, 6],
        ],
        y,
      },
      /"X" row 1, value 2 is null, not a number/,
    ],
    ["label 0.5", { X, y: [0, 0.5, 1] }, /"y" value 2 is 0.5; labels must be whole numbers 0…K−1/],
    [
      "label 300",
      { X, y: [0, 300, 1] },
      /"y" value 2 is 300; labels must be whole numbers 0…K−1 \(at most 255/,
    ],
    ["label true", { X, y: [0, true, 1] }, /"y" value 2 is true; labels must be whole numbers/],
    ["y not an array", { X, y: 1 }, /"y" must be an array of labels \(class numbers or names\)/],
    [
      "classes not names",
      { X, y: [0, 2, 1], classes: ["a", "b", "b"] },
      /"classes" must list 2 to 255 distinct names/,
    ],
    [
      "too few classes",
      { X, y: [0, 2, 1], classes: ["a", "b"] },
      /"y" value 2 is 2, but the data names 2 classes \(0…1\)/,
    ],
    ["count mismatch", { X, y: [0, 1] }, /"X" has 3 rows \(examples\) but "y" has 2 labels/],
    ["single class", { X, y: [1, 1, 1] }, /training set \(X, y\) has only class 1; both classes are needed/],
    ["no examples", { X: [], y: [] }, /training set \(X, y\) has no examples/],
    ["no features", { X: [[], [], []], y }, /has no feature columns/],
    [
      "test feature count",
      { X, y, Xtest: [[1], [2]], ytest: [0, 1] },
      /"Xtest" rows have 1 features but "X" rows have 2/,
    ],
    [
      "labels from 1",
      { X, y: [1, 2, 2] },
      /training set \(X, y\): labels run 1…2: class 0 has no example; if they count from 1, subtract 1/,
    ],
    ["a label gap", { X, y: [0, 1, 3] }, /training set \(X, y\): labels are 0, 1, 3: class 2 has no example/],
    ["a missing value", { X, y: [0, "NaN", 1] }, /"y" value 2: 'NaN' is a missing value, not a class/],
    [
      "a test class the training set lacks",
      { X, y, Xtest: X, ytest: [0, 2, 0] },
      /test set \(Xtest, ytest\): "ytest" value 2 is class 2, which the training set lacks \(its classes are 0…1\)/,
    ],
  ])("rejects %s", (_, doc, message) => {
    const err = jsonError(doc);
    expect(err.message).toMatch(message);
    expect(err.source).toBe("d.json");
  });
});
