import type { RandomState } from "../../core/random.js";
import { resampleInto } from "./bilinear.js";
import {
  makeTransform,
  requireShape,
  reusable,
  type Transform,
  type TransformInto,
  uniform,
} from "./transform.js";

/**
 * Pad-and-crop: the image padded by `pad` black pixels on every side, then a window of the
 * original size cut at a uniformly random offset — a shift by −pad … pad pixels each way.
 */
export function crop(pad = 4): Transform {
  if (!Number.isInteger(pad) || pad < 0)
    throw new RangeError(`crop: padding must be a whole number ≥ 0, got ${pad}`);
  const draw = (rng: RandomState) => rng.boundedInt(2 * pad) - pad;
  const into: TransformInto = (x, out, shape, rng) => {
    const { height: H, width: W, channels: C } = requireShape(shape, "crop");
    const dy = draw(rng);
    const dx = draw(rng);
    // Each output row is a run of source pixels between two black margins.
    const w0 = Math.max(0, -dx);
    const w1 = Math.min(W, W - dx);
    for (let h = 0; h < H; h++) {
      const row = h * W * C;
      const sh = h + dy;
      if (sh < 0 || sh >= H || w1 <= w0) {
        out.fill(0, row, row + W * C);
        continue;
      }
      out.fill(0, row, row + w0 * C);
      const from = (sh * W + w0 + dx) * C - (row + w0 * C);
      for (let i = row + w0 * C; i < row + w1 * C; i++) out[i] = x[i + from];
      out.fill(0, row + w1 * C, row + W * C);
    }
    return out;
  };
  return makeTransform(`crop:pad=${pad}`, true, into, (maps, j, shape, rng) => {
    const dy = draw(rng);
    maps.shift(j, dy, draw(rng), shape);
  });
}

/**
 * Crop-and-resize: a window whose sides are a uniform fraction in [scale, 1] of the image's, at
 * a uniform position, stretched back to full size by bilinear interpolation (a zoom in).
 */
export function cropResize(scale = 0.8): Transform {
  if (!(scale > 0 && scale <= 1)) throw new RangeError(`cropresize: scale must be in (0, 1], got ${scale}`);
  const ys = reusable();
  const xs = reusable();
  return makeTransform(`cropresize:scale=${scale}`, true, (x, out, shape, rng) => {
    const s = requireShape(shape, "cropresize");
    const f = uniform(rng, scale, 1);
    const top = uniform(rng, 0, (1 - f) * (s.height - 1));
    const left = uniform(rng, 0, (1 - f) * (s.width - 1));
    const n = s.height * s.width;
    const py = ys(n);
    const px = xs(n);
    for (let h = 0, i = 0; h < s.height; h++) {
      for (let w = 0; w < s.width; w++, i++) {
        py[i] = top + h * f;
        px[i] = left + w * f;
      }
    }
    return resampleInto(x, out, s, py, px);
  });
}
