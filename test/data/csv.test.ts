import { describe, expect, it } from "vitest";
import { classCount, DataError } from "../../src/data/dataset.js";
import { parseCsv } from "../../src/data/formats/csv.js";

function csvError(text: string): DataError {
  try {
    parseCsv(text, "d.csv");
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return e as DataError;
  }
  throw new Error("expected parseCsv to throw");
}

describe("parseCsv", () => {
  it("reads rows as examples, the last column as the label", () => {
    const d = parseCsv("1,2,0\n3,4,1\n5,6,1\n", "d.csv");
    expect([d.X.rows, d.X.cols]).toEqual([2, 3]);
    expect(Array.from(d.X.data)).toEqual([1, 3, 5, 2, 4, 6]);
    expect(Array.from(d.y)).toEqual([0, 1, 1]);
  });

  it("skips a header, comments and blank lines; trims whitespace and CRLF", () => {
    const text =
      '\uFEFF# a comment\r\n"x1", "x2" ,label\r\n\r\n 1.5 , -2e-3 , 1 \r\n  # another\r\n.5,+3,0\r\n';
    const d = parseCsv(text, "d.csv");
    expect(Array.from(d.X.data)).toEqual([1.5, 0.5, -0.002, 3]);
    expect(Array.from(d.y)).toEqual([1, 0]);
  });

  it("accepts semicolon- or tab-separated files", () => {
    expect(Array.from(parseCsv("a;b\n1;0\n2;1", "d.csv").X.data)).toEqual([1, 2]);
    expect(Array.from(parseCsv("1\t2\t0\n3\t4\t1", "d.csv").y)).toEqual([0, 1]);
  });

  it("reads labels 0…K−1 for K classes", () => {
    const d = parseCsv("1,2,0\n3,4,2\n5,6,1\n7,8,9\n", "d.csv");
    expect(Array.from(d.y)).toEqual([0, 2, 1, 9]);
    expect(classCount(d.y)).toBe(10);
  });

  it("accepts 1.0 and 0.0 as labels", () => {
    expect(Array.from(parseCsv("1,1.0\n2,0.0", "d.csv").y)).toEqual([1, 0]);
  });

  it.each([
    ["ragged rows", "x,y,label\n1,2,0\n3,4,1\n\n# c\n5,1\n", /^d\.csv: line 6 has 2 fields, expected 3$/],
    ["too many fields", "1,2,0\n3,4,1,5\n", /line 2 has 4 fields, expected 3/],
    ["NaN", "1,2,0\nNaN,4,1\n", /line 2, column 1: 'NaN' is not a finite number/],
    ["Infinity", "1,-Infinity,0\n3,4,1\n", /line 1, column 2: '-Infinity' is not a finite number/],
    ["overflow", "1,1e999,0\n3,4,1\n", /line 1, column 2: '1e999' is not a finite number/],
    ["text", "1,2,0\n3,abc,1\n", /line 2, column 2: 'abc' is not a number/],
    ["hex", "0x10,2,0\n3,4,1\n", /line 1, column 1: '0x10' is not a number/],
    ["empty field", "1,,0\n3,4,1\n", /line 1, column 2 is empty/],
    [
      "label 0.5",
      "1,2,0.5\n3,4,1\n",
      /^d\.csv: line 1, label is 0\.5; the label is the last column and labels must be whole numbers 0…K−1/,
    ],
    [
      "label -1",
      "1,2,-1\n3,4,1\n",
      /line 1, label is -1; the label is the last column and labels must be whole/,
    ],
    ["label 255", "1,2,255\n3,4,1\n", /line 1, label is 255; .*at most 255 classes/],
    [
      "text label",
      "1,2,yes\n3,4,1\n",
      /line 1, label is 'yes'; the label is the last column and labels must be whole/,
    ],
    // The label column first: the last column holds features, which are rarely whole numbers.
    [
      "label column first",
      "label,x,y\n2,0.5,0.25\n0,1.5,0.75\n",
      /line 2, label is 0\.25; the label is the last column/,
    ],
    [
      "text label, recoded",
      "1,2,yes\n3,4,1\n",
      /line 1, label is 'yes'; the label is the last column and labels must be whole numbers 0…K−1 \(at most 255 classes\) \(write yes as 1\)$/,
    ],
    ["no label", "1,2,No\n3,4,1\n", /\(write no as 0\)$/],
    [
      "label first, words",
      "win,x1,x2\nyes,0.1,0.2\n",
      /line 2, column 1: 'yes' is not a number; the label is the last column and .* \(write yes as 1\)$/,
    ],
    [
      "label first, 0/1",
      "1,0.3,-0.2\n0,0.1,0.4\n",
      /line 1, label is -0\.2; the label is the last column and .*, and the first column \('1'\) looks like a label: move it to the end$/,
    ],
    ["missing label", "1,0\n3\n", /line 2 has 1 fields, expected 2/],
    ["one column", "0\n1\n", /line 1 has 1 field; need at least 2/],
    ["single class", "1,2,1\n3,4,1\n", /^d\.csv: data has only class 1; both classes are needed$/],
    [
      "single class of three",
      "1,2,2\n3,4,2\n",
      /^d\.csv: data has only class 2; at least two classes are needed$/,
    ],
    ["empty file", "", /^d\.csv: file is empty \(no data rows\)$/],
    ["only comments", "# nothing\n\n  \n", /file is empty/],
    ["header only", "x,y,label\n", /has a header row but no data rows/],
  ])("rejects %s", (_, text, message) => {
    const err = csvError(text);
    expect(err.message).toMatch(message);
    expect(err.source).toBe("d.csv");
  });
});
