import type { RandomState } from "../../core/random.js";
import type { ImageShape } from "../dataset.js";
import type { Remap } from "./pixel-map.js";

/** The in-place step of a transform (see Transform.into). */
export type TransformInto = (
  x: Float64Array,
  out: Float64Array,
  shape: ImageShape | undefined,
  rng: RandomState,
) => Float64Array;

/**
 * One augmentation: a seeded function of an example (for images height·width·channels values,
 * row-major HWC), drawing whatever it needs from `rng`. Labels never pass through a transform.
 */
export interface Transform {
  /** The spec it was parsed from, e.g. "elastic:alpha=34,sigma=4". */
  readonly name: string;
  /** True when it needs the image shape (everything but plain-feature noise). */
  readonly needsImage: boolean;
  /**
   * The hot path (online augmentation runs it on every example of every batch): transforms `x`,
   * which it may overwrite, and returns the array holding the result, `x` itself or `out` (as
   * long as `x`, another array). It allocates nothing per call.
   */
  readonly into: TransformInto;
  /** The same on a fresh array, leaving `x` as it was. */
  apply(x: Float64Array, shape: ImageShape | undefined, rng: RandomState): Float64Array;
  /**
   * Optional, for transforms that only move pixels (flip, pad-crop): composes example j's draw
   * onto its pixel map, drawing from `rng` exactly as `into` would. When every transform of a
   * chain has it, a batch is transformed by one copy in its own layout (see PixelMaps).
   */
  readonly remap?: Remap;
  /**
   * Optional: transforms `count` columns of X (features × examples, rows `stride` values apart,
   * from column `first`) in place, example by example, drawing exactly as `into` would; false
   * where it cannot (the caller then runs `into` on each). A chain of this transform alone runs
   * so, with no example moved out of the batch's layout.
   */
  readonly columns?: ColumnsInPlace;
}

/** See Transform.columns. */
export type ColumnsInPlace = (
  X: Float64Array,
  stride: number,
  first: number,
  count: number,
  shape: ImageShape | undefined,
  rng: RandomState,
) => boolean;

/** A Transform from its in-place step. */
export function makeTransform(
  name: string,
  needsImage: boolean,
  into: TransformInto,
  remap?: Remap,
  columns?: ColumnsInPlace,
): Transform {
  return {
    name,
    needsImage,
    into,
    apply: (x, shape, rng) => into(x.slice(), new Float64Array(x.length), shape, rng),
    ...(remap && { remap }),
    ...(columns && { columns }),
  };
}

/** A buffer kept between calls and replaced only when a different length is asked for. */
export function reusable(): (n: number) => Float64Array {
  let buffer = new Float64Array(0);
  return (n) => {
    if (buffer.length !== n) buffer = new Float64Array(n);
    return buffer;
  };
}

/** The shape, or an error naming the transform that needs one. */
export function requireShape(shape: ImageShape | undefined, name: string): ImageShape {
  if (!shape) throw new RangeError(`${name} needs images (data with a height × width × channels shape)`);
  return shape;
}

/** A uniform draw in [lo, hi). */
export function uniform(rng: RandomState, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.random();
}
