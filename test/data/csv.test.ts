import { describe, expect, it } from "vitest";
import { classCount, DataError } from "../../src/data/dataset.js";
import { parseCsv, parseCsvData } from "../../src/data/formats/csv.js";

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
    const d = parseCsv("1,2,0\n3,4,2\n5,6,1\n7,8,3\n", "d.csv");
    expect(Array.from(d.y)).toEqual([0, 2, 1, 3]);
    expect(classCount(d.y)).toBe(4);
  });

  it("reads class names as classes in sorted order (scikit-learn's LabelEncoder)", () => {
    const b = parseCsvData("x1,x2,label\n1,2,dog\n3,4,cat\n5,6,Dog\n7,8,dog\n", "d.csv");
    expect(b.classes).toEqual(["Dog", "cat", "dog"]);
    expect(Array.from(b.train.y)).toEqual([2, 1, 0, 2]);
    expect(b.namedLabels).toBe(true);
    // Sorted by code point, as numpy sorts strings (JS's sort would put U+1F600 before U+FF5E).
    expect(parseCsvData("1,\u{1F600}\n2,\uFF5E\n", "d.csv").classes).toEqual(["\uFF5E", "\u{1F600}"]);
    expect(Array.from(parseCsv("1,yes\n2,no\n3,yes\n", "d.csv").y)).toEqual([1, 0, 1]);
  });

  it.each([
    [
      "labels from 1",
      "1,1\n2,2\n3,2\n",
      "d.csv: labels run 1…2: class 0 has no example; if they count from 1, subtract 1 (or write the classes as names)",
    ],
    [
      "a gap",
      "1,0\n2,1\n3,3\n",
      "d.csv: labels are 0, 1, 3: class 2 has no example; number the classes 0…K−1 without gaps (or write them as names)",
    ],
    [
      "two gaps",
      "1,0\n2,2\n3,4\n",
      "d.csv: labels are 0, 2, 4: classes 1 and 3 have no example; number the classes 0…K−1 without gaps (or write them as names)",
    ],
    ["from 1, one class", "1,1\n2,1\n", "d.csv: data has only class 1; both classes are needed"],
    [
      "mixed",
      "1,cat\n2,1\n",
      "d.csv: labels mix numbers (line 2, label: 1) and names (line 1, label: 'cat'); write every label as a number 0…K−1 or every one as a name",
    ],
    ["one name", "1,cat\n2,cat\n", "d.csv: data has only class 'cat'; at least two classes are needed"],
    ["a missing value", "1,cat\n2,NA\n", "d.csv: line 2, label: 'NA' is a missing value, not a class"],
  ])("refuses %s in one line that names the cause", (_, text, message) => {
    expect(csvError(text).message).toBe(message);
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
      /^d\.csv: line 1, label is 0\.5; the label \(last column\) is a whole number 0…K−1 \(at most 255 classes\) or a class name/,
    ],
    ["label -1", "1,2,-1\n3,4,1\n", /line 1, label is -1; the label \(last column\) is a whole number 0…K−1/],
    ["label 255", "1,2,255\n3,4,1\n", /line 1, label is 255; .*at most 255 classes/],
    // The label column first: the last column holds features, which are rarely whole numbers.
    [
      "label column first",
      "label,x,y\n2,0.5,0.25\n0,1.5,0.75\n",
      /line 2, label is 0\.25; the label \(last column\) is a whole number/,
    ],
    [
      "label first, words",
      "win,x1,x2\nyes,0.1,0.2\n",
      /^d\.csv: line 2, column 1: 'yes' is not a number; features are numbers, and the label is the last column$/,
    ],
    [
      "label first, 0/1",
      "1,0.3,-0.2\n0,0.1,0.4\n",
      /line 1, label is -0\.2; the label \(last column\) is .*, and the first column \('1'\) looks like a label: move it to the end$/,
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
