import type { ImageShape } from "../dataset.js";

/**
 * Writes into `out` the image `src` read at source point (ys[i], xs[i]) for output pixel
 * i = h·W + w, by bilinear interpolation; points outside the image read 0 (black). Every channel
 * uses the same point. Returns `out`.
 */
export function resampleInto(
  src: Float64Array,
  out: Float64Array,
  shape: ImageShape,
  ys: Float64Array,
  xs: Float64Array,
): Float64Array {
  const { height: H, width: W, channels: C } = shape;
  for (let i = 0; i < H * W; i++) {
    const py = ys[i];
    const px = xs[i];
    const y0 = Math.floor(py);
    const x0 = Math.floor(px);
    const fy = py - y0;
    const fx = px - x0;
    const gy = 1 - fy;
    const gx = 1 - fx;
    const o = i * C;
    const a = (y0 * W + x0) * C;
    if (y0 >= 0 && y0 + 1 < H && x0 >= 0 && x0 + 1 < W) {
      // All four neighbours inside: no bounds checks.
      const b = a + W * C;
      for (let c = 0; c < C; c++) {
        const top = src[a + c] * gx + src[a + C + c] * fx;
        const bottom = src[b + c] * gx + src[b + C + c] * fx;
        out[o + c] = top * gy + bottom * fy;
      }
      continue;
    }
    const inY0 = y0 >= 0 && y0 < H;
    const inY1 = y0 + 1 >= 0 && y0 + 1 < H;
    const inX0 = x0 >= 0 && x0 < W;
    const inX1 = x0 + 1 >= 0 && x0 + 1 < W;
    const b = a + W * C;
    for (let c = 0; c < C; c++) {
      const top = (inY0 && inX0 ? src[a + c] : 0) * gx + (inY0 && inX1 ? src[a + C + c] : 0) * fx;
      const bottom = (inY1 && inX0 ? src[b + c] : 0) * gx + (inY1 && inX1 ? src[b + C + c] : 0) * fx;
      out[o + c] = top * gy + bottom * fy;
    }
  }
  return out;
}
