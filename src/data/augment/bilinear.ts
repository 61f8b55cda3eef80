import type { ImageShape } from "../dataset.js";

/**
 * Resamples `src` at the source coordinates `map(h, w)` gives for each output pixel, by bilinear
 * interpolation; points outside the image read 0 (black). Every channel uses the same point.
 */
export function resample(
  src: Float64Array,
  shape: ImageShape,
  map: (h: number, w: number, out: { y: number; x: number }) => void,
): Float64Array {
  const { height: H, width: W, channels: C } = shape;
  const out = new Float64Array(src.length);
  const p = { y: 0, x: 0 };
  for (let h = 0; h < H; h++) {
    for (let w = 0; w < W; w++) {
      map(h, w, p);
      const y0 = Math.floor(p.y);
      const x0 = Math.floor(p.x);
      const fy = p.y - y0;
      const fx = p.x - x0;
      for (let c = 0; c < C; c++) {
        const at = (y: number, x: number) =>
          y < 0 || y >= H || x < 0 || x >= W ? 0 : src[(y * W + x) * C + c];
        const top = at(y0, x0) * (1 - fx) + at(y0, x0 + 1) * fx;
        const bottom = at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x0 + 1) * fx;
        out[(h * W + w) * C + c] = top * (1 - fy) + bottom * fy;
      }
    }
  }
  return out;
}
