import { type Matrix, matrix } from "../core/matrix.js";
import { clipPath, oneLine } from "../core/quote.js";

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
 * features × m, and `y[j]` (a class 0…K−1; 0 or 1 for the seed's two classes) labels column j. Images carry their `shape`
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
}

/** Raised for data that cannot be used; `source` names the file or dataset. */
export class DataError extends Error {
  constructor(
    readonly source: string,
    /** What is wrong, without the source. */
    readonly detail: string,
  ) {
    super(oneLine(`${clipPath(source)}: ${detail}`));
    this.name = "DataError";
  }
}

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

/** The most classes a dataset may have: labels are bytes. */
export const MAX_CLASSES = 255;

/** What every label message says labels must be. */
export const LABEL_RULE = `labels must be whole numbers 0…K−1 (at most ${MAX_CLASSES} classes)`;

/** Whether `v` can be a class label. */
export function isLabel(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 0 && v < MAX_CLASSES;
}

/** Number of classes the labels imply: the largest label + 1, at least 2. */
export function classCount(y: ArrayLike<number>): number {
  let max = 1;
  for (let j = 0; j < y.length; j++) if (y[j] > max) max = y[j];
  return max + 1;
}

/**
 * Checks what every model needs: finite features, labels 0…K−1, at least two classes present.
 * Throws a DataError naming `source` and the first problem found.
 */
export function validateDataset(d: Dataset, source: string, what = "data"): void {
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
  const data = d.X.data;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const f = Math.floor(i / m);
      const j = i % m;
      throw new DataError(
        source,
        `${what}: feature ${f + 1} of example ${j + 1} is ${data[i]}, not a finite number`,
      );
    }
  }
  for (let j = 0; j < m; j++) {
    if (!isLabel(d.y[j]))
      throw new DataError(source, `${what}: label of example ${j + 1} is ${d.y[j]}; ${LABEL_RULE}`);
  }
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
