/**
 * Labels in every loader (issue 20): 1-based labels, gaps, names, numbers and names mixed, one
 * class, missing values, a test set with a class of its own. Whatever the labels, a loader returns
 * exactly the documented encoding — checked against a model of the rule written here, apart from
 * src/data/labels.ts — or throws its one-line DataError. Never another exception, never a dataset
 * whose labels mean something the rule does not say.
 */
import fc from "fast-check";
import { RandomState } from "../../src/core/random.js";
import { type DataBundle, DataError, encodeBundle, encodeHeldOut } from "../../src/data/dataset.js";
import { digitsBundle } from "../../src/data/digits.js";
import { parseCsvData, readCsv } from "../../src/data/formats/csv.js";
import { parseIdx } from "../../src/data/formats/idx.js";
import { parseJsonData } from "../../src/data/formats/json.js";
import { type MatArray, matToBundle } from "../../src/data/formats/mat.js";
import { readLabelList } from "../../src/data/formats/pictures.js";
import { idxBytes } from "../support/pictures.js";
import { expectCleanError } from "./loader-properties.js";

// ---- The rule, modelled independently ----

type Token = number | string;
/** What a loader must do with a training set's labels (and a test set's). */
type Expected = { ok: false } | { ok: true; train: number[]; test?: number[]; classes?: string[] };

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const MISSING = /^[+-]?(nan|na|n\/a|null|inf|infinity|-|\?)$/i;

/** A label written as text: a number when it reads as one. */
const fromText = (t: string): Token => (DECIMAL.test(t.trim()) ? Number(t.trim()) : t.trim());

/** Code-point order, as numpy sorts strings. */
function codePointOrder(a: string, b: string): number {
  const x = [...a].map((c) => c.codePointAt(0)!);
  const y = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

type Kind = "numbers" | "names" | "bad";
function kind(tokens: readonly Token[]): Kind {
  const names = tokens.filter((t) => typeof t === "string") as string[];
  if (names.some((n) => n === "" || MISSING.test(n))) return "bad";
  if (names.length === 0) return "numbers";
  return names.length === tokens.length ? "names" : "bad";
}

/** The documented encoding of a training set and its test set, or that they are refused. */
export function expected(
  train: readonly Token[],
  test?: readonly Token[],
  declared?: readonly string[],
): Expected {
  const k = kind(train);
  if (k === "bad" || train.length === 0) return { ok: false };
  let y: number[];
  let names: string[] | undefined;
  let count: number;
  if (k === "names") {
    names = declared ? [...declared] : [...new Set(train as string[])].sort(codePointOrder);
    if (names.length > 255 || train.some((t) => !names!.includes(t as string))) return { ok: false };
    y = train.map((t) => names!.indexOf(t as string));
    count = names.length;
  } else {
    y = train as number[];
    if (y.some((v) => !Number.isInteger(v) || v < 0 || v >= 255)) return { ok: false };
    count = Math.max(2, ...y.map((v) => v + 1));
    if (declared) {
      if (count > declared.length) return { ok: false };
      count = declared.length;
      names = [...declared];
    }
  }
  // At least two classes, and every class 0…K−1 with a training example.
  if (new Set(y).size < 2) return { ok: false };
  for (let c = 0; c < count; c++) if (!y.includes(c)) return { ok: false };
  let testY: number[] | undefined;
  if (test !== undefined) {
    const kt = kind(test);
    if (kt === "bad" || test.length === 0) return { ok: false };
    if (kt === "names") {
      if (!names || test.some((t) => !names!.includes(t as string))) return { ok: false };
      testY = test.map((t) => names!.indexOf(t as string));
    } else {
      if (k === "names") return { ok: false };
      testY = test as number[];
      if (testY.some((v) => !Number.isInteger(v) || v < 0 || v >= count)) return { ok: false };
    }
  }
  return {
    ok: true,
    train: y,
    ...(testY && { test: testY }),
    ...(names && (k === "names" || declared) && { classes: names }),
  };
}

/** Runs a loader and holds it to the model: the same labels and names, or a clean DataError. */
function agree(load: () => DataBundle, want: Expected): void {
  let b: DataBundle;
  try {
    b = load();
  } catch (e) {
    expectCleanError(e, DataError);
    if (want.ok) throw new Error(`refused labels the rule accepts: ${(e as Error).message}`);
    return;
  }
  if (!want.ok) {
    throw new Error(`accepted labels the rule refuses: train ${Array.from(b.train.y)}, classes ${b.classes}`);
  }
  const same = (a: ArrayLike<number>, e: readonly number[]) =>
    a.length === e.length && e.every((v, j) => a[j] === v);
  if (!same(b.train.y, want.train))
    throw new Error(`training labels ${Array.from(b.train.y)}, expected ${want.train}`);
  if (want.test && !(b.test && same(b.test.y, want.test)))
    throw new Error(`test labels ${b.test && Array.from(b.test.y)}, expected ${want.test}`);
  if (JSON.stringify(b.classes) !== JSON.stringify(want.classes))
    throw new Error(`classes ${JSON.stringify(b.classes)}, expected ${JSON.stringify(want.classes)}`);
}

// ---- Label sets a user might write ----

const NAMES = ["cat", "dog", "bird", "Cat", "élan", "\u{1F600}", "\uFF5E", "yes", "no", "a b"];
const ODD = ["NaN", "NA", "inf", "-", "1.5", "01", "-1", "255", "254", "1e0", "0.0", "+2"];

const labelText = fc.oneof(
  // classes 0…K−1, all present
  fc.integer({ min: 2, max: 5 }).chain((k) =>
    fc.shuffledSubarray(
      [...Array(3 * k).keys()].map((i) => String(i % k)),
      { minLength: 3 * k },
    ),
  ),
  // counted from 1
  fc
    .integer({ min: 2, max: 5 })
    .chain((k) => fc.array(fc.integer({ min: 1, max: k }).map(String), { minLength: 1, maxLength: 10 })),
  // numbers with gaps, or one class
  fc.array(fc.integer({ min: 0, max: 6 }).map(String), { minLength: 1, maxLength: 10 }),
  // names, sometimes one
  fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 10 }),
  // numbers and names mixed, odd numbers, missing values
  fc.array(fc.oneof(fc.constantFrom(...NAMES, ...ODD), fc.integer({ min: 0, max: 3 }).map(String)), {
    minLength: 1,
    maxLength: 10,
  }),
);

/** A training set's labels and a test set's: from the same classes, or with one of its own. */
export const labelPairs = fc
  .tuple(
    labelText,
    fc.oneof(
      fc.constant(undefined),
      labelText,
      fc.constantFrom(["bird"], ["2"], ["0"], ["cat", "cat"]).map((t) => [...t]),
    ),
  )
  .map(([train, test]) => ({ train, test }));

const featureRow = (j: number) => [(j % 5) / 5, ((j * 7) % 3) / 3];

// ---- CSV: a training file and a --test file read against it ----

export function checkCsvLabels({ train, test }: { train: string[]; test?: string[] }): void {
  const text = (labels: string[]) => labels.map((l, j) => `${featureRow(j).join(",")},${l}`).join("\n");
  agree(
    () => {
      const b = parseCsvData(text(train), "train.csv");
      return test
        ? {
            ...b,
            test: encodeHeldOut({ ...readCsv(text(test), "test.csv"), what: "test set" }, "test.csv", b),
          }
        : b;
    },
    expected(train.map(fromText), test?.map(fromText)),
  );
}

// ---- JSON: numbers as numbers, names as strings, sometimes "classes" ----

export const jsonLabelInputs = fc.tuple(
  labelPairs,
  fc.boolean(),
  fc.oneof(
    fc.constant(undefined),
    fc.constantFrom(["cat", "dog"], ["dog", "cat", "bird"]).map((c) => [...c]),
  ),
);

export function checkJsonLabels([{ train, test }, asNumbers, classes]: [
  { train: string[]; test?: string[] },
  boolean,
  string[] | undefined,
]): void {
  // Numbers written as JSON numbers, or left as strings ("1"): both read as the number.
  const tokens = (labels: string[]) => labels.map((l) => (asNumbers && DECIMAL.test(l) ? Number(l) : l));
  const doc = {
    X: train.map((_, j) => featureRow(j)),
    y: tokens(train),
    ...(test && { Xtest: test.map((_, j) => featureRow(j)), ytest: tokens(test) }),
    ...(classes && { classes }),
  };
  agree(
    () => parseJsonData(JSON.stringify(doc), "fuzz.json"),
    expected(train.map(fromText), test?.map(fromText), classes),
  );
}

// ---- MAT: numeric labels only (y and yval as doubles) ----

const matValue = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 5 }) },
  { weight: 1, arbitrary: fc.constantFrom(-1, 0.5, 254, 255, 1e9, Number.NaN) },
);
export const matLabelInputs = fc.tuple(
  fc.oneof(
    fc.array(matValue, { minLength: 1, maxLength: 10 }),
    fc
      .integer({ min: 2, max: 4 })
      .chain((k) => fc.array(fc.integer({ min: 1, max: k }), { minLength: 1, maxLength: 10 })),
  ),
  fc.oneof(fc.constant(undefined), fc.array(matValue, { minLength: 1, maxLength: 4 })),
);

const column = (name: string, values: readonly number[]): MatArray => ({
  name,
  dims: [values.length, 1],
  data: Float64Array.from(values),
  className: "double",
});
const rows = (name: string, m: number): MatArray => {
  // Column-major m × 2.
  const data = new Float64Array(2 * m);
  for (let j = 0; j < m; j++) [data[j], data[m + j]] = featureRow(j);
  return { name, dims: [m, 2], data, className: "double" };
};

export function checkMatLabels([train, test]: [number[], number[] | undefined]): void {
  const vars = [rows("X", train.length), column("y", train)];
  if (test) vars.push(rows("Xval", test.length), column("yval", test));
  agree(() => matToBundle(new Map(vars.map((v) => [v.name, v])), "fuzz.mat"), expected(train, test));
}

// ---- HDF5: numeric labels, sometimes list_classes (the raw sets readHdf5 gives encodeBundle) ----

export const hdf5LabelInputs = fc.tuple(
  matLabelInputs,
  fc.oneof(
    fc.constant(undefined),
    fc.constantFrom(["non-cat", "cat"], ["a", "b", "c"]).map((c) => [...c]),
  ),
);

export function checkHdf5Labels([[train, test], classes]: [
  [number[], number[] | undefined],
  string[] | undefined,
]): void {
  const set = (labels: number[], what: string) => ({
    X: { rows: 2, cols: labels.length, data: new Float64Array(2 * labels.length) },
    labels,
    what,
  });
  agree(
    () =>
      encodeBundle({
        source: "fuzz.h5",
        train: set(train, "train_set_x, train_set_y"),
        ...(test && { test: set(test, "test_set_x, test_set_y") }),
        ...(classes && { classes }),
      }),
    expected(train, test, classes),
  );
}

// ---- A picture folder's labels.csv (as load-data turns it into a training set) ----

export function checkLabelListLabels({ train }: { train: string[] }): void {
  const text = `file,label\n${train.map((l, j) => `p${j}.png,${l}`).join("\n")}\n`;
  agree(
    () => {
      const list = readLabelList(text, "labels.csv");
      const X = { rows: 1, cols: list.files.length, data: new Float64Array(list.files.length) };
      return encodeBundle({
        source: "pictures",
        train: { X, labels: list.labels, what: "the pictures", at: list.at },
      });
    },
    expected(train.map(fromText)),
  );
}

// ---- The digits: IDX label bytes, all ten or a pair ----

export const digitLabelInputs = fc.tuple(
  fc.array(
    fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 0, max: 9 }) },
      { weight: 1, arbitrary: fc.integer({ min: 10, max: 255 }) },
    ),
    {
      minLength: 1,
      maxLength: 24,
    },
  ),
  fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 8 }),
  fc.oneof(
    fc.constant(undefined),
    fc.constantFrom([3, 8], [0, 1], [9, 2]).map((p) => [...p]),
  ),
);

function idxSet(labels: number[]) {
  const images = idxBytes(
    [labels.length, 2, 2],
    labels.flatMap((l) => [l, l, l, l]),
  );
  return {
    images: parseIdx(images, "images"),
    labels: parseIdx(idxBytes([labels.length], labels), "labels"),
  };
}

/** The digits' encoding: the digit itself, or its place in the pair; the file's digits all present. */
function expectedDigits(train: number[], test: number[], pair?: number[]): Expected {
  if ([...train, ...test].some((d) => d > 9)) return { ok: false };
  const digits = pair ?? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  if (digits.some((d) => !train.includes(d))) return { ok: false };
  const code = (ds: number[]) => ds.filter((d) => digits.includes(d)).map((d) => digits.indexOf(d));
  const t = code(test);
  // A test set needs examples, and (as every set the digits give) two classes.
  if (t.length === 0 || t.every((v) => v === t[0])) return { ok: false };
  return { ok: true, train: code(train), test: t, classes: digits.map(String) };
}

export function checkDigitLabels([train, test, pair]: [number[], number[], number[] | undefined]): void {
  const a = idxSet(train);
  const b = idxSet(test);
  agree(
    () =>
      digitsBundle(
        { trainImages: a.images, trainLabels: a.labels, testImages: b.images, testLabels: b.labels },
        pair ? { pair } : {},
        new RandomState(0),
      ),
    expectedDigits(train, test, pair),
  );
}
