import { matrix } from "../../core/matrix.js";
import type { RandomState } from "../../core/random.js";
import type { Dataset, ImageShape } from "../dataset.js";
import type { Transform } from "./transform.js";

/** The transforms applied in order to one example. */
export function augmentExample(
  x: Float64Array,
  shape: ImageShape | undefined,
  transforms: readonly Transform[],
  rng: RandomState,
): Float64Array {
  let out = x;
  for (const t of transforms) out = t.apply(out, shape, rng);
  return out === x ? x.slice() : out;
}

/** Checks that every transform can run on this data; throws a RangeError naming the first that cannot. */
export function checkTransforms(transforms: readonly Transform[], shape: ImageShape | undefined): void {
  const t = transforms.find((t) => t.needsImage && !shape);
  if (t) {
    throw new RangeError(
      `${t.name.split(":")[0]} needs images; this data has plain features (use noise:sigma=…)`,
    );
  }
}

/**
 * Transforms the columns of a features × examples block in place, example by example in column
 * order (so a seed fixes every draw). This is the trainer's per-batch hook in online mode.
 */
export function augmentColumns(
  X: Float64Array,
  features: number,
  examples: number,
  shape: ImageShape | undefined,
  transforms: readonly Transform[],
  rng: RandomState,
): void {
  const column = new Float64Array(features);
  for (let j = 0; j < examples; j++) {
    for (let f = 0; f < features; f++) column[f] = X[f * examples + j];
    const out = augmentExample(column, shape, transforms, rng);
    for (let f = 0; f < features; f++) X[f * examples + j] = out[f];
  }
}

/** The hook the trainer calls on each batch after copying it (`TrainerOptions.transform`). */
export function batchTransform(transforms: readonly Transform[], shape: ImageShape | undefined) {
  checkTransforms(transforms, shape);
  return (X: Float64Array, features: number, examples: number, rng: RandomState): void =>
    augmentColumns(X, features, examples, shape, transforms, rng);
}

/**
 * Expand mode ("now your training set is doubled"): the originals followed by `copies`
 * transformed copies of every example, drawn once, copy by copy; labels are repeated unchanged.
 */
export function expandDataset(
  d: Dataset,
  transforms: readonly Transform[],
  copies: number,
  rng: RandomState,
): Dataset {
  if (!Number.isInteger(copies) || copies < 1)
    throw new RangeError(`copies must be a whole number ≥ 1, got ${copies}`);
  checkTransforms(transforms, d.shape);
  const nx = d.X.rows;
  const m = d.X.cols;
  const total = m * (copies + 1);
  const X = matrix(nx, total);
  const y = new Uint8Array(total);
  const column = new Float64Array(nx);
  for (let k = 0; k <= copies; k++) {
    for (let j = 0; j < m; j++) {
      for (let f = 0; f < nx; f++) column[f] = d.X.data[f * m + j];
      const out = k === 0 ? column : augmentExample(column, d.shape, transforms, rng);
      const c = k * m + j;
      for (let f = 0; f < nx; f++) X.data[f * total + c] = out[f];
      y[c] = d.y[j];
    }
  }
  return d.shape ? { X, y, shape: d.shape } : { X, y };
}
