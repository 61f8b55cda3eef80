import { makeTransform, requireShape, type Transform, uniform } from "./transform.js";

/**
 * Brightness and contrast jitter: each channel value v becomes (v − mean)·c + mean + b, with
 * c uniform in [1 − contrast, 1 + contrast] and b uniform in [−brightness, brightness] drawn once
 * per image (mean over the whole image), clipped to [0, 1]. In place.
 */
export function jitter(brightness = 0.1, contrast = 0.1): Transform {
  if (!(brightness >= 0 && contrast >= 0 && contrast < 1)) {
    throw new RangeError("jitter: brightness must be ≥ 0 and contrast in [0, 1)");
  }
  return makeTransform(
    `jitter:brightness=${brightness},contrast=${contrast}`,
    true,
    (x, _out, shape, rng) => {
      requireShape(shape, "jitter");
      const c = uniform(rng, 1 - contrast, 1 + contrast);
      const b = uniform(rng, -brightness, brightness);
      let mean = 0;
      for (let i = 0; i < x.length; i++) mean += x[i];
      mean /= x.length;
      for (let i = 0; i < x.length; i++) x[i] = Math.min(1, Math.max(0, (x[i] - mean) * c + mean + b));
      return x;
    },
  );
}
