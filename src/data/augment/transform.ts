import type { RandomState } from "../../core/random.js";
import type { ImageShape } from "../dataset.js";

/**
 * One augmentation: a seeded function of an example. `apply` reads `x` (one example's features;
 * for images height·width·channels values, row-major HWC) and returns a new array of the same
 * length, drawing whatever it needs from `rng`. Labels never pass through a transform.
 */
export interface Transform {
  /** The spec it was parsed from, e.g. "elastic:alpha=34,sigma=4". */
  readonly name: string;
  /** True when it needs the image shape (everything but plain-feature noise). */
  readonly needsImage: boolean;
  apply(x: Float64Array, shape: ImageShape | undefined, rng: RandomState): Float64Array;
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
