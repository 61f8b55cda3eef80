import { checkFinite, DataError } from "../core/data-error.js";
import { type Matrix, matrix } from "../core/matrix.js";
import {
  type ClassSet,
  encodeHeldOutLabels,
  encodeTrainingLabels,
  isLabel,
  LABEL_RULE,
  type LabelPlace,
  type RawLabel,
} from "./labels.js";

/**
 * The geometry of image examples: each column of X holds height × width × channels values,
 * flattened row-major (height, then width, then channel), as numpy's reshape does.
 */
export interface ImageShape {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** Values per image of this shape. */
export function imageSize(s: ImageShape): number {
  return s.height * s.width * s.channels;
}

/**
 * Labelled examples for classification. Examples are columns, as in the seed: `X` is
 * features × m, and `y[j]` (a class 0…K−1; 0 or 1 for the article's two classes) labels column j. Images carry their `shape`
 * (with `X.rows` = height·width·channels) so transforms and pictures know the geometry.
 */
export interface Dataset {
  readonly X: Matrix;
  readonly y: Uint8Array;
  readonly shape?: ImageShape;
}

/** A training set with the held-out sets that come with it. */
export interface DataBundle {
  /** Where the data came from: a file path or a built-in dataset's name. */
  readonly source: string;
  readonly train: Dataset;
  readonly test?: Dataset;
  readonly dev?: Dataset;
  /** Set when the data is generated, not measured. */
  readonly synthetic?: boolean;
  /** Names of the classes by label (e.g. ["non-cat", "cat"]), when the data names them. */
  readonly classes?: readonly string[];
  /** Set when the file wrote its labels as names (numbered in sorted order); other files must too. */
  readonly namedLabels?: boolean;
}

export { DataError } from "../core/data-error.js";

/** Builds a dataset from rows of features (one row per example), transposing to features × m. */
export function fromExampleRows(rows: ArrayLike<ArrayLike<number>>, labels: ArrayLike<number>): Dataset {
  const m = rows.length;
  const nx = m === 0 ? 0 : rows[0].length;
  const X = matrix(nx, m);
  const y = new Uint8Array(m);
  for (let j = 0; j < m; j++) {
    for (let f = 0; f < nx; f++) X.data[f * m + j] = rows[j][f];
    y[j] = labels[j];
  }
  return { X, y };
}

/** Selects columns (examples) by index, keeping the image shape. */
export function subset(d: Dataset, indices: ArrayLike<number>): Dataset {
  const m = d.X.cols;
  const nx = d.X.rows;
  const k = indices.length;
  const X = matrix(nx, k);
  const y = new Uint8Array(k);
  for (let c = 0; c < k; c++) {
    const j = indices[c];
    for (let f = 0; f < nx; f++) X.data[f * k + c] = d.X.data[f * m + j];
    y[c] = d.y[j];
  }
  return d.shape ? { X, y, shape: d.shape } : { X, y };
}

export { isLabel, LABEL_RULE, MAX_CLASSES } from "./labels.js";

/** Number of classes the labels imply: the largest label + 1, at least 2. */
export function classCount(y: ArrayLike<number>): number {
  let max = 1;
  for (let j = 0; j < y.length; j++) if (y[j] > max) max = y[j];
  return max + 1;
}

/**
 * Checks a set's features: examples and feature columns present, one label per example, the
 * image shape's size, every value finite. Throws a DataError naming `source` and the first problem.
 */
export function validateFeatures(
  d: Pick<Dataset, "X" | "shape"> & { readonly y: ArrayLike<unknown> },
  source: string,
  what = "data",
): void {
  const m = d.X.cols;
  if (m === 0) throw new DataError(source, `${what} has no examples`);
  if (d.X.rows === 0) throw new DataError(source, `${what} has no feature columns`);
  if (d.y.length !== m) throw new DataError(source, `${what} has ${m} examples but ${d.y.length} labels`);
  if (d.shape && imageSize(d.shape) !== d.X.rows) {
    const { height, width, channels } = d.shape;
    throw new DataError(
      source,
      `${what}: images of ${height}×${width}×${channels} need ${imageSize(d.shape)} features, not ${d.X.rows}`,
    );
  }
  checkFinite(d.X, source, what);
}

/** Throws unless every label is a class 0…254, and below `classes` when that is given. */
export function checkLabels(y: ArrayLike<number>, source: string, what: string, classes?: number): void {
  for (let j = 0; j < y.length; j++) {
    if (!isLabel(y[j]))
      throw new DataError(source, `${what}: label of example ${j + 1} is ${y[j]}; ${LABEL_RULE}`);
    if (classes !== undefined && y[j] >= classes) {
      throw new DataError(
        source,
        `${what}: label of example ${j + 1} is ${y[j]}, but there are ${classes} classes (0…${classes - 1})`,
      );
    }
  }
}

/**
 * Checks what every model needs: finite features, labels 0…K−1, at least two classes present.
 * Throws a DataError naming `source` and the first problem found. (The loaders and fit also give
 * every class 0…K−1 an example: src/data/labels.ts.)
 */
export function validateDataset(d: Dataset, source: string, what = "data"): void {
  validateFeatures(d, source, what);
  checkLabels(d.y, source, what);
  const first = d.y[0];
  if (d.y.every((v) => v === first)) {
    const need = classCount(d.y) === 2 ? "both classes are needed" : "at least two classes are needed";
    throw new DataError(source, `${what} has only class ${first}; ${need}`);
  }
}

/**
 * Number of classes of a bundle: its class names', or the largest label in any of its sets + 1
 * (at least 2), so a model has an output for a class the training set happens to lack.
 */
export function bundleClassCount(b: Pick<DataBundle, "train" | "test" | "dev" | "classes">): number {
  const sets = [b.train, b.test, b.dev].filter((d): d is Dataset => d !== undefined);
  return Math.max(b.classes?.length ?? 2, ...sets.map((d) => classCount(d.y)));
}

/** Converts raw label values to class bytes 0…K−1, rejecting anything else (-1, 0.5, NaN, 300) by name. */
export function labelsFrom(values: ArrayLike<number>, source: string, what = "labels"): Uint8Array {
  const y = new Uint8Array(values.length);
  for (let j = 0; j < values.length; j++) {
    const v = values[j];
    if (!isLabel(v)) throw new DataError(source, `${what}: value ${j + 1} is ${v}; ${LABEL_RULE}`);
    y[j] = v;
  }
  return y;
}

/** A set as a loader reads it: features checked, labels as the file writes them. */
export interface RawSet {
  readonly X: Matrix;
  readonly labels: ArrayLike<RawLabel>;
  readonly shape?: ImageShape;
  /** The set in messages, e.g. "training set (X, y)"; "" for a file that is one set. */
  readonly what: string;
  /** Where label j is in the file, e.g. "line 7, label"; "label j+1" when unset. */
  readonly at?: (j: number) => string;
}

/** A file's sets before their labels are encoded; `classes` are the names the file lists. */
export interface RawBundle {
  readonly source: string;
  readonly train: RawSet;
  readonly test?: RawSet;
  readonly dev?: RawSet;
  readonly classes?: readonly string[];
}

const placeOf = (r: RawSet, source: string): LabelPlace => ({
  source,
  what: r.what,
  ...(r.at ? { at: r.at } : {}),
});

/** Checks a raw set's features (and label count) before its labels are judged. */
function checkRawSet(r: RawSet, source: string): void {
  validateFeatures({ X: r.X, y: r.labels, ...(r.shape ? { shape: r.shape } : {}) }, source, r.what || "data");
}

function setOf(r: RawSet, y: Uint8Array): Dataset {
  return r.shape ? { X: r.X, y, shape: r.shape } : { X: r.X, y };
}

/**
 * A file's sets with their labels encoded by the one rule (src/data/labels.ts): the training set
 * defines the classes, its test and dev sets are read against them.
 */
export function encodeBundle(raw: RawBundle): DataBundle {
  const { source } = raw;
  for (const r of [raw.train, raw.test, raw.dev]) if (r) checkRawSet(r, source);
  const { y, classes } = encodeTrainingLabels(raw.train.labels, placeOf(raw.train, source), raw.classes);
  const train = setOf(raw.train, y);
  const heldOut = (r: RawSet | undefined) =>
    r && setOf(r, encodeHeldOutLabels(r.labels, placeOf(r, source), classes));
  const test = heldOut(raw.test);
  const dev = heldOut(raw.dev);
  return {
    source,
    train,
    ...(test && { test }),
    ...(dev && { dev }),
    ...(classes.names && { classes: [...classes.names] }),
    ...(classes.named && { namedLabels: true }),
  };
}

/** The classes of a loaded bundle, to read another file's test or dev set against. */
export function classSetOf(b: DataBundle): ClassSet {
  return {
    count: bundleClassCount(b),
    ...(b.classes ? { names: b.classes } : {}),
    named: b.namedLabels === true,
  };
}

/** Another file's set read as a test or dev set of `against` (the same classes, names or numbers). */
export function encodeHeldOut(raw: RawSet, source: string, against: DataBundle): Dataset {
  checkRawSet(raw, source);
  return setOf(raw, encodeHeldOutLabels(raw.labels, placeOf(raw, source), classSetOf(against)));
}
