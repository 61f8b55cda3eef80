import type { ImageShape } from "../dataset.js";
import { makeTransform, requireShape, type Transform } from "./transform.js";

/** Mirrors `x` left to right in place (its own inverse); returns `x`. */
export function flipInPlace(x: Float64Array, shape: ImageShape): Float64Array {
  const { height: H, width: W, channels: C } = shape;
  for (let h = 0; h < H; h++) {
    const row = h * W * C;
    for (let l = row, r = row + (W - 1) * C; l < r; l += C, r -= C) {
      for (let c = 0; c < C; c++) {
        const v = x[l + c];
        x[l + c] = x[r + c];
        x[r + c] = v;
      }
    }
  }
  return x;
}

/** The mirror image, left to right, in a new array. */
export function flipHorizontal(x: Float64Array, shape: ImageShape): Float64Array {
  return flipInPlace(x.slice(), shape);
}

/** Mirrors the image with probability p (one uniform draw per example), in place. */
export function flip(p = 0.5): Transform {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`flip: probability must be in [0, 1], got ${p}`);
  return makeTransform(
    `flip:p=${p}`,
    true,
    (x, _out, shape, rng) => (rng.random() < p ? flipInPlace(x, requireShape(shape, "flip")) : x),
    (maps, j, shape, rng) => {
      if (rng.random() < p) maps.mirror(j, shape);
    },
  );
}
