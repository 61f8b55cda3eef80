import { resample } from "./bilinear.js";
import { requireShape, type Transform, uniform } from "./transform.js";

/**
 * Pad-and-crop: the image padded by `pad` black pixels on every side, then a window of the
 * original size cut at a uniformly random offset — a shift by −pad … pad pixels each way.
 */
export function crop(pad = 4): Transform {
  if (!Number.isInteger(pad) || pad < 0)
    throw new RangeError(`crop: padding must be a whole number ≥ 0, got ${pad}`);
  return {
    name: `crop:pad=${pad}`,
    needsImage: true,
    apply(x, shape, rng) {
      const { height: H, width: W, channels: C } = requireShape(shape, "crop");
      const dy = rng.boundedInt(2 * pad) - pad;
      const dx = rng.boundedInt(2 * pad) - pad;
      const out = new Float64Array(x.length);
      for (let h = 0; h < H; h++) {
        const sh = h + dy;
        if (sh < 0 || sh >= H) continue;
        for (let w = 0; w < W; w++) {
          const sw = w + dx;
          if (sw < 0 || sw >= W) continue;
          for (let c = 0; c < C; c++) out[(h * W + w) * C + c] = x[(sh * W + sw) * C + c];
        }
      }
      return out;
    },
  };
}

/**
 * Crop-and-resize: a window whose sides are a uniform fraction in [scale, 1] of the image's, at
 * a uniform position, stretched back to full size by bilinear interpolation (a zoom in).
 */
export function cropResize(scale = 0.8): Transform {
  if (!(scale > 0 && scale <= 1)) throw new RangeError(`cropresize: scale must be in (0, 1], got ${scale}`);
  return {
    name: `cropresize:scale=${scale}`,
    needsImage: true,
    apply(x, shape, rng) {
      const s = requireShape(shape, "cropresize");
      const f = uniform(rng, scale, 1);
      const top = uniform(rng, 0, (1 - f) * (s.height - 1));
      const left = uniform(rng, 0, (1 - f) * (s.width - 1));
      return resample(x, s, (h, w, p) => {
        p.y = top + h * f;
        p.x = left + w * f;
      });
    },
  };
}
