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

  it("reads K classes with their names, and counts K over every set", () => {
    const b = parseJsonData(
      JSON.stringify({
        X,
        y: [0, 2, 1],
        Xtest: [
          [1, 2],
          [3, 4],
        ],
        ytest: [3, 0],
        classes: ["a", "b", "c", "d"],
      }),
      "d.json",
    );
    expect(Array.from(b.train.y)).toEqual([0, 2, 1]);
    expect(b.classes).toEqual(["a", "b", "c", "d"]);
    expect(bundleClassCount(b)).toBe(4);
    expect(bundleClassCount({ train: b.train })).toBe(3);
    expect(bundleClassCount({ train: b.train, test: b.test })).toBe(4);
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
    ["label 0.5", { X, y: [0, 0.5, 1] }, /"y": value 2 is 0.5; labels must be whole numbers 0…K−1/],
    [
      "label 300",
      { X, y: [0, 300, 1] },
      /"y": value 2 is 300; labels must be whole numbers 0…K−1 \(at most 255/,
    ],
    ["label true", { X, y: [0, true, 1] }, /"y" value 2 is true; labels must be whole numbers/],
    ["y not an array", { X, y: 1 }, /"y" must be an array of labels 0…K−1/],
    [
      "classes not names",
      { X, y: [0, 2, 1], classes: ["a", "b", "b"] },
      /"classes" must list 2 to 255 distinct names/,
    ],
    [
      "too few classes",
      { X, y: [0, 2, 1], classes: ["a", "b"] },
      /"classes" names 2 classes but the labels go up to 2/,
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
    ["test single class", { X, y, Xtest: X, ytest: [0, 0, 0] }, /test set \(Xtest, ytest\) has only class 0/],
  ])("rejects %s", (_, doc, message) => {
    const err = jsonError(doc);
    expect(err.message).toMatch(message);
    expect(err.source).toBe("d.json");
  });
});
