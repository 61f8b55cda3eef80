import type { RandomState } from "../../core/random.js";
import type { ImageShape } from "../dataset.js";
import { resample } from "./bilinear.js";
import { requireShape, type Transform } from "./transform.js";

/**
 * A displacement field as Simard, Steinkraus & Platt (2003) draw it: uniform(−1, 1) at every pixel,
 * smoothed by a Gaussian of standard deviation σ, then scaled by α. Returns dy then dx, each H×W.
 */
export function displacementField(
  shape: ImageShape,
  alpha: number,
  sigma: number,
  rng: RandomState,
): { dy: Float64Array; dx: Float64Array } {
  const n = shape.height * shape.width;
  const field = () => {
    const f = rng.uniform(-1, 1, n);
    const smooth = gaussianBlur(f, shape.height, shape.width, sigma);
    for (let i = 0; i < n; i++) smooth[i] *= alpha;
    return smooth;
  };
  const dy = field();
  const dx = field();
  return { dy, dx };
}

/**
 * Separable Gaussian smoothing with zeros beyond the edges (a kernel of radius ⌈3σ⌉, normalized
 * over its full length, so borders fade toward zero as in scipy's mode="constant").
 */
export function gaussianBlur(f: Float64Array, H: number, W: number, sigma: number): Float64Array {
  if (sigma === 0) return f.slice();
  const r = Math.ceil(3 * sigma);
  const kernel = new Float64Array(2 * r + 1);
  let total = 0;
  for (let i = -r; i <= r; i++) total += kernel[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < kernel.length; i++) kernel[i] /= total;
  const rows = new Float64Array(f.length);
  for (let h = 0; h < H; h++) {
    for (let w = 0; w < W; w++) {
      let s = 0;
      for (let i = Math.max(-r, -w); i <= Math.min(r, W - 1 - w); i++) s += kernel[i + r] * f[h * W + w + i];
      rows[h * W + w] = s;
    }
  }
  const out = new Float64Array(f.length);
  for (let h = 0; h < H; h++) {
    for (let w = 0; w < W; w++) {
      let s = 0;
      for (let i = Math.max(-r, -h); i <= Math.min(r, H - 1 - h); i++)
        s += kernel[i + r] * rows[(h + i) * W + w];
      out[h * W + w] = s;
    }
  }
  return out;
}

/** Elastic distortion: each pixel read from (h + dy, w + dx) of a fresh smoothed field. */
export function elastic(alpha = 34, sigma = 4): Transform {
  if (!(alpha >= 0 && sigma >= 0)) throw new RangeError("elastic: alpha and sigma must be ≥ 0");
  return {
    name: `elastic:alpha=${alpha},sigma=${sigma}`,
    needsImage: true,
    apply(x, shape, rng) {
      const s = requireShape(shape, "elastic");
      const { dy, dx } = displacementField(s, alpha, sigma, rng);
      return resample(x, s, (h, w, p) => {
        const i = h * s.width + w;
        p.y = h + dy[i];
        p.x = w + dx[i];
      });
    },
  };
}
