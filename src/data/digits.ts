/**
 * The MNIST digits (28×28 grey images) as a dataset: all ten digits (label = the digit, a softmax
 * head), or a pair as a binary task (the first digit is label 0, the second label 1, the article's
 * sigmoid). Subsets are drawn before any pixel is converted, so a 1 000-digit run never holds the
 * 60 000 images as doubles.
 */
import { matrix } from "../core/matrix.js";
import type { RandomState } from "../core/random.js";
import { type DataBundle, DataError, type Dataset, validateDataset } from "./dataset.js";
import type { IdxArray } from "./formats/idx.js";
import { drawIndices } from "./subsample.js";

export const DIGITS_SOURCE = "digits";

export interface DigitsFiles {
  readonly trainImages: IdxArray;
  readonly trainLabels: IdxArray;
  readonly testImages: IdxArray;
  readonly testLabels: IdxArray;
}

export interface DigitsOptions {
  /** The two digits to tell apart, e.g. [3, 8]: 3 → label 0, 8 → label 1; all ten when absent. */
  readonly pair?: readonly number[];
  readonly trainSize?: number;
  readonly testSize?: number;
}

const ALL_DIGITS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/** Builds the training and test sets (ten digits or a pair), subsets drawn with `rng` (train first). */
export function digitsBundle(files: DigitsFiles, options: DigitsOptions, rng: RandomState): DataBundle {
  const pair = options.pair;
  if (pair === undefined) {
    const train = digitSet(
      files.trainImages,
      files.trainLabels,
      ALL_DIGITS,
      options.trainSize,
      rng,
      "training set",
    );
    const test = digitSet(files.testImages, files.testLabels, ALL_DIGITS, options.testSize, rng, "test set");
    return { source: `${DIGITS_SOURCE} 0–9 (MNIST)`, train, test, classes: ALL_DIGITS.map(String) };
  }
  if (pair.length !== 2 || pair[0] === pair[1] || pair.some((d) => !Number.isInteger(d) || d < 0 || d > 9)) {
    throw new DataError(
      DIGITS_SOURCE,
      `--digits needs two different digits 0–9, e.g. 3,8; got ${pair.join(",")}`,
    );
  }
  const train = digitSet(files.trainImages, files.trainLabels, pair, options.trainSize, rng, "training set");
  const test = digitSet(files.testImages, files.testLabels, pair, options.testSize, rng, "test set");
  return {
    source: `${DIGITS_SOURCE} ${pair[0]} vs ${pair[1]} (MNIST)`,
    train,
    test,
    classes: pair.map(String),
  };
}

/** The images of the chosen digits, each labelled by its position in `digits`. */
function digitSet(
  images: IdxArray,
  labels: IdxArray,
  digits: readonly number[],
  size: number | undefined,
  rng: RandomState,
  what: "training set" | "test set",
): Dataset {
  const [m, height, width] = images.dims;
  if (
    images.type !== "uint8" ||
    images.dims.length !== 3 ||
    labels.type !== "uint8" ||
    labels.dims.length !== 1
  ) {
    throw new DataError(DIGITS_SOURCE, `${what}: expected m×28×28 uint8 images and m uint8 labels`);
  }
  if (labels.dims[0] !== m) {
    throw new DataError(DIGITS_SOURCE, `${what}: ${m} images but ${labels.dims[0]} labels`);
  }
  const labelOf = new Int16Array(256).fill(-1);
  digits.forEach((d, k) => {
    labelOf[d] = k;
  });
  const chosen: number[] = [];
  const seen = new Uint8Array(10);
  for (let j = 0; j < m; j++) {
    const digit = labels.data[j];
    // A label byte past 9 is not a digit: refused, never skipped as "another digit".
    if (digit > 9)
      throw new DataError(DIGITS_SOURCE, `${what}: label of image ${j + 1} is ${digit}, not a digit 0–9`);
    seen[digit] = 1;
    if (labelOf[digit] >= 0) chosen.push(j);
  }
  // The label rule (src/data/labels.ts): every class of the training set has an example in the file.
  const absent = digits.filter((d) => seen[d] === 0);
  if (what === "training set" && absent.length > 0) {
    const list =
      absent.length === 1 ? String(absent[0]) : `${absent.slice(0, -1).join(", ")} or ${absent.at(-1)}`;
    throw new DataError(
      DIGITS_SOURCE,
      `${what} has no image of ${list}; every class needs training examples`,
    );
  }
  if (size !== undefined && size > chosen.length) {
    const which = digits.length === 2 ? `images of ${digits.join(" and ")}` : "images";
    throw new DataError(DIGITS_SOURCE, `${what} has ${chosen.length} ${which}; cannot take ${size}`);
  }
  const picked =
    size === undefined ? chosen : Array.from(drawIndices(chosen.length, size, rng), (i) => chosen[i]);
  const k = picked.length;
  const nx = height * width;
  const X = matrix(nx, k);
  const y = new Uint8Array(k);
  const pixels = images.data;
  for (let c = 0; c < k; c++) {
    const j = picked[c];
    for (let f = 0; f < nx; f++) X.data[f * k + c] = pixels[j * nx + f] / 255;
    y[c] = labelOf[labels.data[j]];
  }
  const d: Dataset = { X, y, shape: { height, width, channels: 1 } };
  validateDataset(d, DIGITS_SOURCE, what);
  return d;
}
