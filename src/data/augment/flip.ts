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

/**
 * Mirrors the chosen columns of a features × examples block in place: each pair of mirrored
 * pixel rows is swapped in those columns, so memory is read row after row, as in a copy.
 */
function flipColumns(X: Float64Array, m: number, shape: ImageShape, chosen: Int32Array, n: number): void {
  const { height: H, width: W, channels: C } = shape;
  for (let h = 0; h < H; h++) {
    for (let l = h * W, r = l + W - 1; l < r; l++, r--) {
      for (let c = 0; c < C; c++) {
        const a = (l * C + c) * m;
        const b = (r * C + c) * m;
        for (let q = 0; q < n; q++) {
          const j = chosen[q];
          const v = X[a + j];
          X[a + j] = X[b + j];
          X[b + j] = v;
        }
      }
    }
  }
}

/** Mirrors the image with probability p (one uniform draw per example), in place. */
export function flip(p = 0.5): Transform {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`flip: probability must be in [0, 1], got ${p}`);
  let chosen = new Int32Array(0);
  return makeTransform(
    `flip:p=${p}`,
    true,
    (x, _out, shape, rng) => (rng.random() < p ? flipInPlace(x, requireShape(shape, "flip")) : x),
    (X, _features, m, shape, rng) => {
      const s = requireShape(shape, "flip");
      if (chosen.length < m) chosen = new Int32Array(m);
      let n = 0;
      for (let j = 0; j < m; j++) if (rng.random() < p) chosen[n++] = j;
      flipColumns(X, m, s, chosen, n);
    },
  );
}
