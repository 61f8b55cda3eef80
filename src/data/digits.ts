/**
 * The MNIST digits (28×28 grey images) as a dataset: a pair of digits becomes a binary task
 * (the first digit is label 0, the second label 1), since the output head is a sigmoid until
 * the softmax head of issue 11 lands. Subsets are drawn before any pixel is converted, so a
 * 1 000-digit run never holds the 60 000 images as doubles.
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
  /** The two digits to tell apart, e.g. [3, 8]: 3 → label 0, 8 → label 1. */
  readonly pair?: readonly number[];
  readonly trainSize?: number;
  readonly testSize?: number;
}

/** Builds the training and test sets of a digit pair, subsets drawn with `rng` (train first). */
export function digitsBundle(files: DigitsFiles, options: DigitsOptions, rng: RandomState): DataBundle {
  const pair = options.pair;
  if (pair === undefined) {
    throw new DataError(
      DIGITS_SOURCE,
      "has 10 classes and the output head is a sigmoid for two: choose a pair with --digits 3,8",
    );
  }
  if (pair.length !== 2 || pair[0] === pair[1] || pair.some((d) => !Number.isInteger(d) || d < 0 || d > 9)) {
    throw new DataError(
      DIGITS_SOURCE,
      `--digits needs two different digits 0–9, e.g. 3,8; got ${pair.join(",")}`,
    );
  }
  const train = pairSet(files.trainImages, files.trainLabels, pair, options.trainSize, rng, "training set");
  const test = pairSet(files.testImages, files.testLabels, pair, options.testSize, rng, "test set");
  return {
    source: `${DIGITS_SOURCE} ${pair[0]} vs ${pair[1]} (MNIST)`,
    train,
    test,
    classes: pair.map(String),
  };
}

function pairSet(
  images: IdxArray,
  labels: IdxArray,
  pair: readonly number[],
  size: number | undefined,
  rng: RandomState,
  what: string,
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
  const chosen: number[] = [];
  for (let j = 0; j < m; j++) if (labels.data[j] === pair[0] || labels.data[j] === pair[1]) chosen.push(j);
  if (size !== undefined && size > chosen.length) {
    throw new DataError(
      DIGITS_SOURCE,
      `${what} has ${chosen.length} images of ${pair.join(" and ")}; cannot take ${size}`,
    );
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
    y[c] = labels.data[j] === pair[0] ? 0 : 1;
  }
  const d: Dataset = { X, y, shape: { height, width, channels: 1 } };
  validateDataset(d, DIGITS_SOURCE, what);
  return d;
}
