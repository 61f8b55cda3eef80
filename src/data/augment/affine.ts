import { resampleInto } from "./bilinear.js";
import { makeTransform, requireShape, reusable, type Transform, uniform } from "./transform.js";

export interface AffineOptions {
  /** Largest shift in pixels, each way. */
  shift?: number;
  /** Largest rotation in degrees, either way. */
  rotate?: number;
  /** Largest relative change of size: a factor drawn in [1 − scale, 1 + scale]. */
  scale?: number;
}

/**
 * A small random affine map about the image centre — rotation, scaling, then a shift — each drawn
 * uniformly within its bound, applied by inverse mapping with bilinear interpolation.
 */
export function affine(options: AffineOptions = {}): Transform {
  const { shift = 2, rotate = 10, scale = 0.1 } = options;
  if (!(shift >= 0 && rotate >= 0 && scale >= 0 && scale < 1)) {
    throw new RangeError("affine: shift and rotate must be ≥ 0 and scale in [0, 1)");
  }
  const ys = reusable();
  const xs = reusable();
  return makeTransform(
    `affine:shift=${shift},rotate=${rotate},scale=${scale}`,
    true,
    (x, out, shape, rng) => {
      const s = requireShape(shape, "affine");
      const angle = (uniform(rng, -rotate, rotate) * Math.PI) / 180;
      const k = uniform(rng, 1 - scale, 1 + scale);
      const ty = uniform(rng, -shift, shift);
      const tx = uniform(rng, -shift, shift);
      const cy = (s.height - 1) / 2;
      const cx = (s.width - 1) / 2;
      // Output point → source point: undo the shift, then the rotation and scale about the centre.
      const cos = Math.cos(angle) / k;
      const sin = Math.sin(angle) / k;
      const n = s.height * s.width;
      const py = ys(n);
      const px = xs(n);
      for (let h = 0, i = 0; h < s.height; h++) {
        for (let w = 0; w < s.width; w++, i++) {
          const v = h - cy - ty;
          const u = w - cx - tx;
          py[i] = cy + cos * v - sin * u;
          px[i] = cx + sin * v + cos * u;
        }
      }
      return resampleInto(x, out, s, py, px);
    },
  );
}
