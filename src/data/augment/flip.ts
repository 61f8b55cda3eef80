import type { ImageShape } from "../dataset.js";
import { requireShape, type Transform } from "./transform.js";

/** The mirror image, left to right (deterministic; its own inverse). */
export function flipHorizontal(x: Float64Array, shape: ImageShape): Float64Array {
  const { height: H, width: W, channels: C } = shape;
  const out = new Float64Array(x.length);
  for (let h = 0; h < H; h++) {
    for (let w = 0; w < W; w++) {
      const from = (h * W + (W - 1 - w)) * C;
      const to = (h * W + w) * C;
      for (let c = 0; c < C; c++) out[to + c] = x[from + c];
    }
  }
  return out;
}

/** Mirrors the image with probability p (one uniform draw per example). */
export function flip(p = 0.5): Transform {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`flip: probability must be in [0, 1], got ${p}`);
  return {
    name: `flip:p=${p}`,
    needsImage: true,
    apply: (x, shape, rng) => (rng.random() < p ? flipHorizontal(x, requireShape(shape, "flip")) : x.slice()),
  };
}
